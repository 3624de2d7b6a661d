"""The one-factor Gaussian copula that correlates the stance draws of a bloc's members.

Why: ``Φ(√ρ·Z + √(1−ρ)·Φ⁻¹(v))`` is uniform whenever ``v`` is and ``Z`` is standard normal, so
every member keeps its own stance probabilities while a bloc's members lean the same way
(docs/model.md, "Blocs"). SciPy is imported only when a scenario has a bloc.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def correlated_uniform(
    v: NDArray[np.float64], factor: NDArray[np.float64], rho: float
) -> NDArray[np.float64]:
    """``Φ(√ρ·factor + √(1−ρ)·Φ⁻¹(v))``; ``v`` itself when ``rho`` is 0."""
    if rho <= 0.0:
        return v
    from scipy.special import ndtr, ndtri

    mixed = np.sqrt(rho) * factor + np.sqrt(1.0 - rho) * ndtri(v)
    return np.asarray(ndtr(mixed), dtype=np.float64)

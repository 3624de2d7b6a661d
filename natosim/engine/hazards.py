"""Per-round probabilities and the hazards behind them, shared by both engines.

A per-round probability ``p`` is a hazard ``-ln(1 - p)``; a mechanism that scales the hazard
by ``m`` turns ``p`` into ``1 - (1 - p) ** m`` (docs/model.md).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

CERTAIN = 1e30
"""The hazard of a per-round probability of 1: it passes any threshold and stays finite."""


def hazard_of(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """``-ln(1 - p)``, the hazard of a per-round probability, with ``CERTAIN`` for p = 1."""
    finite = -np.log1p(-np.where(p < 1.0, p, 0.0))
    return np.where(p < 1.0, finite, CERTAIN)


def modulated(base: float, multiplier: float) -> float:
    """The proportional-hazards form ``1 - (1 - base) ** multiplier`` of every hazard."""
    return 1.0 - float((1.0 - base) ** multiplier)

"""Random draws that consume nothing when the outcome is certain.

Why: a draw with probability exactly 0 or 1 must not use a random number, so that making one
part of a scenario certain does not shift the numbers every other part sees.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def bernoulli(rng: np.random.Generator, p: ArrayLike) -> NDArray[np.bool_]:
    """Independent draws, True with probability ``p``; one uniform per 0 < p < 1, in C order."""
    prob = np.asarray(p, dtype=np.float64)
    result = prob >= 1.0
    uncertain = (prob > 0.0) & ~result
    count = int(uncertain.sum())
    if count:
        result[uncertain] = rng.random(count) < prob[uncertain]
    return result


def categorical(rng: np.random.Generator, probs: NDArray[np.float64], n: int) -> NDArray[np.int64]:
    """Draw n independent categories for every cell of ``probs`` (cells x categories).

    Args:
        rng: The stream to draw from.
        probs: Probabilities with categories on the last axis, summing to 1 per cell.
        n: Number of independent draws (trials) per cell.

    Returns:
        Array of shape (n, *probs.shape[:-1]); cells with a certain category use no numbers.
    """
    cells = probs.reshape(-1, probs.shape[-1])
    result = np.broadcast_to(cells.argmax(axis=1), (n, cells.shape[0])).copy()
    uncertain = np.nonzero(cells.max(axis=1) < 1.0)[0]
    if uncertain.size:
        cumulative = np.cumsum(cells[uncertain], axis=1)
        cumulative /= cumulative[:, -1:]
        u = rng.random((n, uncertain.size))
        drawn = (u[:, :, None] >= cumulative[None, :, :]).sum(axis=2)
        result[:, uncertain] = np.minimum(drawn, cells.shape[1] - 1)
    return result.reshape((n, *probs.shape[:-1]))

"""Random draws that keep each cell's random number in place.

Why: making one part of a scenario certain must not shift the numbers every other part sees.
The once-per-trial draws (:func:`categorical`, :func:`cell_bernoulli`) give every cell its own
number, used or not, so that two variants of a scenario start from the same numbers (common
random numbers) even where one of them makes a stance certain.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def categorical(rng: np.random.Generator, probs: NDArray[np.float64], n: int) -> NDArray[np.int64]:
    """Draw n independent categories for every cell of ``probs`` (cells x categories).

    Args:
        rng: The stream to draw from.
        probs: Probabilities with categories on the last axis, summing to 1 per cell.
        n: Number of independent draws (trials) per cell.

    Returns:
        Array of shape (n, *probs.shape[:-1]). Every cell of every trial has its own uniform
        number, in C order, whether or not its category is certain.
    """
    return categories(rng.random((n, probs[..., 0].size)), probs)


def categories(u: NDArray[np.float64], probs: NDArray[np.float64]) -> NDArray[np.int64]:
    """The category of each uniform in ``u`` (n, cells) under ``probs`` (cells x categories).

    Returns:
        Array of shape (n, *probs.shape[:-1]): the first category whose cumulative
        probability is above the cell's uniform.
    """
    return categories_of(u, *thresholds(probs)).reshape((u.shape[0], *probs.shape[:-1]))


def categories_of(
    u: NDArray[np.float64],
    fixed: NDArray[np.int64],
    uncertain: NDArray[np.int64],
    cumulative: NDArray[np.float64],
) -> NDArray[np.int64]:
    """(n, cells) the category of each uniform of ``u`` under :func:`thresholds`' arrays: how
    many of its cell's cumulative probabilities it is at or above, at most the last
    category; a certain cell takes its category whatever its uniform."""
    result = np.broadcast_to(fixed, u.shape).copy()
    v = u[:, uncertain]
    drawn = np.zeros(v.shape, np.int64)
    for c in range(cumulative.shape[1]):
        drawn += v >= cumulative[None, :, c]
    result[:, uncertain] = np.minimum(drawn, cumulative.shape[1] - 1)
    return result


def thresholds(
    probs: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """What :func:`categories` compares uniforms with, for ``probs`` (cells x categories).

    Returns:
        Each cell's most likely category (which a certain cell takes), the indices of the
        uncertain cells, and their cumulative probabilities scaled to end at 1.
    """
    cells = probs.reshape(-1, probs.shape[-1])
    uncertain = np.nonzero(cells.max(axis=1) < 1.0)[0]
    cumulative = np.cumsum(cells[uncertain], axis=1)
    cumulative /= cumulative[:, -1:]
    return cells.argmax(axis=1), uncertain, cumulative


def cell_bernoulli(rng: np.random.Generator, p: NDArray[np.float64], n: int) -> NDArray[np.bool_]:
    """n independent rows of draws, True with probability ``p`` per cell; one number per cell."""
    u = rng.random((n, p.size))
    return u < p[None, :]

"""Who backs and who blocks each candidate, and the front-runner, for the rows of a chunk.

Why a module of its own: three steps of a round (the snapshot, withdrawals and the Council's
check) need the same standing, and between them only a minority of rows change. A standing
is computed in full once a round and then refreshed for the rows whose stances changed since
(``State.dirty``), which gives exactly the numbers a full recomputation would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from natosim.engine.fast.state import C, Cells, S, State, cells
from natosim.model.arrays import Model


@dataclass(frozen=True)
class Standing:
    """The standing of every row at one moment of a round."""

    active: NDArray[np.bool_]  # (n, K) candidates entered and not withdrawn
    blocker_cells: Cells  # present members blocking active candidates
    blockers: NDArray[np.int64]  # (n, K) how many present members block each candidate
    front: NDArray[np.int64]  # (n,) the front-runner, or -1


def support_score(
    model: Model, stance: NDArray[np.int8], t: int, supporting: NDArray[np.bool_] | None = None
) -> NDArray[np.float64]:
    """(n, K) clout of the present members supporting each candidate.

    ``supporting`` is ``stance == S`` when the caller already has it.
    """
    weight = (model.clout * model.present[t]).astype(np.float32)
    mask = stance == S if supporting is None else supporting
    score: NDArray[np.float64] = (mask.astype(np.float32) @ weight).astype(np.float64)
    return score


def front_runner(
    model: Model,
    stance: NDArray[np.int8],
    t: int,
    active: NDArray[np.bool_],
    blockers: NDArray[np.int64],
    score: NDArray[np.float64] | None = None,
) -> NDArray[np.int64]:
    """(n,) the active candidate with most clout-weighted support, or -1 if none is active.

    Ties go to the candidate with fewer blockers, then to the one listed first. Support is
    counted (``score``, when the caller has it) only if some row has a contest.
    """
    if model.n_candidates == 1 or not _contested(active).any():
        return np.where(active.any(axis=1), active.argmax(axis=1), -1)
    score = support_score(model, stance, t) if score is None else score
    best = np.full(score.shape[0], -1, np.int64)
    best_score = np.full(score.shape[0], -np.inf)
    best_blockers = np.zeros(score.shape[0], np.int64)
    for k in range(model.n_candidates):
        s, b = score[:, k], blockers[:, k]
        better = (s > best_score) | ((s == best_score) & (b < best_blockers))
        better &= active[:, k]
        best = np.where(better, k, best)
        best_score = np.where(better, s, best_score)
        best_blockers = np.where(better, b, best_blockers)
    return best


def _contested(active: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """(n,) the rows with more than one active candidate."""
    if active.shape[1] == 2:
        return np.asarray(active[:, 0] & active[:, 1], dtype=np.bool_)
    return np.asarray(np.count_nonzero(active, axis=1) > 1, dtype=np.bool_)


def standing(
    model: Model, state: State, t: int, score: NDArray[np.float64] | None = None
) -> Standing:
    """The standing of every row of ``state``, computed in full."""
    active = state.active(model, t)
    blocking = cells(model, t, state.stance >= C, active)
    blockers = blocking.per_candidate(state.n, model)
    front = front_runner(model, state.stance, t, active, blockers, score)
    return Standing(active, blocking, blockers, front)


def refresh(model: Model, state: State, t: int, base: Standing) -> Standing:
    """The standing now: ``base`` for the rows that have not changed since, recomputed for
    the others (``state.dirty``)."""
    rows = np.flatnonzero(state.dirty)
    if rows.size == 0:
        return base
    if rows.size > state.n // 2:
        return standing(model, state, t)
    stance = state.stance[rows]
    active = state.active(model, t)
    blocking = cells(model, t, stance >= C, active[rows])
    blockers = base.blockers.copy()
    blockers[rows] = blocking.per_candidate(rows.size, model)
    front = base.front.copy()
    front[rows] = front_runner(model, stance, t, active[rows], blockers[rows])
    kept = base.blocker_cells
    clean = ~state.dirty[kept.n]
    both = Cells(
        np.concatenate([kept.n[clean], rows[blocking.n]]),
        np.concatenate([kept.k[clean], blocking.k]),
        np.concatenate([kept.i[clean], blocking.i]),
    )
    return Standing(active, both, blockers, front)

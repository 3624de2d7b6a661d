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

from natosim.engine.fast import kernel
from natosim.engine.fast.state import Cells, State
from natosim.model.arrays import Model


@dataclass(frozen=True)
class Standing:
    """The standing of every row at one moment of a round."""

    active: NDArray[np.bool_]  # (n, K) candidates entered and not withdrawn
    blockers: NDArray[np.int64]  # (n, K) how many present members block each candidate
    front: NDArray[np.int64]  # (n,) the front-runner, or -1


def standing(model: Model, state: State, t: int) -> Standing:
    """The standing of every row of ``state``, computed in full."""
    return scored(model, state, t)[0]


def scored(
    model: Model, state: State, t: int
) -> tuple[Standing, NDArray[np.int64], NDArray[np.float64]]:
    """The standing of every row, the flat indices (ascending) of the cells of present members
    blocking active candidates, and the (n, K) clout of each candidate's supporters."""
    active = state.active(model, t)
    flat, blockers, front, score = kernel.stand(
        state.stance, model.present[t], active, weight(model, t)
    )
    return Standing(active, blockers, front), flat, score


def weight(model: Model, t: int) -> NDArray[np.float64]:
    """(M,) each member's clout in round t, 0 when absent."""
    return np.asarray(model.clout * model.present[t], dtype=np.float64)


def unflatten(model: Model, flat: NDArray[np.int64]) -> Cells:
    """The cells of flat indices into an (n, K, M) array."""
    row_cand, member = np.divmod(flat, model.n_members)
    row, cand = np.divmod(row_cand, model.n_candidates)
    return Cells(row, cand, member)


def refresh(model: Model, state: State, t: int, base: Standing) -> Standing:
    """The standing now: ``base`` for the rows that have not changed since, recomputed for
    the others (``state.dirty``)."""
    if not state.dirty.any():
        return base
    active = state.active(model, t)
    blockers, front = kernel.restand(
        state.stance,
        model.present[t],
        active,
        weight(model, t),
        state.dirty,
        base.blockers,
        base.front,
    )
    return Standing(active, blockers, front)

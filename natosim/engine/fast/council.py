"""Steps 5 to 8 of a round (docs/model.md), vectorised: packages, withdrawals, settling
deadlines and the Council's check."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from natosim.engine.fast import kernel
from natosim.engine.fast.ruling import coalition_cells, counts_votes, front_passes
from natosim.engine.fast.standing import refresh, standing
from natosim.engine.fast.state import A, C, Cells, O, State
from natosim.engine.fast.steps import Snapshot, support, withdraw
from natosim.engine.hazards import hazard_of
from natosim.model.arrays import Model


def package(model: Model, state: State, t: int, snap: Snapshot) -> None:
    """Step 5: the blockers of a blocked front-runner settle together when its clock fires."""
    if model.package <= 0:
        return
    rows = np.flatnonzero(snap.leader >= 0)
    lead = snap.leader[rows]
    blocked = snap.blockers[rows, lead] > 0
    rows, lead = rows[blocked], lead[blocked]
    multiplier = np.exp(model.deadline_pressure * model.pressure[t])
    hazard = np.full(rows.size, multiplier * float(hazard_of(np.array(model.package))))
    fired = state.package.advance(rows * model.n_candidates + lead, hazard)
    clear(model, state, t, rows[fired], lead[fired])


def clear(
    model: Model, state: State, t: int, rows: NDArray[np.int64], lead: NDArray[np.int64]
) -> None:
    """Every blocker of candidate ``lead[r]`` in row ``rows[r]`` gives way at once.

    A blocker whose own candidate is active sees it withdraw first; then a conditional
    member has its demands granted and supports, and an objector acquiesces.
    """
    if rows.size == 0:
        return
    _withdraw_own(model, state, t, rows, lead)
    present = model.present[t][None, :]
    row, member = np.nonzero((state.stance[rows, lead] == C) & present)
    cond = Cells(rows[row], lead[row], member)
    _grant_cells(model, state, t, cond)
    support(state, cond)
    row, member = np.nonzero((state.stance[rows, lead] == O) & present)
    state.stance[rows[row], lead[row], member] = A
    state.dirty[rows] = True


def _withdraw_own(
    model: Model, state: State, t: int, rows: NDArray[np.int64], lead: NDArray[np.int64]
) -> None:
    """Candidates whose home member blocks ``lead`` withdraw, with their transfer."""
    active = state.active(model, t)
    for k in np.flatnonzero(model.home >= 0).tolist():
        home = int(model.home[k])
        blocks = (state.stance[rows, lead, home] >= C) & model.present[t, home]
        going = rows[blocks & active[rows, k] & (lead != k)]
        if going.size:
            withdraw(model, state, going, k, t)


def _grant_cells(model: Model, state: State, t: int, c: Cells) -> None:
    """Grant every open demand of the cells' members on the cells' candidates."""
    for d in range(model.n_demands):
        i, k = int(model.demand_member[d]), int(model.demand_candidate[d])
        rows = c.n[(c.i == i) & (c.k == k)]
        rows = rows[state.granted_round[rows, d] < 0]
        state.granted_round[rows, d] = t
        state.via_demand[rows, k, i] = True


def settle_deadlines(model: Model, state: State, t: int) -> None:
    """Step 7: at a settling deadline, clear the front-runner where every blocker agrees."""
    for index, deadline in enumerate(model.settling):
        if deadline.round != t:
            continue
        lead = standing(model, state, t).front
        rows = np.flatnonzero(lead >= 0)
        blocks = (state.stance[rows, lead[rows]] >= C) & model.present[t][None, :]
        refuses = blocks & ~state.settles[rows, index]
        rows = rows[~refuses.any(axis=1)]
        clear(model, state, t, rows, lead[rows])
        return


def withdrawals(model: Model, state: State, t: int, snap: Snapshot) -> None:
    """Step 6: trailing candidates withdraw; their backers follow the endorsement."""
    if not (model.withdraw_rate > 0).any():
        return
    now = refresh(model, state, t, snap.now)
    active, front = now.active, now.front
    multiplier = np.exp(model.deadline_pressure * model.pressure[t])
    hazard = multiplier * hazard_of(model.withdraw_rate)
    clock = state.exit
    gone = kernel.exits(active, front, clock.elapsed, clock.threshold, hazard)
    for k in np.unique(gone % model.n_candidates):
        withdraw(
            model, state, gone[gone % model.n_candidates == k] // model.n_candidates, int(k), t
        )


def council_check(
    model: Model, state: State, t: int, rng: np.random.Generator, snap: Snapshot | None
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Step 8: circulate the front-runner under silence where nobody blocks it (from the
    model's first check on; before it, nothing is put to the body).

    Returns:
        The front-runner of each row (-1 if none) and whether it was appointed.
    """
    now = standing(model, state, t) if snap is None else refresh(model, state, t, snap.now)
    if t < model.first_check:
        return now.front, np.zeros(state.n, np.bool_)
    blockers, front = now.blockers, now.front
    fk = np.where(front >= 0, front, 0)
    if counts_votes(model):
        return _vote(model, state, t, rng, now.active, front)
    circulated = np.nonzero((front >= 0) & (blockers[np.arange(state.n), fk] == 0))[0]
    broke = _break_silence(model, state, t, rng, circulated, fk)
    appointed = np.zeros(state.n, np.bool_)
    appointed[circulated] = True
    appointed[broke.n] = False
    kernel.record(
        state.stance, model.present[t], now.active, state.block_count, state.last_block, t
    )
    return front, appointed


def _vote(
    model: Model,
    state: State,
    t: int,
    rng: np.random.Generator,
    active: NDArray[np.bool_],
    front: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Step 8 under a rule that counts votes: circulate where the front-runner passes, and
    appoint it where it still passes after the silence breaks."""
    rows = np.flatnonzero(front >= 0)
    circulated = rows[front_passes(model, state, t, rows, front[rows])]
    fk = np.where(front >= 0, front, 0)
    _break_silence(model, state, t, rng, circulated, fk)
    appointed = np.zeros(state.n, np.bool_)
    appointed[circulated] = front_passes(model, state, t, circulated, fk[circulated])
    _record_blocking(model, state, t, coalition_cells(model, state, t, active))
    return front, appointed


def _break_silence(
    model: Model,
    state: State,
    t: int,
    rng: np.random.Generator,
    circulated: NDArray[np.int64],
    fk: NDArray[np.int64],
) -> Cells:
    """Present members break silence on the circulated rows' front-runner and object to it."""
    hazard = hazard_of(model.silence_break) * model.present[t]
    clock = state.silence
    broken = kernel.silence(clock.elapsed, clock.threshold, circulated, hazard)
    clock.renew(rng, broken)
    row, member = np.divmod(broken, model.n_members)
    broke = Cells(row, fk[row], member)
    state.stance[broke.n, broke.k, broke.i] = O
    return broke


def _record_blocking(model: Model, state: State, t: int, blocking: Cells) -> None:
    """Count a check at which each cell's member blocked its candidate, in round t."""
    flat = blocking.flat(model)
    state.block_count.reshape(-1)[flat] += 1
    state.last_block.reshape(-1)[flat] = t

"""Steps 1 to 4 of a round (docs/model.md), vectorised across the trials of a chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from natosim.engine.fast import kernel
from natosim.engine.fast.standing import Standing, scored, unflatten, weight
from natosim.engine.fast.state import A, C, Cells, S, State
from natosim.engine.hazards import hazard_of
from natosim.model.arrays import EventKind, Model


@dataclass
class Snapshot:
    """Signals read from the state after a round's events (docs/model.md)."""

    now: Standing  # who backs and blocks whom, and the front-runner
    blocker_flat: NDArray[np.int64]  # flat (n, K, M) indices of the blocking cells, ascending
    total: NDArray[np.float64]  # (n, K) clout of the present supporters
    share: NDArray[np.float64]  # (M,) 1 / clout of the other present members (0 if none)
    blocking: NDArray[np.bool_] | None  # (n, K, M) who blocks whom; kept only for following

    @property
    def active(self) -> NDArray[np.bool_]:
        """(n, K) candidates entered and not withdrawn."""
        return self.now.active

    @property
    def blockers(self) -> NDArray[np.int64]:
        """(n, K) present members blocking each candidate."""
        return self.now.blockers

    @property
    def leader(self) -> NDArray[np.int64]:
        """(n,) the front-runner, or -1."""
        return self.now.front

    def z(self, c: Cells) -> NDArray[np.float64]:
        """The influence signal of cells whose member does not support the candidate.

        Why: such a member's own clout is not in the support total, so z = total / others'.
        """
        return self.total[c.n, c.k] * self.share[c.i]


def support(state: State, c: Cells) -> None:
    """Members come to support candidates; support is exclusive, so any other becomes A.

    ``c`` must not name one (trial, member) pair with two candidates.
    """
    kernel.support(state.stance, state.dirty, c.n, c.k, c.i)


def apply_events(model: Model, state: State, t: int) -> None:
    """Step 1: the events of round t, in file order, where they happen."""
    for e, event in enumerate(model.events):
        if event.round != t:
            continue
        idx = np.nonzero(state.happens[:, e])[0]
        k = event.candidate
        if event.kind == EventKind.ENDORSE:
            members = np.array(event.members, np.int64)
            rows = np.repeat(idx, members.size)
            support(state, Cells(rows, np.full(rows.size, k), np.tile(members, idx.size)))
        elif event.kind == EventKind.STANCE:
            i = event.members[0]
            if event.stance == S:
                support(state, Cells(idx, np.full(idx.size, k), np.full(idx.size, i)))
            else:
                state.stance[idx, k, i] = event.stance
            settle(model, state, idx, i, k)
        elif event.kind == EventKind.WITHDRAW:
            withdraw(model, state, idx[state.withdrawn_round[idx, k] < 0], k, t)
        else:
            grant_all(model, state, idx, event.members[0], k, t)


def grant_all(model: Model, state: State, idx: NDArray[np.int64], i: int, k: int, t: int) -> None:
    """Grant every demand of member i on candidate k in rows idx, then settle."""
    for d in model.demands_of(i, k):
        fresh = idx[state.granted_round[idx, d] < 0]
        state.granted_round[fresh, d] = t
    settle(model, state, idx, i, k)


def settle(model: Model, state: State, idx: NDArray[np.int64], i: int, k: int) -> None:
    """A member whose demands on k are all granted comes to support k, unless it objects."""
    settle_cells(model, state, Cells(idx, np.full(idx.size, k), np.full(idx.size, i)))


def settle_cells(model: Model, state: State, c: Cells) -> None:
    """Each cell's member supports its candidate once its demands on it, if it has any, are
    all granted, unless it objects. ``c`` must not name one (trial, member) pair with two
    candidates."""
    own = model.pair_demands
    kernel.settle(state.stance, state.via_demand, state.dirty, state.granted_round, own, *c.parts)


def withdraw(model: Model, state: State, idx: NDArray[np.int64], k: int, t: int) -> None:
    """Candidate k withdraws in rows idx; its backers move to its endorsed candidate."""
    state.withdrawn_round[idx, k] = t
    state.dirty[idx] = True
    e = int(model.endorses[k])
    if e < 0:
        return
    idx = idx[state.withdrawn_round[idx, e] < 0]
    backers = state.stance[idx, k] == S
    if model.home[k] >= 0:
        backers[:, model.home[k]] = True
    row, member = np.nonzero(backers)
    support(state, Cells(idx[row], np.full(row.size, e), member))


def snapshot(model: Model, state: State, t: int) -> Snapshot:
    """The signals of steps 2-4, read once after the events; the rows start clean."""
    clout = weight(model, t)
    others = clout.sum() - clout
    share = np.divide(1.0, others, out=np.zeros_like(others), where=others > 0)
    now, blocker_flat, total = scored(model, state, t)
    following = model.following > 0 and bool(model.follows.any())
    blocking = (state.stance >= C) & model.present[t][None, None, :] if following else None
    state.dirty[:] = False
    return Snapshot(now, blocker_flat, total, share, blocking)


def influence(model: Model, state: State, t: int, snap: Snapshot, rng: np.random.Generator) -> None:
    """Step 2: uncommitted members that acquiesce to the front-runner come to support it.

    The round's probability ``1 - (1 - l_i)^(influence z)`` is the hazard
    ``-influence z ln(1 - l_i)`` on the member's influence clock towards the front-runner.
    Most cells of the front-runner's column acquiesce, so its clocks advance as whole rows.
    """
    if model.influence == 0:
        return
    rate = (model.influence * snap.share * hazard_of(model.lift_rate) * model.present[t]).astype(
        np.float32
    )
    clock = state.influence
    flat = kernel.influence(
        state.stance,
        snap.active,
        snap.leader,
        snap.total.astype(np.float32),
        rate,
        clock.elapsed,
        clock.threshold,
    )
    support(state, unflatten(model, flat))
    clock.renew(rng, flat)


def concessions(model: Model, state: State, t: int) -> None:
    """Step 3: open demands are granted; satisfied conditional members come to support."""
    if model.n_demands == 0:
        return
    multiplier = np.exp(model.deadline_pressure * model.pressure[t])
    hazard = multiplier * hazard_of(model.grant_rate)
    open_to = state.active(model, t)[:, model.demand_candidate]
    open_to &= model.present[t][model.demand_member][None, :]
    clock = state.grant
    won = kernel.grant(state.granted_round, open_to, clock.elapsed, clock.threshold, hazard, t)
    rows, demands = np.divmod(won, model.n_demands)
    if demands.size and model.demands_on_one_candidate:
        granted = Cells(rows, model.demand_candidate[demands], model.demand_member[demands])
        settle_cells(model, state, granted)
        return
    for x in np.unique(demands) if demands.size else ():
        member, cand = int(model.demand_member[x]), int(model.demand_candidate[x])
        settle(model, state, rows[demands == x], member, cand)


def revision(model: Model, state: State, t: int, snap: Snapshot, rng: np.random.Generator) -> None:
    """Step 4: every blocker (C or O) may give way and acquiesce, on one exit rule.

    Why the snapshot's blockers: between the snapshot and this step members only come to
    support, so the blockers now are those of the snapshot that still block.
    """
    terms = (
        float(model.deadline_pressure * model.pressure[t]),
        float(model.isolation),
        float(model.influence),
    )
    flat, log_m = kernel.lift_terms(
        state.stance, snap.blocker_flat, snap.blockers, snap.total, snap.share, terms
    )
    hazard = np.exp(log_m) * hazard_of(model.lift_rate[flat % model.n_members])
    if snap.blocking is not None:
        follow = float(hazard_of(np.array(model.following)))
        hazard = hazard + following(model, snap.blocking, unflatten(model, flat)) * follow
    lifted = flat[state.lift.advance(flat, hazard)]
    state.stance.reshape(-1)[lifted] = A
    state.dirty[lifted // (model.n_candidates * model.n_members)] = True
    state.lift.renew(rng, lifted)


def following(model: Model, blocking: NDArray[np.bool_], c: Cells) -> NDArray[np.bool_]:
    """Which cells' members follow someone and none of whom blocks the cell's candidate."""
    leaders = model.follows[c.i]
    leaders_block = (blocking[c.n, c.k] & leaders).any(axis=1)
    return np.asarray(leaders.any(axis=1) & ~leaders_block, dtype=np.bool_)

"""Steps 1 to 4 of a round (docs/model.md), vectorised across the trials of a chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from natosim.engine.faststate import A, C, Cells, S, State, cells
from natosim.engine.hazards import hazard_of
from natosim.model import EventKind, Model


@dataclass
class Snapshot:
    """Signals read from the state after a round's events (docs/model.md)."""

    active: NDArray[np.bool_]  # (n, K)
    total: NDArray[np.float64]  # (n, K) clout of the present supporters
    share: NDArray[np.float64]  # (M,) 1 / clout of the other present members (0 if none)
    blockers: NDArray[np.int64]  # (n, K) present members blocking each candidate
    leader: NDArray[np.int64]  # (n,) the front-runner, or -1
    blocking: NDArray[np.bool_] | None  # (n, K, M) who blocks whom; kept only for following

    def z(self, c: Cells) -> NDArray[np.float64]:
        """The influence signal of cells whose member does not support the candidate.

        Why: such a member's own clout is not in the support total, so z = total / others'.
        """
        return self.total[c.n, c.k] * self.share[c.i]


def support(state: State, c: Cells) -> None:
    """Members come to support candidates; support is exclusive, so any other becomes A.

    ``c`` must not name one (trial, member) pair twice.
    """
    column = state.stance[c.n, :, c.i]
    column[column == S] = A
    column[np.arange(c.n.size), c.k] = S
    state.stance[c.n, :, c.i] = column


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
    own = model.demands_of(i, k)
    if own.size == 0:
        return
    all_granted = (state.granted_round[np.ix_(idx, own)] >= 0).all(axis=1)
    stance = state.stance[idx, k, i]
    won = idx[all_granted & ((stance == C) | (stance == A))]
    state.via_demand[idx[all_granted & (stance == C)], k, i] = True
    support(state, Cells(won, np.full(won.size, k), np.full(won.size, i)))


def withdraw(model: Model, state: State, idx: NDArray[np.int64], k: int, t: int) -> None:
    """Candidate k withdraws in rows idx; its backers move to its endorsed candidate."""
    state.withdrawn_round[idx, k] = t
    e = int(model.endorses[k])
    if e < 0:
        return
    idx = idx[state.withdrawn_round[idx, e] < 0]
    backers = state.stance[idx, k] == S
    if model.home[k] >= 0:
        backers[:, model.home[k]] = True
    row, member = np.nonzero(backers)
    support(state, Cells(idx[row], np.full(row.size, e), member))


def support_score(model: Model, stance: NDArray[np.int8], t: int) -> NDArray[np.float64]:
    """(n, K) clout of the present members supporting each candidate."""
    weight = (model.clout * model.present[t]).astype(np.float32)
    score: NDArray[np.float64] = ((stance == S).astype(np.float32) @ weight).astype(np.float64)
    return score


def blockers_of(model: Model, state: State, t: int, active: NDArray[np.bool_]) -> Cells:
    """The cells of present members blocking active candidates."""
    return cells(model, t, state.stance >= C, active)


def front_runner(
    model: Model,
    score: NDArray[np.float64],
    active: NDArray[np.bool_],
    blockers: NDArray[np.int64],
) -> NDArray[np.int64]:
    """(n,) the active candidate with most clout-weighted support, or -1 if none is active.

    Ties go to the candidate with fewer blockers, then to the one listed first.
    """
    if model.n_candidates == 1 or (active.sum(axis=1) <= 1).all():
        return np.where(active.any(axis=1), active.argmax(axis=1), -1)
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


def snapshot(model: Model, state: State, t: int) -> Snapshot:
    """The signals of steps 2-4, read once after the events."""
    weight = model.clout * model.present[t]
    others = weight.sum() - weight
    share = np.divide(1.0, others, out=np.zeros_like(others), where=others > 0)
    active = state.active(model, t)
    total = support_score(model, state.stance, t)
    blockers = blockers_of(model, state, t, active).per_candidate(state.n, model)
    following = model.following > 0 and bool(model.follows.any())
    blocking = (state.stance >= C) & model.present[t][None, None, :] if following else None
    leader = front_runner(model, total, active, blockers)
    return Snapshot(active, total, share, blockers, leader, blocking)


def influence(model: Model, state: State, t: int, snap: Snapshot, rng: np.random.Generator) -> None:
    """Step 2: uncommitted members that acquiesce to the front-runner come to support it.

    The round's probability ``1 - (1 - l_i)^(influence z)`` is the hazard
    ``-influence z ln(1 - l_i)`` on the member's influence clock towards the front-runner.
    Most cells of the front-runner's column acquiesce, so the clocks advance as whole arrays.
    """
    if model.influence == 0:
        return
    support_ = state.stance == S
    committed = (support_ & snap.active[:, :, None]).any(axis=1)
    leads = snap.leader[:, None] == np.arange(model.n_candidates)[None, :]
    movable = (state.stance == A) & leads[:, :, None] & ~committed[:, None, :]
    rate = (model.influence * snap.share * hazard_of(model.lift_rate) * model.present[t]).astype(
        np.float32
    )
    hazard = snap.total.astype(np.float32)[:, :, None] * rate[None, None, :]
    clock = state.influence
    np.add(clock.elapsed, hazard * movable, out=clock.elapsed)
    moved = np.flatnonzero(movable & (clock.elapsed > clock.threshold))
    n, rest = np.divmod(moved, model.n_candidates * model.n_members)
    k, i = np.divmod(rest, model.n_members)
    support(state, Cells(n, k, i))
    clock.renew(rng, moved)


def concessions(model: Model, state: State, t: int) -> None:
    """Step 3: open demands are granted; satisfied conditional members come to support."""
    if model.n_demands == 0:
        return
    multiplier = np.exp(model.deadline_pressure * model.pressure[t])
    hazard = multiplier * hazard_of(model.grant_rate)
    active = state.active(model, t)[:, model.demand_candidate]
    open_ = (state.granted_round < 0) & active & model.present[t][model.demand_member][None, :]
    flat = np.flatnonzero(open_)
    n, d = np.divmod(flat, model.n_demands)
    won = state.grant.advance(flat, hazard[d])
    rows, demands = n[won], d[won]
    state.granted_round[rows, demands] = t
    for x in np.unique(demands) if demands.size else ():
        member, cand = int(model.demand_member[x]), int(model.demand_candidate[x])
        settle(model, state, rows[demands == x], member, cand)


def revision(model: Model, state: State, t: int, snap: Snapshot, rng: np.random.Generator) -> None:
    """Step 4: every blocker (C or O) may give way and acquiesce, on one exit rule."""
    c = cells(model, t, state.stance >= C, snap.active)
    log_m = (
        model.deadline_pressure * model.pressure[t]
        + model.isolation / np.maximum(snap.blockers[c.n, c.k], 1)
        + model.influence * snap.z(c)
    )
    hazard = np.exp(log_m) * hazard_of(model.lift_rate[c.i])
    if snap.blocking is not None:
        follow = float(hazard_of(np.array(model.following)))
        hazard = hazard + following(model, snap.blocking, c) * follow
    flat = c.flat(model)
    lifted = flat[state.lift.advance(flat, hazard)]
    state.stance.reshape(-1)[lifted] = A
    state.lift.renew(rng, lifted)


def following(model: Model, blocking: NDArray[np.bool_], c: Cells) -> NDArray[np.bool_]:
    """Which cells' members follow someone and none of whom blocks the cell's candidate."""
    leaders = model.follows[c.i]
    leaders_block = (blocking[c.n, c.k] & leaders).any(axis=1)
    return np.asarray(leaders.any(axis=1) & ~leaders_block, dtype=np.bool_)

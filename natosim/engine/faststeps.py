"""The seven steps of a round (docs/model.md), vectorised across the trials of a chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from natosim.engine.faststate import A, C, Cells, O, S, State, cells
from natosim.engine.hazards import hazard_of
from natosim.model import EventKind, Model


@dataclass
class Snapshot:
    """Signals read from the state after a round's events (docs/model.md)."""

    active: NDArray[np.bool_]  # (n, K)
    total: NDArray[np.float64]  # (n, K) clout of the present supporters
    share: NDArray[np.float64]  # (M,) 1 / clout of the other present members (0 if none)
    blockers: NDArray[np.int64]  # (n, K) present members blocking each candidate

    def z(self, c: Cells) -> NDArray[np.float64]:
        """The influence signal of cells whose member does not support the candidate.

        Why: such a member's own clout is not in the support total, so z = total / others'.
        """
        return self.total[c.n, c.k] * self.share[c.i]


def apply_events(model: Model, state: State, t: int) -> None:
    """Step 1: the events of round t, in file order, where they happen."""
    for e, event in enumerate(model.events):
        if event.round != t:
            continue
        idx = np.nonzero(state.happens[:, e])[0]
        k = event.candidate
        if event.kind == EventKind.ENDORSE:
            state.stance[np.ix_(idx, np.array([k]), np.array(event.members))] = S
        elif event.kind == EventKind.STANCE:
            state.stance[idx, k, event.members[0]] = event.stance
            settle(model, state, idx, event.members[0], k)
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
    """A conditional member whose demands on k are all granted comes to support k."""
    own = model.demands_of(i, k)
    if own.size == 0:
        return
    all_granted = (state.granted_round[np.ix_(idx, own)] >= 0).all(axis=1)
    won = idx[all_granted & (state.stance[idx, k, i] == C)]
    state.stance[won, k, i] = S
    state.via_demand[won, k, i] = True


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
    state.stance[idx, e] = np.where(backers, S, state.stance[idx, e])


def support_score(model: Model, stance: NDArray[np.int8], t: int) -> NDArray[np.float64]:
    """(n, K) clout of the present members supporting each candidate."""
    weight = (model.clout * model.present[t]).astype(np.float32)
    score: NDArray[np.float64] = ((stance == S).astype(np.float32) @ weight).astype(np.float64)
    return score


def blockers_of(model: Model, state: State, t: int, active: NDArray[np.bool_]) -> Cells:
    """The cells of present members blocking active candidates."""
    return cells(model, t, state.stance >= C, active)


def snapshot(model: Model, state: State, t: int) -> Snapshot:
    """The signals of steps 2-4, read once after the events."""
    weight = model.clout * model.present[t]
    others = weight.sum() - weight
    share = np.divide(1.0, others, out=np.zeros_like(others), where=others > 0)
    active = state.active(model, t)
    return Snapshot(
        active=active,
        total=support_score(model, state.stance, t),
        share=share,
        blockers=blockers_of(model, state, t, active).per_candidate(state.n, model),
    )


def influence(model: Model, state: State, t: int, snap: Snapshot, rng: np.random.Generator) -> None:
    """Step 2: acquiescing members drift to support with the clout-weighted signal.

    The round's probability ``1 - (1 - l_i)^(influence z)`` is the hazard
    ``-influence z ln(1 - l_i)`` on the member's influence clock. Most cells acquiesce, so the
    clocks advance as whole arrays.
    """
    if model.influence == 0:
        return
    rate = model.influence * snap.share * hazard_of(model.lift_rate) * model.present[t]
    signal = (snap.total * snap.active).astype(np.float32)
    hazard = signal[:, :, None] * rate.astype(np.float32)[None, None, :]
    acquiescing = state.stance == A
    clock = state.influence
    np.add(clock.elapsed, hazard * acquiescing, out=clock.elapsed)
    moved = np.flatnonzero(acquiescing & (clock.elapsed > clock.threshold))
    state.stance.reshape(-1)[moved] = S
    clock.renew(rng, moved)


def concessions(model: Model, state: State, t: int, rng: np.random.Generator) -> None:
    """Step 3: open demands are granted; satisfied conditional members come to support."""
    del rng  # the grant clocks' thresholds come from this mechanism's stream at round 0
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
    """Step 4: objectors lift their objections, faster near deadlines and when isolated."""
    c = cells(model, t, state.stance == O, snap.active)
    log_m = (
        model.deadline_pressure * model.pressure[t]
        + model.isolation / np.maximum(snap.blockers[c.n, c.k], 1)
        + model.influence * snap.z(c)
    )
    flat = c.flat(model)
    lifted = flat[state.lift.advance(flat, np.exp(log_m) * hazard_of(model.lift_rate[c.i]))]
    state.stance.reshape(-1)[lifted] = A
    state.lift.renew(rng, lifted)


def front_runner(
    model: Model,
    state: State,
    t: int,
    active: NDArray[np.bool_],
    blockers: NDArray[np.int64],
) -> NDArray[np.int64]:
    """(n,) the active candidate with most clout-weighted support, or -1 if none is active.

    Ties go to the candidate with fewer blockers, then to the one listed first.
    """
    if model.n_candidates == 1 or (active.sum(axis=1) <= 1).all():
        return np.where(active.any(axis=1), active.argmax(axis=1), -1)
    score = support_score(model, state.stance, t)
    best = np.full(state.n, -1, np.int64)
    best_score = np.full(state.n, -np.inf)
    best_blockers = np.zeros(state.n, np.int64)
    for k in range(model.n_candidates):
        s, b = score[:, k], blockers[:, k]
        better = (s > best_score) | ((s == best_score) & (b < best_blockers))
        better &= active[:, k]
        best = np.where(better, k, best)
        best_score = np.where(better, s, best_score)
        best_blockers = np.where(better, b, best_blockers)
    return best


def withdrawals(model: Model, state: State, t: int, rng: np.random.Generator) -> None:
    """Step 5: trailing candidates withdraw; their backers follow the endorsement."""
    del rng  # the exit clocks' thresholds come from this mechanism's stream at round 0
    if not (model.withdraw_rate > 0).any():
        return
    active = state.active(model, t)
    blockers = blockers_of(model, state, t, active).per_candidate(state.n, model)
    front = front_runner(model, state, t, active, blockers)
    multiplier = np.exp(model.deadline_pressure * model.pressure[t])
    hazard = multiplier * hazard_of(model.withdraw_rate)
    trailing = active & (front[:, None] != np.arange(model.n_candidates)) & (hazard > 0)
    flat = np.flatnonzero(trailing)
    gone = flat[state.exit.advance(flat, hazard[flat % model.n_candidates])]
    for k in np.unique(gone % model.n_candidates):
        withdraw(
            model, state, gone[gone % model.n_candidates == k] // model.n_candidates, int(k), t
        )


def council_check(
    model: Model, state: State, t: int, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Step 6: circulate the front-runner under silence where nobody blocks it.

    Returns:
        The front-runner of each row (-1 if none) and whether it was appointed.
    """
    active = state.active(model, t)
    blocking = blockers_of(model, state, t, active)
    blockers = blocking.per_candidate(state.n, model)
    front = front_runner(model, state, t, active, blockers)
    fk = np.where(front >= 0, front, 0)
    circulated = np.nonzero((front >= 0) & (blockers[np.arange(state.n), fk] == 0))[0]
    hazard = hazard_of(model.silence_break) * model.present[t]
    listening = np.nonzero(hazard > 0)[0]
    flat = (circulated[:, None] * model.n_members + listening[None, :]).reshape(-1)
    broken = flat[state.silence.advance(flat, np.tile(hazard[listening], circulated.size))]
    state.silence.renew(rng, broken)
    row, member = np.divmod(broken, model.n_members)
    broke = Cells(row, fk[row], member)
    state.stance[broke.n, broke.k, broke.i] = O
    appointed = np.zeros(state.n, np.bool_)
    appointed[circulated] = True
    appointed[row] = False
    _record_blocking(model, state, t, blocking, broke)
    return front, appointed


def _record_blocking(model: Model, state: State, t: int, *blocking: Cells) -> None:
    for c in blocking:
        flat = c.flat(model)
        state.block_count.reshape(-1)[flat] += 1
        state.last_block.reshape(-1)[flat] = t

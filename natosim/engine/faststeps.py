"""The fast engine's state and the seven steps of a round, vectorised across trials.

Arrays have one row per trial still running; ``State.rows`` maps them back to the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from natosim.engine.draws import bernoulli, categorical, cell_bernoulli
from natosim.model import EventKind, Model, Stance

S = np.int8(Stance.SUPPORT)
A = np.int8(Stance.ACQUIESCE)
C = np.int8(Stance.CONDITIONAL)
O = np.int8(Stance.OBJECT)  # noqa: E741 - the stance letter used throughout docs/model.md


@dataclass
class State:
    """The state of the trials still running (n rows)."""

    rows: NDArray[np.int64]  # (n,) position in the chunk
    stance: NDArray[np.int8]  # (n, M, K)
    granted_round: NDArray[np.int16]  # (n, D), -1 if not granted
    withdrawn_round: NDArray[np.int16]  # (n, K), -1 if not withdrawn
    via_demand: NDArray[np.bool_]  # (n, M, K) support won by granted demands
    block_count: NDArray[np.int16]  # (n, M, K)
    last_block: NDArray[np.int16]  # (n, M, K)
    happens: NDArray[np.bool_]  # (n, E) whether each event happens in this trial

    @property
    def n(self) -> int:
        """Trials still running."""
        return int(self.rows.shape[0])

    def keep(self, mask: NDArray[np.bool_]) -> State:
        """The state of the rows where ``mask`` holds."""
        return State(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})

    def active(self, model: Model, t: int) -> NDArray[np.bool_]:
        """(n, K) candidates entered by round t and not withdrawn."""
        entered = model.enter_round <= t
        return entered[None, :] & (self.withdrawn_round < 0)


@dataclass
class Snapshot:
    """Signals read from the state after a round's events (docs/model.md)."""

    active: NDArray[np.bool_]  # (n, K)
    total: NDArray[np.float64]  # (n, K) clout of the present supporters
    share: NDArray[np.float64]  # (M,) 1 / clout of the other present members (0 if none)
    blockers: NDArray[np.int64]  # (n, K) present members blocking each candidate

    def z(
        self, n: NDArray[np.int64], i: NDArray[np.int64], k: NDArray[np.int64]
    ) -> NDArray[np.float64]:
        """The influence signal z[n, i, k] for members i that do not support k."""
        return self.total[n, k] * self.share[i]


@dataclass
class Buffers:
    """Per-trial results of a chunk, filled as trials finish."""

    outcome: NDArray[np.int16]
    decision_round: NDArray[np.int16]
    decisive: NDArray[np.int16]
    rounds_blocking: NDArray[np.int16]
    last_block_round: NDArray[np.int16]
    sole_blocker_at_hard: NDArray[np.int16]
    granted_round: NDArray[np.int16]
    withdrawn_round: NDArray[np.int16]
    needed_demand: NDArray[np.bool_]

    @classmethod
    def empty(cls, model: Model, n: int) -> Buffers:
        """Buffers for n trials, with 'never' everywhere."""
        m, k, d = model.n_members, model.n_candidates, model.n_demands
        return cls(
            outcome=np.full(n, -1, np.int16),
            decision_round=np.full(n, -1, np.int16),
            decisive=np.full(n, -1, np.int16),
            rounds_blocking=np.zeros((n, m), np.int16),
            last_block_round=np.full((n, m), -1, np.int16),
            sole_blocker_at_hard=np.full(n, -1, np.int16),
            granted_round=np.full((n, d), -1, np.int16),
            withdrawn_round=np.full((n, k), -1, np.int16),
            needed_demand=np.zeros(n, np.bool_),
        )

    def finish(
        self,
        model: Model,
        state: State,
        done: NDArray[np.bool_],
        outcome: NDArray[np.int64],
        front: NDArray[np.int64],
        t: int,
    ) -> None:
        """Copy the results of the rows that finished in round t."""
        rows = state.rows[done]
        idx = np.nonzero(done)[0]
        f = front[done]
        has = f >= 0
        fk = np.where(has, f, 0)
        self.outcome[rows] = outcome[done]
        self.decision_round[rows] = t
        self.decisive[rows] = f
        self.rounds_blocking[rows] = np.where(has[:, None], state.block_count[idx, :, fk], 0)
        self.last_block_round[rows] = np.where(has[:, None], state.last_block[idx, :, fk], -1)
        self.granted_round[rows] = state.granted_round[idx]
        self.withdrawn_round[rows] = state.withdrawn_round[idx]
        appointed = outcome[done] < model.n_candidates
        self.needed_demand[rows] = appointed & state.via_demand[idx, :, fk].any(axis=1)
        if t == model.hard_round:
            self.sole_blocker_at_hard[rows] = _sole_blocker(model, state, idx, fk, has, t)


def _sole_blocker(
    model: Model,
    state: State,
    idx: NDArray[np.int64],
    fk: NDArray[np.int64],
    has: NDArray[np.bool_],
    t: int,
) -> NDArray[np.int64]:
    blocking = (state.stance[idx, :, fk] >= C) & model.present[t][None, :]
    single = has & (blocking.sum(axis=1) == 1)
    return np.where(single, blocking.argmax(axis=1), -1)


def initial_state(
    model: Model, n: int, stance_rng: np.random.Generator, events_rng: np.random.Generator
) -> State:
    """Round 0's drawn stances and the once-per-trial draws of uncertain events."""
    m, k, d = model.n_members, model.n_candidates, model.n_demands
    probs = np.array([e.probability for e in model.events], dtype=np.float64)
    return State(
        rows=np.arange(n, dtype=np.int64),
        stance=categorical(stance_rng, model.stance_prob, n).astype(np.int8),
        granted_round=np.full((n, d), -1, np.int16),
        withdrawn_round=np.full((n, k), -1, np.int16),
        via_demand=np.zeros((n, m, k), np.bool_),
        block_count=np.zeros((n, m, k), np.int16),
        last_block=np.full((n, m, k), -1, np.int16),
        happens=cell_bernoulli(events_rng, probs, n),
    )


def apply_events(model: Model, state: State, t: int) -> None:
    """Step 1: the events of round t, in file order, where they happen."""
    for e, event in enumerate(model.events):
        if event.round != t:
            continue
        idx = np.nonzero(state.happens[:, e])[0]
        k = event.candidate
        if event.kind == EventKind.ENDORSE:
            state.stance[np.ix_(idx, np.array(event.members), np.array([k]))] = S
        elif event.kind == EventKind.STANCE:
            state.stance[idx, event.members[0], k] = event.stance
            settle(model, state, idx, event.members[0], k)
        elif event.kind == EventKind.WITHDRAW:
            withdraw(model, state, idx[state.withdrawn_round[idx, k] < 0], k, t)
        else:
            grant_all(model, state, idx, event.members[0], k, t)


def grant_all(model: Model, state: State, idx: NDArray[np.int64], i: int, k: int, t: int) -> None:
    """Grant every demand of member i on candidate k in rows idx, then settle."""
    for d in np.nonzero((model.demand_member == i) & (model.demand_candidate == k))[0]:
        fresh = idx[state.granted_round[idx, d] < 0]
        state.granted_round[fresh, d] = t
    settle(model, state, idx, i, k)


def settle(model: Model, state: State, idx: NDArray[np.int64], i: int, k: int) -> None:
    """A conditional member whose demands on k are all granted comes to support k."""
    own = np.nonzero((model.demand_member == i) & (model.demand_candidate == k))[0]
    if own.size == 0:
        return
    all_granted = (state.granted_round[np.ix_(idx, own)] >= 0).all(axis=1)
    won = idx[all_granted & (state.stance[idx, i, k] == C)]
    state.stance[won, i, k] = S
    state.via_demand[won, i, k] = True


def withdraw(model: Model, state: State, idx: NDArray[np.int64], k: int, t: int) -> None:
    """Candidate k withdraws in rows idx; its backers move to its endorsed candidate."""
    state.withdrawn_round[idx, k] = t
    e = int(model.endorses[k])
    if e < 0:
        return
    idx = idx[state.withdrawn_round[idx, e] < 0]
    backers = state.stance[idx, :, k] == S
    if model.home[k] >= 0:
        backers[:, model.home[k]] = True
    target = state.stance[idx, :, e]
    state.stance[idx, :, e] = np.where(backers, S, target)


@dataclass(frozen=True)
class Cells:
    """Member x candidate cells of some trials, as parallel index arrays (row, member, cand)."""

    n: NDArray[np.int64]
    i: NDArray[np.int64]
    k: NDArray[np.int64]

    def flat(self, model: Model) -> NDArray[np.int64]:
        """Indices into a flattened (n, M, K) array."""
        return (self.n * model.n_members + self.i) * model.n_candidates + self.k

    def per_candidate(self, rows: int, model: Model) -> NDArray[np.int64]:
        """(rows, K) how many of the cells each trial has for each candidate."""
        k = model.n_candidates
        return np.bincount(self.n * k + self.k, minlength=rows * k).reshape(rows, k)


def cells(
    model: Model, state: State, t: int, match: NDArray[np.bool_], active: NDArray[np.bool_]
) -> Cells:
    """The cells where ``match`` holds, for present members and active candidates.

    Why: the cells that move in a round (objectors, acquiescers, blockers) are a fraction of
    the array; finding them once by flat index is far cheaper than masking the whole array.
    """
    m, k = model.n_members, model.n_candidates
    flat = np.flatnonzero(match)
    row, rest = flat // (m * k), flat % (m * k)
    member, cand = rest // k, rest % k
    if model.present[t].all() and active.all():
        return Cells(row, member, cand)
    keep = model.present[t][member] & active.reshape(-1)[row * k + cand]
    return Cells(row[keep], member[keep], cand[keep])


def support_score(model: Model, stance: NDArray[np.int8], t: int) -> NDArray[np.float64]:
    """(n, K) clout of the present members supporting each candidate."""
    weight = model.clout * model.present[t]
    supports = np.moveaxis(stance == S, 1, 2).astype(np.float64)
    score: NDArray[np.float64] = supports @ weight
    return score


def snapshot(model: Model, state: State, t: int) -> Snapshot:
    """The signals of steps 2-4, read once after the events.

    Why: z is only needed for members that do not support a candidate (they acquiesce or
    object), whose own clout is not in the support total, so z = total / others' clout.
    """
    weight = model.clout * model.present[t]
    others = weight.sum() - weight
    share = np.divide(1.0, others, out=np.zeros_like(others), where=others > 0)
    active = state.active(model, t)
    blocking = cells(model, state, t, state.stance >= C, active)
    return Snapshot(
        active=active,
        total=support_score(model, state.stance, t),
        share=share,
        blockers=blocking.per_candidate(state.n, model),
    )


def influence(model: Model, state: State, t: int, snap: Snapshot, rng: np.random.Generator) -> None:
    """Step 2: acquiescing members drift to support with the clout-weighted signal."""
    if model.influence == 0:
        return
    c = cells(model, state, t, state.stance == A, snap.active)
    exponent = model.influence * snap.z(c.n, c.i, c.k)
    p = -np.expm1(exponent * np.log1p(-model.lift_rate[c.i]))
    moved = bernoulli(rng, p)
    state.stance[c.n[moved], c.i[moved], c.k[moved]] = S


def concessions(model: Model, state: State, t: int, rng: np.random.Generator) -> None:
    """Step 3: open demands are granted; satisfied conditional members come to support."""
    if model.n_demands == 0:
        return
    multiplier = np.exp(model.deadline_pressure * model.pressure[t])
    p_d = 1.0 - (1.0 - model.grant_rate) ** multiplier
    active = state.active(model, t)[:, model.demand_candidate]
    open_ = (state.granted_round < 0) & active & model.present[t][model.demand_member][None, :]
    n, d = np.nonzero(open_)
    won = bernoulli(rng, p_d[d])
    rows, demands = n[won], d[won]
    state.granted_round[rows, demands] = t
    for x in np.unique(demands):
        member, cand = int(model.demand_member[x]), int(model.demand_candidate[x])
        settle(model, state, rows[demands == x], member, cand)


def revision(model: Model, state: State, t: int, snap: Snapshot, rng: np.random.Generator) -> None:
    """Step 4: objectors lift their objections, faster near deadlines and when isolated."""
    c = cells(model, state, t, state.stance == O, snap.active)
    log_m = (
        model.deadline_pressure * model.pressure[t]
        + model.isolation / np.maximum(snap.blockers[c.n, c.k], 1)
        + model.influence * snap.z(c.n, c.i, c.k)
    )
    p = -np.expm1(np.exp(log_m) * np.log1p(-model.lift_rate[c.i]))
    lifted = bernoulli(rng, p)
    state.stance[c.n[lifted], c.i[lifted], c.k[lifted]] = A


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
    if model.n_candidates == 1:
        return np.where(active[:, 0], 0, -1)
    score = np.where(active, support_score(model, state.stance, t), -np.inf)
    tied = active & (score == score.max(axis=1, initial=-np.inf)[:, None])
    fewest = np.where(tied, blockers, np.iinfo(np.int64).max)
    best = tied & (fewest == fewest.min(axis=1, initial=np.iinfo(np.int64).max)[:, None])
    return np.where(active.any(axis=1), best.argmax(axis=1), -1)


def withdrawals(model: Model, state: State, t: int, rng: np.random.Generator) -> None:
    """Step 5: trailing candidates withdraw; their backers follow the endorsement."""
    if not (model.withdraw_rate > 0).any():
        return
    active = state.active(model, t)
    blockers = cells(model, state, t, state.stance >= C, active).per_candidate(state.n, model)
    front = front_runner(model, state, t, active, blockers)
    multiplier = np.exp(model.deadline_pressure * model.pressure[t])
    for k in np.nonzero(model.withdraw_rate > 0)[0]:
        trailing = np.nonzero(active[:, k] & (front != k))[0]
        p = 1.0 - (1.0 - model.withdraw_rate[k]) ** multiplier
        gone = bernoulli(rng, np.full(trailing.size, p))
        withdraw(model, state, trailing[gone], int(k), t)


def council_check(
    model: Model, state: State, t: int, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Step 6: circulate the front-runner under silence where nobody blocks it.

    Returns:
        The front-runner of each row (-1 if none) and whether it was appointed.
    """
    active = state.active(model, t)
    blocking = cells(model, state, t, state.stance >= C, active)
    blockers = blocking.per_candidate(state.n, model)
    front = front_runner(model, state, t, active, blockers)
    fk = np.where(front >= 0, front, 0)
    circulated = np.nonzero((front >= 0) & (blockers[np.arange(state.n), fk] == 0))[0]
    eps = np.where(model.present[t], model.silence_break, 0.0)
    breaks = bernoulli(rng, np.broadcast_to(eps, (circulated.size, eps.size)))
    row, member = np.nonzero(breaks)
    broke = Cells(circulated[row], member, fk[circulated[row]])
    state.stance[broke.n, broke.i, broke.k] = O
    appointed = np.zeros(state.n, np.bool_)
    appointed[circulated[~breaks.any(axis=1)]] = True
    _record_blocking(model, state, t, blocking, broke)
    return front, appointed


def _record_blocking(model: Model, state: State, t: int, *blocking: Cells) -> None:
    for c in blocking:
        flat = c.flat(model)
        state.block_count.reshape(-1)[flat] += 1
        state.last_block.reshape(-1)[flat] = t

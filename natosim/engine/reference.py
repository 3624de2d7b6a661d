"""The reference engine: docs/model.md as one plain Python loop per trial.

Why: this module is the readable statement of the rules. It favours clarity over speed: each
step of a round is a small function that does what one paragraph of ``docs/model.md`` says.
The vectorised fast engine (:mod:`natosim.engine.fast`) is held to it statistically.

Randomness: each trial has its own generator per mechanism
(:func:`natosim.engine.streams.trial_generators`), and every draw comes from the stream of the
mechanism doing the drawing. The once-per-trial draws (initial stances, events) take one
uniform per cell, used or not, so that variants of a scenario share their numbers; a per-round
draw whose probability is exactly 0 or 1 consumes no random number. Logging a trial never
changes the numbers it consumes.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from natosim.engine.records import NO_MEMBER, LogEntry, TrialRecords
from natosim.engine.streams import Mechanism, trial_generators
from natosim.model import EventKind, Model, ModelEvent, Reversion, Stance

SUPPORT = int(Stance.SUPPORT)
ACQUIESCE = int(Stance.ACQUIESCE)
CONDITIONAL = int(Stance.CONDITIONAL)
OBJECT = int(Stance.OBJECT)

WHY_WITHDRAWAL = "withdrawal"
"""``why`` of a withdrawal drawn in step 5 (a trailing candidate gives up)."""

Generators = dict[Mechanism, np.random.Generator]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


def bernoulli(rng: np.random.Generator, p: float) -> bool:
    """A per-round draw, True with probability ``p``; no random number when ``p`` is 0 or 1."""
    if p <= 0.0:
        return False
    if p >= 1.0:
        return True
    return bool(rng.random() < p)


def modulated(base: float, multiplier: float) -> float:
    """The proportional-hazards form ``1 - (1 - base) ** multiplier`` of every hazard."""
    return 1.0 - float((1.0 - base) ** multiplier)


@dataclass(frozen=True)
class _Static:
    """What every trial of one model shares, derived once from the model."""

    cumulative: FloatArray  # (M, K, 4) cumulative stance probabilities
    demands_on: dict[tuple[int, int], list[int]]  # (member, candidate) -> demand indices
    weight: FloatArray  # (R, M) clout of the members present in each round, 0 if absent

    @classmethod
    def of(cls, model: Model) -> _Static:
        """Derive the shared arrays of ``model``."""
        demands_on: dict[tuple[int, int], list[int]] = {}
        for d in range(model.n_demands):
            pair = (int(model.demand_member[d]), int(model.demand_candidate[d]))
            demands_on.setdefault(pair, []).append(d)
        return cls(
            cumulative=np.cumsum(model.stance_prob, axis=2),
            demands_on=demands_on,
            weight=model.clout[None, :] * model.present,
        )


@dataclass
class _Trial:
    """The state of one trial and what it has recorded so far."""

    model: Model
    static: _Static
    rng: Generators
    log: list[LogEntry] | None
    stance: NDArray[np.int8]
    granted_round: NDArray[np.int16]
    withdrawn_round: NDArray[np.int16]
    block_count: NDArray[np.int32]
    last_block: NDArray[np.int32]
    happens: list[bool] = field(default_factory=list)
    via_demand: set[tuple[int, int]] = field(default_factory=set)
    front: int = -1
    outcome: int = -1
    decision_round: int = -1
    sole_blocker: int = NO_MEMBER

    @classmethod
    def start(cls, model: Model, static: _Static, rng: Generators, logged: bool) -> _Trial:
        """A fresh trial: nothing drawn, granted or withdrawn yet."""
        mk = (model.n_members, model.n_candidates)
        return cls(
            model=model,
            static=static,
            rng=rng,
            log=[] if logged else None,
            stance=np.full(mk, ACQUIESCE, dtype=np.int8),
            granted_round=np.full(model.n_demands, -1, dtype=np.int16),
            withdrawn_round=np.full(model.n_candidates, -1, dtype=np.int16),
            block_count=np.zeros(mk, dtype=np.int32),
            last_block=np.full(mk, -1, dtype=np.int32),
        )

    def note(
        self,
        t: int,
        what: str,
        why: str,
        *,
        member: int = NO_MEMBER,
        candidate: int = -1,
        old: int = -1,
        new: int = -1,
        demand: int = -1,
        detail: dict[str, float] | None = None,
    ) -> None:
        """Add an entry to the event log, if this trial is logged."""
        if self.log is not None:
            entry = LogEntry(t, what, why, member, candidate, old, new, demand, detail or {})
            self.log.append(entry)

    def active(self, t: int) -> BoolArray:
        """(K,) candidates active in round ``t``: entered and not withdrawn."""
        return (self.model.enter_round <= t) & (self.withdrawn_round < 0)

    def blocking(self, t: int) -> BoolArray:
        """(M, K) present members whose stance blocks each candidate (C or O)."""
        blocks: BoolArray = self.model.present[t][:, None] & (self.stance >= CONDITIONAL)
        return blocks

    def set_stance(self, t: int, i: int, k: int, new: int, why: str, **detail: float) -> None:
        """Set member ``i``'s stance towards ``k``, logging it if it changes."""
        old = int(self.stance[i, k])
        if old != new:
            self.stance[i, k] = new
            self.note(t, "stance", why, member=i, candidate=k, old=old, new=new, detail=detail)


# --- round 0 -----------------------------------------------------------------------------


def _initial_stances(tr: _Trial) -> None:
    """Draw each stance once per trial: one uniform per (i, k) pair, in row-major order.

    A certain stance takes its uniform too, so that making one stance certain does not shift
    the numbers of the pairs after it.
    """
    rng = tr.rng[Mechanism.STANCE]
    for i in range(tr.model.n_members):
        for k in range(tr.model.n_candidates):
            c = _categorical(rng.random(), tr.static.cumulative[i, k])
            tr.stance[i, k] = c
            if c >= CONDITIONAL:
                p = float(tr.model.stance_prob[i, k, c])
                tr.note(0, "stance", "initial", member=i, candidate=k, new=c, detail={"p": p})


def _categorical(u: float, cumulative: FloatArray) -> int:
    """The first category c with ``u < cumulative[c]``."""
    for c in range(len(cumulative)):
        if u < cumulative[c]:
            return c
    # Why: probabilities may sum to a hair under 1; u above the sum takes the last category.
    return int(np.flatnonzero(np.diff(cumulative, prepend=0.0) > 0)[-1])


def _draw_events(tr: _Trial) -> None:
    """Decide once per trial whether each event happens: one uniform per event, used or not."""
    rng = tr.rng[Mechanism.EVENTS]
    tr.happens = [bool(rng.random() < event.probability) for event in tr.model.events]


# --- step 1: entries and events ----------------------------------------------------------


def _step_events(tr: _Trial, t: int) -> None:
    """Log the candidates entering in round ``t`` and apply the events of round ``t``.

    Events dated on or before the start are compiled to round 0, so they apply before the
    first check.
    """
    for k in range(tr.model.n_candidates):
        if max(int(tr.model.enter_round[k]), 0) == t and tr.withdrawn_round[k] < 0:
            tr.note(t, "enter", "event", candidate=k)
    for index, event in enumerate(tr.model.events):
        if event.round == t and tr.happens[index]:
            _apply_event(tr, t, index, event)


def _apply_event(tr: _Trial, t: int, index: int, event: ModelEvent) -> None:
    """Apply one event that happens in this trial."""
    k = event.candidate
    detail = {"index": float(index), "kind": float(event.kind), "p": event.probability}
    first = event.members[0] if event.members else NO_MEMBER
    tr.note(t, "event", "event", member=first, candidate=k, detail=detail)
    if event.kind == EventKind.WITHDRAW:
        if tr.withdrawn_round[k] < 0:
            _withdraw(tr, t, k, "event")
        return
    for i in event.members:
        if event.kind == EventKind.ENDORSE:
            tr.set_stance(t, i, k, SUPPORT, "event")
        elif event.kind == EventKind.STANCE:
            tr.set_stance(t, i, k, int(event.stance), "event")
            _settle(tr, t, i, k, "event")
        else:
            for d in tr.static.demands_on.get((i, k), []):
                if tr.granted_round[d] < 0:
                    _grant(tr, t, d, "event")
            _settle(tr, t, i, k, "event")


def _grant(tr: _Trial, t: int, d: int, why: str, **detail: float) -> None:
    """Grant demand ``d`` in round ``t``."""
    tr.granted_round[d] = t
    i, k = int(tr.model.demand_member[d]), int(tr.model.demand_candidate[d])
    tr.note(t, "grant", why, member=i, candidate=k, demand=d, detail=detail)


def _settle(tr: _Trial, t: int, i: int, k: int, why: str) -> None:
    """A conditional member whose demands on ``k`` are all granted supports ``k`` at once.

    Why: a conditional stance with no demand on ``k`` has no modelled price, so it never
    settles (it blocks until an event changes it).
    """
    demands = tr.static.demands_on.get((i, k), [])
    if tr.stance[i, k] != CONDITIONAL or not demands:
        return
    if all(tr.granted_round[d] >= 0 for d in demands):
        tr.set_stance(t, i, k, SUPPORT, why)
        tr.via_demand.add((i, k))


def _withdraw(tr: _Trial, t: int, k: int, why: str, **detail: float) -> None:
    """Withdraw ``k``; its home member and backers come to support the one it endorses."""
    tr.withdrawn_round[k] = t
    tr.note(t, "withdraw", why, candidate=k, detail=detail)
    heir = int(tr.model.endorses[k])
    if heir < 0 or tr.withdrawn_round[heir] >= 0:
        return
    movers = set(np.flatnonzero(tr.stance[:, k] == SUPPORT).tolist())
    if tr.model.home[k] >= 0:
        movers.add(int(tr.model.home[k]))
    for j in sorted(movers):
        tr.set_stance(t, j, heir, SUPPORT, "transfer", withdrawn=float(k))


# --- steps 2 to 5 ------------------------------------------------------------------------


def _snapshot(tr: _Trial, t: int) -> tuple[FloatArray, NDArray[np.int64]]:
    """The influence signal z (M, K) and the blocker counts B (K,) after step 1.

    ``z[i, k]`` is the clout-weighted share of the *other* present members that support ``k``
    (0 when those others have no clout); ``B[k]`` counts the present members blocking ``k``.
    """
    weight = tr.static.weight[t]
    support = tr.stance == SUPPORT
    own = weight[:, None] * support
    others_backing = (weight @ support)[None, :] - own
    others_weight = np.broadcast_to((weight.sum() - weight)[:, None], own.shape)
    z = np.divide(others_backing, others_weight, out=np.zeros(own.shape), where=others_weight > 0)
    return z, tr.blocking(t).sum(axis=0)


def _pressure_multiplier(tr: _Trial, t: int) -> float:
    """``exp(δ·π_t)``: how much the deadline signal multiplies hazards in round ``t``."""
    return math.exp(tr.model.deadline_pressure * float(tr.model.pressure[t]))


def _influence(tr: _Trial, t: int, z: FloatArray) -> None:
    """Step 2: acquiescing members come to support as others do."""
    influence = tr.model.influence
    if influence <= 0:
        return
    rng = tr.rng[Mechanism.INFLUENCE]
    movable = tr.model.present[t][:, None] & tr.active(t)[None, :] & (tr.stance == ACQUIESCE)
    for i, k in zip(*np.nonzero(movable), strict=True):
        m = influence * float(z[i, k])
        p = modulated(float(tr.model.lift_rate[i]), m)
        if bernoulli(rng, p):
            tr.set_stance(t, int(i), int(k), SUPPORT, "influence", p=p, z=z[i, k], multiplier=m)


def _concessions(tr: _Trial, t: int) -> None:
    """Step 3: open demands of present members on active candidates may be granted."""
    model, rng = tr.model, tr.rng[Mechanism.CONCESSIONS]
    m = _pressure_multiplier(tr, t)
    active = tr.active(t)
    settled: list[tuple[int, int]] = []
    for d in range(model.n_demands):
        i, k = int(model.demand_member[d]), int(model.demand_candidate[d])
        if tr.granted_round[d] >= 0 or not model.present[t, i] or not active[k]:
            continue
        p = modulated(float(model.grant_rate[d]), m)
        if bernoulli(rng, p):
            _grant(tr, t, d, "concession", p=p, multiplier=m)
            settled.append((i, k))
    for i, k in settled:
        _settle(tr, t, i, k, "concession")


def _revision(tr: _Trial, t: int, z: FloatArray, blockers: NDArray[np.int64]) -> None:
    """Step 4: objectors lift their objections (become A), faster near deadlines and alone."""
    model, rng = tr.model, tr.rng[Mechanism.REVISION]
    pressure = model.deadline_pressure * float(model.pressure[t])
    objecting = model.present[t][:, None] & tr.active(t)[None, :] & (tr.stance == OBJECT)
    for i, k in zip(*np.nonzero(objecting), strict=True):
        b = int(blockers[k])
        m = math.exp(pressure + model.isolation / b + model.influence * float(z[i, k]))
        p = modulated(float(model.lift_rate[i]), m)
        if bernoulli(rng, p):
            tr.set_stance(t, int(i), int(k), ACQUIESCE, "lift", p=p, multiplier=m, blockers=b)


def _withdrawals(tr: _Trial, t: int) -> None:
    """Step 5: candidates trailing the front-runner may withdraw, in candidate order."""
    leader = _front_runner(tr, t)
    if leader < 0:
        return
    model, rng = tr.model, tr.rng[Mechanism.WITHDRAWALS]
    m = _pressure_multiplier(tr, t)
    for k in range(model.n_candidates):
        if k == leader or not tr.active(t)[k] or model.withdraw_rate[k] <= 0:
            continue
        p = modulated(float(model.withdraw_rate[k]), m)
        if bernoulli(rng, p):
            _withdraw(tr, t, k, WHY_WITHDRAWAL, p=p, multiplier=m)


def _negotiate(tr: _Trial, t: int) -> None:
    """Steps 2 to 5 of a round after round 0, reading the snapshot taken after step 1."""
    z, blockers = _snapshot(tr, t)
    _influence(tr, t, z)
    _concessions(tr, t)
    _revision(tr, t, z, blockers)
    _withdrawals(tr, t)


# --- steps 6 and 7 -----------------------------------------------------------------------


def _front_runner(tr: _Trial, t: int) -> int:
    """The active candidate with most present clout-weighted support, or -1 if none.

    Ties go to the candidate with fewer present blockers, then to the lower index.
    """
    candidates = np.flatnonzero(tr.active(t))
    if candidates.size == 0:
        return -1
    votes = tr.static.weight[t] @ (tr.stance == SUPPORT)
    blockers = tr.blocking(t).sum(axis=0)
    return int(min(candidates, key=lambda k: (-votes[k], blockers[k], k)))


def _check(tr: _Trial, t: int) -> bool:
    """Step 6: record blocking; appoint the front-runner if nobody blocks or breaks silence."""
    leader = _front_runner(tr, t)
    tr.front = leader
    blocking = tr.blocking(t) & tr.active(t)[None, :]
    tr.block_count += blocking
    tr.last_block[blocking] = t
    if leader < 0 or blocking[:, leader].any():
        return False
    breakers = _silence(tr, t, leader)
    for i in breakers:
        tr.set_stance(t, i, leader, OBJECT, "silence")
        tr.block_count[i, leader] += 1
        tr.last_block[i, leader] = t
    if breakers:
        return False
    tr.outcome, tr.decision_round = leader, t
    votes = float(tr.static.weight[t] @ (tr.stance[:, leader] == SUPPORT))
    tr.note(t, "appoint", "council", candidate=leader, detail={"votes": votes})
    return True


def _silence(tr: _Trial, t: int, leader: int) -> list[int]:
    """The present members that break silence on ``leader``, in member order."""
    rng = tr.rng[Mechanism.SILENCE]
    breakers: list[int] = []
    for i in np.flatnonzero(tr.model.present[t]).tolist():
        epsilon = float(tr.model.silence_break[i])
        if bernoulli(rng, epsilon):
            breakers.append(i)
            tr.note(
                t, "silence_break", "silence", member=i, candidate=leader, detail={"p": epsilon}
            )
    return breakers


def _deadline(tr: _Trial, t: int) -> bool:
    """Step 7: end an undecided trial at the hard deadline or after the last round."""
    model = tr.model
    if t == model.hard_round:
        tr.outcome, tr.decision_round = model.n_candidates + int(model.reversion), t
        tr.sole_blocker = _sole_blocker(tr, t)
        offset = int(model.reversion)
        tr.note(t, "reversion", "deadline", member=tr.sole_blocker, candidate=tr.front, new=offset)
        return True
    if t == model.n_rounds - 1:
        tr.outcome = model.n_candidates + int(Reversion.NO_DECISION)
        tr.decision_round = t
        tr.note(t, "no_decision", "horizon", candidate=tr.front)
        return True
    return False


def _sole_blocker(tr: _Trial, t: int) -> int:
    """The single present member blocking the front-runner, or -1."""
    if tr.front < 0:
        return NO_MEMBER
    who = np.flatnonzero(tr.blocking(t)[:, tr.front])
    return int(who[0]) if who.size == 1 else NO_MEMBER


# --- trials and records ------------------------------------------------------------------


def _play(tr: _Trial) -> None:
    """Run one trial from round 0 until it is decided."""
    _initial_stances(tr)
    _draw_events(tr)
    for t in range(tr.model.n_rounds):
        _step_events(tr, t)
        if t > 0:
            _negotiate(tr, t)
        if _check(tr, t) or _deadline(tr, t):
            return


def _fill(out: TrialRecords, row: int, tr: _Trial) -> None:
    """Store the results of a finished trial in ``row``."""
    appointed = 0 <= tr.outcome < tr.model.n_candidates
    decisive = tr.outcome if appointed else tr.front
    out.outcome[row], out.decision_round[row] = tr.outcome, tr.decision_round
    out.decisive[row] = decisive
    if decisive >= 0:
        out.rounds_blocking[row] = tr.block_count[:, decisive]
        out.last_block_round[row] = tr.last_block[:, decisive]
    out.sole_blocker_at_hard[row] = tr.sole_blocker
    out.granted_round[row] = tr.granted_round
    out.withdrawn_round[row] = tr.withdrawn_round
    out.needed_demand[row] = appointed and any(k == tr.outcome for _, k in tr.via_demand)


def simulate_reference(
    model: Model, seed: int, first: int, n: int, log_trials: Collection[int] = ()
) -> tuple[TrialRecords, dict[int, list[LogEntry]]]:
    """Simulate trials ``first .. first + n - 1`` one at a time, following docs/model.md.

    Args:
        model: The compiled scenario.
        seed: The run's root seed.
        first: Global index of the first trial.
        n: Number of trials.
        log_trials: Global indices of trials whose full event log is wanted.

    Returns:
        The records of the ``n`` trials, and the event log of each logged trial in range.
    """
    static = _Static.of(model)
    out = TrialRecords.blank(first, n, model.n_members, model.n_candidates, model.n_demands)
    logs: dict[int, list[LogEntry]] = {}
    wanted = set(log_trials)
    for row in range(n):
        trial = first + row
        tr = _Trial.start(model, static, trial_generators(seed, trial), trial in wanted)
        _play(tr)
        _fill(out, row, tr)
        if tr.log is not None:
            logs[trial] = tr.log
    return out.finished(), logs

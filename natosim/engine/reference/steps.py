"""The steps of a round in the reference engine, each what one paragraph of docs/model.md says."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from natosim.engine.hazards import modulated
from natosim.engine.records import NO_MEMBER
from natosim.engine.reference.trial import (
    ACQUIESCE,
    CONDITIONAL,
    OBJECT,
    SUPPORT,
    WHY_WITHDRAWAL,
    FloatArray,
    Trial,
    bernoulli,
)
from natosim.engine.streams import Mechanism
from natosim.model.arrays import EventKind, ModelEvent, Reversion

# --- step 1: entries and events ----------------------------------------------------------


def step_events(tr: Trial, t: int) -> None:
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


def _apply_event(tr: Trial, t: int, index: int, event: ModelEvent) -> None:
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


def _grant(tr: Trial, t: int, d: int, why: str, **detail: float) -> None:
    """Grant demand ``d`` in round ``t``."""
    tr.granted_round[d] = t
    i, k = int(tr.model.demand_member[d]), int(tr.model.demand_candidate[d])
    tr.note(t, "grant", why, member=i, candidate=k, demand=d, detail=detail)


def _settle(tr: Trial, t: int, i: int, k: int, why: str) -> None:
    """A member whose demands on ``k`` are all granted supports ``k`` at once, unless it objects.

    Why: the demands are its price, whether it holds out for them (conditional) or only
    withholds its support (acquiesce); an objector first has to lift its objection. A
    conditional stance with no demand on ``k`` has no price: it ends only by the exit rule.
    """
    demands = tr.static.demands_on.get((i, k), [])
    if tr.stance[i, k] not in (CONDITIONAL, ACQUIESCE) or not demands:
        return
    if all(tr.granted_round[d] >= 0 for d in demands):
        if tr.stance[i, k] == CONDITIONAL:
            tr.via_demand.add((i, k))
        tr.set_stance(t, i, k, SUPPORT, why)


def _withdraw(tr: Trial, t: int, k: int, why: str, **detail: float) -> None:
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


# --- steps 2 to 7 ------------------------------------------------------------------------


class Snapshot(NamedTuple):
    """The signals of steps 2 to 6, read once after step 1 (docs/model.md)."""

    z: FloatArray  # (M, K) clout-weighted share of the other present members supporting k
    blocking: NDArray[np.bool_]  # (M, K) present members blocking each candidate
    leader: int  # the front-runner, or -1


def _snapshot(tr: Trial, t: int) -> Snapshot:
    """The influence signal, who blocks whom and the front-runner, after step 1.

    ``z[i, k]`` is the clout-weighted share of the *other* present members that support ``k``
    (0 when those others have no clout).
    """
    weight = tr.static.weight[t]
    support = tr.stance == SUPPORT
    own = weight[:, None] * support
    others_backing = (weight @ support)[None, :] - own
    others_weight = np.broadcast_to((weight.sum() - weight)[:, None], own.shape)
    z = np.divide(others_backing, others_weight, out=np.zeros(own.shape), where=others_weight > 0)
    return Snapshot(z, tr.blocking(t), _front_runner(tr, t))


def _pressure_multiplier(tr: Trial, t: int) -> float:
    """``exp(δ·π_t)``: how much the deadline signal multiplies hazards in round ``t``."""
    return math.exp(tr.model.deadline_pressure * float(tr.model.pressure[t]))


def _influence(tr: Trial, t: int, snap: Snapshot) -> None:
    """Step 2: uncommitted members that acquiesce to the front-runner come to support it."""
    influence, leader = tr.model.influence, snap.leader
    if influence <= 0 or leader < 0:
        return
    rng = tr.rng[Mechanism.INFLUENCE]
    committed = (tr.stance[:, tr.active(t)] == SUPPORT).any(axis=1)
    movable = tr.model.present[t] & ~committed & (tr.stance[:, leader] == ACQUIESCE)
    for i in np.flatnonzero(movable).tolist():
        z = float(snap.z[i, leader])
        m = influence * z
        p = modulated(float(tr.model.lift_rate[i]), m)
        if bernoulli(rng, p):
            tr.set_stance(t, i, leader, SUPPORT, "influence", p=p, z=z, multiplier=m)


def _concessions(tr: Trial, t: int) -> None:
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


def _revision(tr: Trial, t: int, snap: Snapshot) -> None:
    """Step 4: every blocker (C or O) may give way and acquiesce, on one exit rule.

    The lift rate is sped up near deadlines, when the blocker is isolated and when others
    back the candidate; a member whose leaders no longer block gets the following chance too.
    """
    model, rng = tr.model, tr.rng[Mechanism.REVISION]
    pressure = model.deadline_pressure * float(model.pressure[t])
    counts = snap.blocking.sum(axis=0)
    holding = tr.blocking(t) & tr.active(t)[None, :]
    for i, k in zip(*np.nonzero(holding), strict=True):
        b = int(counts[k])
        m = math.exp(pressure + model.isolation / b + model.influence * float(snap.z[i, k]))
        p = modulated(float(model.lift_rate[i]), m)
        follow = _following(tr, snap, int(i), int(k))
        p = 1.0 - (1.0 - p) * (1.0 - follow)
        if bernoulli(rng, p):
            detail = {"p": p, "multiplier": m, "blockers": float(b), "following": follow}
            tr.set_stance(t, int(i), int(k), ACQUIESCE, "lift", **detail)


def _following(tr: Trial, snap: Snapshot, i: int, k: int) -> float:
    """The following chance of member i on k: ``φ`` once none of its leaders blocks k, else 0."""
    leaders = tr.model.follows[i]
    if tr.model.following <= 0 or not leaders.any() or snap.blocking[leaders, k].any():
        return 0.0
    return tr.model.following


def _package(tr: Trial, t: int, snap: Snapshot) -> None:
    """Step 5: the blockers of a blocked front-runner may settle together as a package."""
    leader = snap.leader
    if tr.model.package <= 0 or leader < 0 or not snap.blocking[:, leader].any():
        return
    m = _pressure_multiplier(tr, t)
    p = modulated(tr.model.package, m)
    if bernoulli(tr.rng[Mechanism.PACKAGE], p):
        clear(tr, t, leader, "package")


def clear(tr: Trial, t: int, k: int, why: str) -> None:
    """Every blocker of ``k`` gives way at once (a package or a settling deadline).

    A conditional member has its demands on ``k`` granted and supports it; an objector
    acquiesces; a blocker whose own candidate is active sees that candidate withdraw.
    """
    active = tr.active(t)
    for i in np.flatnonzero(tr.blocking(t)[:, k]).tolist():
        for own in np.flatnonzero((tr.model.home == i) & active).tolist():
            if own != k:
                _withdraw(tr, t, own, why)
        if tr.stance[i, k] == SUPPORT:
            continue
        if tr.stance[i, k] == CONDITIONAL:
            for d in tr.static.demands_on.get((i, k), []):
                if tr.granted_round[d] < 0:
                    _grant(tr, t, d, why)
            if tr.static.demands_on.get((i, k)):
                tr.via_demand.add((i, k))
            tr.set_stance(t, i, k, SUPPORT, why)
        else:
            tr.set_stance(t, i, k, ACQUIESCE, why)


def _withdrawals(tr: Trial, t: int) -> None:
    """Step 6: candidates trailing the front-runner may withdraw, in candidate order."""
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


def negotiate(tr: Trial, t: int) -> None:
    """Steps 2 to 6 of a round after round 0, reading the snapshot taken after step 1."""
    snap = _snapshot(tr, t)
    _influence(tr, t, snap)
    _concessions(tr, t)
    _revision(tr, t, snap)
    _package(tr, t, snap)
    _withdrawals(tr, t)


def settle(tr: Trial, t: int) -> None:
    """Step 7: at a settling deadline, clear the front-runner if every blocker agrees."""
    for index, deadline in enumerate(tr.model.settling):
        if deadline.round == t:
            leader = _front_runner(tr, t)
            if leader < 0:
                return
            blockers = np.flatnonzero(tr.blocking(t)[:, leader]).tolist()
            if all(tr.settles[index][i] for i in blockers):
                clear(tr, t, leader, "settlement")
            return


# --- steps 8 and 9 -----------------------------------------------------------------------


def _front_runner(tr: Trial, t: int) -> int:
    """The active candidate with most present clout-weighted support, or -1 if none.

    Ties go to the candidate with fewer present blockers, then to the lower index.
    """
    candidates = np.flatnonzero(tr.active(t))
    if candidates.size == 0:
        return -1
    votes = tr.static.weight[t] @ (tr.stance == SUPPORT)
    blockers = tr.blocking(t).sum(axis=0)
    return int(min(candidates, key=lambda k: (-votes[k], blockers[k], k)))


def check(tr: Trial, t: int) -> bool:
    """Step 8: appoint the front-runner if it passes under the rule and still passes after
    the silence breaks; record who blocks. Before the model's first check nothing is put to
    the body: the round only names the front-runner."""
    leader = _front_runner(tr, t)
    tr.front = leader
    if t < tr.model.first_check:
        return False
    circulated = leader >= 0 and tr.passes(t, leader)
    if circulated:
        for i in _silence(tr, t, leader):
            tr.set_stance(t, i, leader, OBJECT, "silence")
    blocking = tr.coalition(t) & tr.active(t)[None, :]
    tr.block_count += blocking
    tr.last_block[blocking] = t
    if not circulated or not tr.passes(t, leader):
        return False
    tr.outcome, tr.decision_round = leader, t
    votes = float(tr.static.weight[t] @ (tr.stance[:, leader] == SUPPORT))
    tr.note(t, "appoint", "council", candidate=leader, detail={"votes": votes})
    return True


def _silence(tr: Trial, t: int, leader: int) -> list[int]:
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


def deadline(tr: Trial, t: int) -> bool:
    """Step 9: end an undecided trial at a settling or hard deadline, or after the last round."""
    model = tr.model
    if t in model.reversion_rounds:
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


def _sole_blocker(tr: Trial, t: int) -> int:
    """The single present member blocking the front-runner, or -1."""
    if tr.front < 0:
        return NO_MEMBER
    who = np.flatnonzero(tr.coalition(t)[:, tr.front])
    return int(who[0]) if who.size == 1 else NO_MEMBER

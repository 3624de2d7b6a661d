"""Compile a validated scenario and the built-in roster into the engines' array model."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from natosim.model.arrays import EventKind, Model, ModelDeadline, ModelEvent, Reversion, Stance
from natosim.model.compile_rule import compile_rule
from natosim.roster.builtin import Roster, RosterMember
from natosim.scenario.resolve import resolve_member, resolve_stance
from natosim.scenario.schema import (
    STANCE_WORDS,
    Deadline,
    EndorseEvent,
    Event,
    GrantEvent,
    Scenario,
    StanceEvent,
    WithdrawEvent,
    midpoint,
)


def round_dates(scenario: Scenario) -> tuple[dt.date, ...]:
    """Dates of rounds 0, 1, …: every ``round_days`` from ``start`` up to ``end``."""
    step = dt.timedelta(days=scenario.round_days)
    count = (scenario.end - scenario.start) // step + 1
    return tuple(scenario.start + t * step for t in range(count))


def first_round_on_or_after(dates: Sequence[dt.date], day: dt.date) -> int:
    """Index of the first round dated on or after ``day`` (``len(dates)`` if none)."""
    return next((t for t, d in enumerate(dates) if d >= day), len(dates))


def last_round_on_or_before(dates: Sequence[dt.date], day: dt.date) -> int:
    """Index of the last round dated on or before ``day`` (-1 if none)."""
    return first_round_on_or_after(dates, day + dt.timedelta(days=1)) - 1


def deadline_signal(dates: Sequence[dt.date], deadlines: Sequence[Deadline]) -> np.ndarray:
    """The deadline signal pi_t of docs/model.md for every round.

    Why: pressure builds linearly over ``window_days`` up to ``log(pressure)`` on the date and
    vanishes once the date has passed; the strongest nearby deadline sets the signal.
    """
    signal = np.zeros(len(dates))
    for deadline in deadlines:
        for t, day in enumerate(dates):
            days_left = (deadline.date - day).days
            if days_left >= 0:
                ramp = min(max(1.0 - days_left / deadline.window_days, 0.0), 1.0)
                signal[t] = max(signal[t], math.log(midpoint(deadline.pressure)) * ramp)
    return signal


def compile_model(scenario: Scenario, roster: Roster) -> Model:
    """Build the array model of ``scenario`` with members from ``roster``.

    Members are every roster member in force on some round date, in alphabetical order of
    their codes, so the order in the file never matters. A range compiles to its midpoint,
    the value ``natosim run`` uses (:mod:`natosim.scenario.ranges` substitutes others).
    """
    dates = round_dates(scenario)
    members = tuple(m for m in roster.members if m.member_between(dates[0], dates[-1]))
    codes = tuple(m.code for m in members)
    cands = tuple(scenario.candidates)
    index = {code: i for i, code in enumerate(codes)}
    cindex = {cid: k for k, cid in enumerate(cands)}
    hard = sorted(d.date for d in scenario.deadlines if d.hard)
    return Model(
        members=codes,
        candidates=cands,
        dates=dates,
        present=np.array([[m.member_on(day) for m in members] for day in dates], dtype=bool),
        stance_prob=_stance_probabilities(scenario, codes, cands),
        **_member_arrays(scenario, members),
        **_candidate_arrays(scenario, dates, index, cindex),
        **_demand_arrays(scenario, codes, index, cindex),
        pressure=deadline_signal(dates, scenario.deadlines),
        hard_round=last_round_on_or_before(dates, hard[0]) if hard else -1,
        hard_date=hard[0] if hard else None,
        reversion=Reversion[scenario.on_hard_deadline.upper()],
        events=_compile_events(scenario.events, dates, index, cindex),
        deadlines=tuple(_compile_deadline(d, dates) for d in scenario.deadlines),
        **_dynamics(scenario, index),
        rule=compile_rule(scenario, members),
        decisions_round=(
            first_round_on_or_after(dates, scenario.decisions_from)
            if scenario.decisions_from
            else 0
        ),
    )


def _member_arrays(scenario: Scenario, members: Sequence[RosterMember]) -> dict[str, Any]:
    """Each member's lift rate, silence break and clout (the roster's unless overridden)."""
    behaviour = [resolve_member(scenario, member.code) for member in members]
    clout = [
        override if override is not None else member.clout
        for member, (_, _, override) in zip(members, behaviour, strict=True)
    ]
    return {
        "lift_rate": np.array([b[0] for b in behaviour], dtype=np.float64),
        "silence_break": np.array([b[1] for b in behaviour], dtype=np.float64),
        "clout": exact_sums(np.array(clout, dtype=np.float64)),
    }


def exact_sums(weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """``weights`` rounded to a multiple of a power of two so that every sum of them is exact.

    Why: the engines add up the clout of each candidate's supporters in whatever order their
    arithmetic takes (a BLAS kernel, a compiled loop); with every partial sum a multiple of
    ``2**-e`` below ``2**(52 - e)``, each order gives the same float64, on any machine.
    """
    total = float(np.abs(weights).sum())
    if total == 0.0:
        return weights
    scale = 2.0 ** (52 - int(np.ceil(np.log2(total))) - 1)
    return np.asarray(np.round(weights * scale) / scale, dtype=np.float64)


def _candidate_arrays(
    scenario: Scenario,
    dates: Sequence[dt.date],
    index: Mapping[str, int],
    cindex: Mapping[str, int],
) -> dict[str, Any]:
    """Each candidate's name, entry round, withdrawal rate, endorsement and home member."""
    candidates = scenario.candidates.values()
    endorses = [
        cindex[c.withdraws.endorses] if c.withdraws and c.withdraws.endorses else -1
        for c in candidates
    ]
    return {
        "candidate_names": tuple(c.name for c in candidates),
        "enter_round": np.array(
            [first_round_on_or_after(dates, c.enters or scenario.start) for c in candidates],
            dtype=np.int64,
        ),
        "withdraw_rate": np.array(
            [midpoint(c.withdraws.rate) if c.withdraws else 0.0 for c in candidates],
            dtype=np.float64,
        ),
        "endorses": np.array(endorses, dtype=np.int64),
        "home": np.array([index.get(c.home or "", -1) for c in candidates], dtype=np.int64),
    }


def _demand_arrays(
    scenario: Scenario,
    codes: Sequence[str],
    index: Mapping[str, int],
    cindex: Mapping[str, int],
) -> dict[str, Any]:
    """Every demand, in member order: who asks, of which candidate, its grant rate and words."""
    rows = [
        (index[code], cindex[d.candidate], midpoint(d.grant_rate), d.description, d.granted_by)
        for code in codes
        if code in scenario.members
        for d in scenario.members[code].demands
    ]
    return {
        "demand_member": np.array([r[0] for r in rows], dtype=np.int64),
        "demand_candidate": np.array([r[1] for r in rows], dtype=np.int64),
        "grant_rate": np.array([r[2] for r in rows], dtype=np.float64),
        "demand_descriptions": tuple(r[3] for r in rows),
        "demand_granted_by": tuple(r[4] for r in rows),
    }


def _dynamics(scenario: Scenario, index: dict[str, int]) -> dict[str, Any]:
    """The strengths of the mechanisms of ``dynamics``, who follows whom, and the blocs."""
    dynamics = scenario.dynamics
    return {
        "deadline_pressure": midpoint(dynamics.deadline_pressure),
        "isolation": midpoint(dynamics.isolation),
        "influence": midpoint(dynamics.influence),
        "package": midpoint(dynamics.package),
        "following": midpoint(dynamics.following),
        "follows": _follows(scenario, index),
        "bloc": _blocs(scenario, index),
        "bloc_correlation": np.array(
            [midpoint(b.correlation) for b in scenario.blocs.values()], dtype=np.float64
        ),
    }


def _compile_deadline(deadline: Deadline, dates: Sequence[dt.date]) -> ModelDeadline:
    settles = None if deadline.settles is None else midpoint(deadline.settles)
    when = last_round_on_or_before(dates, deadline.date)
    return ModelDeadline(deadline.name, deadline.date, when, deadline.hard, settles)


def _follows(scenario: Scenario, index: dict[str, int]) -> np.ndarray:
    """(M, M) ``follows[i, j]``: member i follows member j (members absent from the model skip)."""
    follows = np.zeros((len(index), len(index)), dtype=bool)
    for code, member in scenario.members.items():
        for leader in member.follows:
            if code in index and leader in index:
                follows[index[code], index[leader]] = True
    return follows


def _blocs(scenario: Scenario, index: dict[str, int]) -> np.ndarray:
    """(M,) the index of each member's bloc in file order, or -1."""
    bloc = np.full(len(index), -1, dtype=np.int64)
    for g, group in enumerate(scenario.blocs.values()):
        for code in group.members:
            if code in index:
                bloc[index[code]] = g
    return bloc


def _stance_probabilities(
    scenario: Scenario, codes: Sequence[str], cands: Sequence[str]
) -> np.ndarray:
    probs = np.zeros((len(codes), len(cands), len(STANCE_WORDS)))
    for i, code in enumerate(codes):
        for k, cid in enumerate(cands):
            for word, p in resolve_stance(scenario, code, cid).items():
                probs[i, k, Stance[word.upper()]] = p
    return probs


def _compile_events(
    events: Sequence[Event],
    dates: Sequence[dt.date],
    index: dict[str, int],
    cindex: dict[str, int],
) -> tuple[ModelEvent, ...]:
    compiled = [_compile_event(e, dates, index, cindex) for e in events]
    kept = [e for e in compiled if e.round < len(dates)]
    return tuple(sorted(kept, key=lambda e: e.round))


def _compile_event(
    event: Event, dates: Sequence[dt.date], index: dict[str, int], cindex: dict[str, int]
) -> ModelEvent:
    when = first_round_on_or_after(dates, event.date)
    k = cindex[event.candidate]
    p = midpoint(event.probability)
    match event:
        case EndorseEvent():
            who = tuple(index[m] for m in event.members)
            return ModelEvent(when, EventKind.ENDORSE, who, k, Stance.SUPPORT, p)
        case StanceEvent():
            word = Stance[event.stance.upper()]
            return ModelEvent(when, EventKind.STANCE, (index[event.member],), k, word, p)
        case WithdrawEvent():
            return ModelEvent(when, EventKind.WITHDRAW, (), k, Stance.SUPPORT, p)
        case GrantEvent():
            return ModelEvent(when, EventKind.GRANT, (index[event.member],), k, Stance.SUPPORT, p)

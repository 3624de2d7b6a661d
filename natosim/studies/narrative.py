"""Reading a trial's event log: why each change happened, who blocked when, who held out.

Both engines log the same events; their ``detail`` differs a little (the reference engine logs
a lift's multiplier and blocker count, the fast one also its factors). The functions here read
either into the terms of docs/model.md, so a narrative never depends on the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from natosim.engine.records import LogEntry
from natosim.model.arrays import Model, Stance
from natosim.studies.explain import Explanation


@dataclass(frozen=True)
class Hazard:
    """Why a drawn change happened when it did: ``p = 1 - (1 - rate) ** multiplier``.

    For a lift, the multiplier is the product of the ``pressure``, ``isolation`` and
    ``influence`` factors of docs/model.md; for an influence move it is ``ι_f·z``; for a
    grant or a withdrawal it is the deadline factor.
    """

    rate: float
    p: float
    multiplier: float
    pressure: float | None = None
    isolation: float | None = None
    influence: float | None = None
    blockers: int | None = None
    z: float | None = None


def hazard(model: Model, entry: LogEntry) -> Hazard | None:
    """The hazard behind a drawn change, from either engine's log detail; None if not drawn.

    Why: the reference engine logs the multiplier and the blocker count of a lift, the fast
    one its factors; the factors follow from either, since the deadline factor is the
    model's and the isolation factor depends only on the blocker count.
    """
    d = entry.detail
    if "p" not in d or "multiplier" not in d or entry.what not in _RATES:
        return None
    rate = _RATES[entry.what](model, entry)
    if entry.why != "lift":
        z = d.get("z")
        return Hazard(rate, d["p"], d["multiplier"], z=None if z is None else float(z))
    pressure = math.exp(model.deadline_pressure * float(model.pressure[entry.round]))
    blockers = int(d.get("blockers", 1))
    isolation = d.get("isolation", math.exp(model.isolation / max(blockers, 1)))
    influence = d.get("influence", d["multiplier"] / (pressure * isolation))
    return Hazard(rate, d["p"], d["multiplier"], pressure, isolation, influence, blockers)


_RATES: dict[str, Callable[[Model, LogEntry], float]] = {
    "stance": lambda model, e: float(model.lift_rate[e.member]),
    "grant": lambda model, e: float(model.grant_rate[e.demand]),
    "withdraw": lambda model, e: float(model.withdraw_rate[e.candidate]),
}


def blocking(model: Model, log: Iterable[LogEntry], candidate: int) -> dict[int, tuple[int, ...]]:
    """For each round in the log, the present members blocking ``candidate`` at its end.

    Why: the log holds every blocking stance drawn at the start and every later change, so
    replaying it recovers who blocks, round by round, without simulating again.
    """
    stance: dict[int, int] = {}
    found: dict[int, tuple[int, ...]] = {}
    for entry in log:
        _follow(stance, entry, candidate)
        present = model.present[entry.round]
        found[entry.round] = tuple(
            sorted(i for i, s in stance.items() if s >= Stance.CONDITIONAL and present[i])
        )
    return found


def _follow(stance: dict[int, int], entry: LogEntry, candidate: int) -> None:
    """Apply a logged stance change towards ``candidate`` to ``stance`` (member -> stance)."""
    changed = entry.what in ("stance", "silence_break") and entry.new >= 0
    if changed and entry.candidate == candidate:
        stance[entry.member] = entry.new


@dataclass(frozen=True)
class Holdout:
    """A member still blocking the decisive candidate when a trial ended without it.

    Attributes:
        member: The member's index.
        stance: Its blocking stance at the end (conditional or object).
        open_demands: Its demands on the candidate that were never granted.
        own_candidate: An active candidate it nominated (its home), or -1.
    """

    member: int
    stance: Stance
    open_demands: tuple[int, ...]
    own_candidate: int


def holdouts(found: Explanation) -> list[Holdout]:
    """Who still blocked the front-runner at an extension, vacancy or no decision, and why."""
    model, k = found.model, found.decisive
    if k < 0 or found.outcome < model.n_candidates:
        return []
    granted = {e.demand for e in found.log if e.what == "grant"}
    gone = {e.candidate for e in found.log if e.what == "withdraw"}
    stance = _final_stances(found.log, k)
    return [
        Holdout(
            member=i,
            stance=Stance(stance[i]),
            open_demands=tuple(int(d) for d in model.demands_of(i, k) if d not in granted),
            own_candidate=next(
                (int(c) for c in np.flatnonzero(model.home == i) if c != k and c not in gone), -1
            ),
        )
        for i in blocking(model, found.log, k).get(found.decision_round, ())
    ]


def _final_stances(log: Iterable[LogEntry], k: int) -> dict[int, int]:
    stance: dict[int, int] = {}
    for entry in log:
        _follow(stance, entry, k)
    return stance

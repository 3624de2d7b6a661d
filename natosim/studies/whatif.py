"""What-if comparisons: a scenario and an edited variant, run on common random numbers.

Both runs use the same seed and trials, so trial i of the variant starts from the same random
numbers as trial i of the base (docs/model.md); :mod:`natosim.results.paired` turns the per-trial
results into differences with paired 95 % intervals. The median date's bootstrap draws from
its own stream of the run's seed, so a comparison is reproducible.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from natosim.engine import EngineName
from natosim.errors import UserError
from natosim.model.arrays import EventKind, Model, ModelEvent
from natosim.model.compile import compile_model
from natosim.model.prepared import Prepared
from natosim.results.measures import indicators, slug
from natosim.results.paired import (
    Interval,
    appointment_codes,
    median_day,
    median_intervals,
    paired_difference,
)
from natosim.results.report import RunReport, report_of
from natosim.scenario.bodies import scenario_roster
from natosim.scenario.edit import Assignment, edit_scenario
from natosim.trials.batch import ModelRun, run_models
from natosim.trials.pool import Workers
from natosim.trials.settings import resolve_settings

BOOTSTRAP_KEY = 2**32 + 1
"""Spawn key of the bootstrap's stream: apart from every chunk's and the reference engine's."""


@dataclass(frozen=True)
class Difference:
    """One measure in the base run and the variant, and the variant's difference.

    Attributes:
        measure: The measure's id (as :mod:`natosim.results.measures` names them).
        label: What it is, for people.
        unit: ``probability`` (values and differences are shares of trials) or ``date``
            (values are dates, differences are days).
        base: The value in the base run (None: no date, as when nothing was appointed).
        variant: The value in the variant.
        difference: ``variant - base`` (probability, or days), or None.
        paired: 95 % interval of the difference from the paired trials.
        unpaired: 95 % interval as if the runs were independent, for comparison.
    """

    measure: str
    label: str
    unit: Literal["probability", "date"]
    base: float | dt.date | None
    variant: float | dt.date | None
    difference: float | None
    paired: Interval | None
    unpaired: Interval | None


@dataclass(frozen=True)
class WhatIf:
    """A base run, a variant's run on the same seed and trials, and their differences."""

    assignments: tuple[Assignment, ...]
    base: RunReport
    variant: RunReport
    differences: tuple[Difference, ...]
    notes: tuple[str, ...] = ()
    """Edits that cannot show in the runs, and why (a stance that an event sets at round 0)."""


def run_whatif(
    prepared: Prepared,
    assignments: Sequence[Assignment],
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> WhatIf:
    """Run ``prepared`` and its variant with ``assignments`` applied, and compare them.

    Raises:
        ScenarioError: when an assignment's path or value is wrong (naming the ``--set``).
    """
    loaded = prepared.loaded
    variant = edit_scenario(loaded, assignments)
    model = compile_model(variant.scenario, scenario_roster(variant.scenario))
    _same_rounds(prepared.model, model, assignments)
    run = resolve_settings(loaded.scenario.simulation, trials, seed, workers, engine)
    base_run, variant_run = run_models(
        [prepared.model, model], run.seed, run.trials, run.workers, run.engine
    )
    return WhatIf(
        assignments=tuple(assignments),
        base=report_of(loaded, base_run.run),
        variant=report_of(variant, variant_run.run),
        differences=tuple(differences(base_run, variant_run, run.seed)),
        notes=tuple(overridden_stances(model, assignments)),
    )


def overridden_stances(model: Model, assignments: Sequence[Assignment]) -> list[str]:
    """The ``--set`` stance edits that a certain event at round 0 overrides, each with why.

    Why: an endorsement dated on or before the start sets the members' stances after they
    are drawn, so editing such a member's stance changes nothing; the user should hear so.
    """
    notes: list[str] = []
    for path, _ in assignments:
        target = _stance_target(path)
        if target is None:
            continue
        code, cand = target
        event = next((e for e in model.events if _sets_at_start(model, e, code, cand)), None)
        if event is not None:
            what = "an endorsement" if event.kind == EventKind.ENDORSE else "a stance event"
            notes.append(
                f"--set {path}: changes nothing, because {what} dated on or before the start "
                f"sets {code}'s stance on {model.candidates[event.candidate]}; edit or remove "
                "that event instead"
            )
    return notes


def _stance_target(path: str) -> tuple[str, str | None] | None:
    """``(member, candidate or None)`` of a path into a member's stance, else None."""
    parts = path.split(".")
    if len(parts) >= 3 and parts[0] == "members" and parts[2] == "stance":
        return parts[1], parts[3] if len(parts) > 3 else None
    return None


def _sets_at_start(model: Model, e: ModelEvent, code: str, cand: str | None) -> bool:
    """Whether event ``e`` certainly sets ``code``'s stance (on ``cand``) at round 0."""
    return (
        e.round == 0
        and e.probability >= 1
        and e.kind in (EventKind.ENDORSE, EventKind.STANCE)
        and code in model.members
        and model.members.index(code) in e.members
        and (cand is None or model.candidates[e.candidate] == cand)
    )


def _same_rounds(base: Model, variant: Model, assignments: Sequence[Assignment]) -> None:
    """Refuse a variant whose rounds fall on other dates than the base's.

    Why: the comparison is trial by trial and round by round on the same dates; a variant
    may end earlier or later, but another ``start`` or ``round_days`` has no common rounds.
    """
    shared = min(base.n_rounds, variant.n_rounds)
    if base.dates[:shared] != variant.dates[:shared]:
        paths = ", ".join(path for path, _ in assignments)
        raise UserError(
            f"--set {paths}: the variant's rounds fall on other dates than the base's "
            "(another start or round_days), so the runs cannot be compared round by round; "
            "write the variant as a file and compare with natosim run BASE VARIANT"
        )


def differences(base: ModelRun, variant: ModelRun, seed: int) -> list[Difference]:
    """Every outcome, deadline, the median date and every member that was ever last holdout.

    The deadlines are the base's, for both runs: a variant may move, rename or drop them. An
    outcome that one run does not have (a candidate added or removed) never happens in it.
    """
    model = base.run.model
    a, b = (indicators(r.run, model.deadlines, r.last_holdout) for r in (base, variant))
    never = np.zeros(base.run.trials, dtype=bool)
    rows = [
        _proportion(m, label, a.get(m, never), b.get(m, never))
        for m, label in _labels(model, base, variant)
    ]
    rows.insert(len(model.outcome_names) + len(model.deadlines), _median(base, variant, seed))
    return rows


def _labels(model: Model, base: ModelRun, variant: ModelRun) -> list[tuple[str, str]]:
    """Ids and labels of the probability measures, in report order."""
    names = [*(f"{n} appointed" for n in model.candidate_names), "extension", "vacancy"]
    labels = list(zip(model.outcome_names, [*names, "no decision"], strict=True))
    labels += [(f"by-{slug(d.name)}", f"decided by {d.name}") for d in model.deadlines]
    ever = np.union1d(base.last_holdout, variant.last_holdout)
    codes = [model.members[i] for i in ever[ever >= 0]]
    return labels + [(f"holdout-{code}", f"{code} last holdout") for code in codes]


def _proportion(measure: str, label: str, a: NDArray[np.bool_], b: NDArray[np.bool_]) -> Difference:
    diff, paired, unpaired = paired_difference(a, b)
    return Difference(
        measure, label, "probability", float(a.mean()), float(b.mean()), diff, paired, unpaired
    )


def _median(base: ModelRun, variant: ModelRun, seed: int) -> Difference:
    """The median appointment date of each run, and bootstrap intervals of their difference."""
    model = max(base.run.model, variant.run.model, key=lambda m: m.n_rounds)  # same dates
    a, b = (
        appointment_codes(r.run.model, r.run.outcome, r.run.decision_round) for r in (base, variant)
    )
    day_a, day_b = median_day(model, a), median_day(model, b)
    date_a, date_b = _date(model, day_a), _date(model, day_b)
    if date_a is None or date_b is None:
        return Difference("median", "median date", "date", date_a, date_b, None, None, None)
    key = np.random.SeedSequence(seed, spawn_key=(BOOTSTRAP_KEY,))
    paired, unpaired = median_intervals(model, a, b, np.random.Generator(np.random.PCG64(key)))
    diff = day_b - day_a
    return Difference("median", "median date", "date", date_a, date_b, diff, paired, unpaired)


def _date(model: Model, day: float) -> dt.date | None:
    return None if math.isnan(day) else model.dates[0] + dt.timedelta(days=int(day))

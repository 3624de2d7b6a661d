"""Several runs side by side: each outcome's probability, and its difference from the first.

Differences are B − A against the first scenario (the baseline). When both runs used the same
seed and engine, trial i of one is compared with trial i of the other (they share random
numbers: docs/model.md, "common random numbers") over the trials both ran; otherwise the
difference is unpaired.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from natosim.results.measures import indicators, slug
from natosim.results.report import RunReport, outcome_labels, outcome_short_labels
from natosim.results.stats import Difference, Estimate, paired_difference, unpaired_difference


@dataclass(frozen=True)
class CompareRow:
    """One probability across scenarios.

    Attributes:
        table: ``outcomes`` or ``deadlines``.
        key: The outcome id or the deadline name.
        label: What it means, for people.
        short: The same in a few words, for narrow tables.
        values: Per scenario; None where the scenario has no such outcome or deadline.
        differences: Per scenario, against the first; None for the first and where missing.
    """

    table: str
    key: str
    label: str
    short: str
    values: tuple[Estimate | None, ...]
    differences: tuple[Difference | None, ...]


@dataclass(frozen=True)
class Comparison:
    """Runs side by side, the first being the baseline."""

    reports: tuple[RunReport, ...]
    rows: tuple[CompareRow, ...]

    @property
    def median_dates(self) -> tuple[dt.date | None, ...]:
        """Each scenario's median appointment date (among trials with an appointment)."""
        return tuple(r.summary.timing[1] for r in self.reports)

    @property
    def top_holdouts(self) -> tuple[tuple[str, Estimate] | None, ...]:
        """Each scenario's most likely last holdout and P(last holdout)."""
        return tuple(_top_holdout(r) for r in self.reports)

    def pairing(self, index: int) -> str | None:
        """Why scenario ``index`` is compared unpaired with the baseline (None if paired)."""
        return pairing_problem(self.reports[0], self.reports[index])


def compare(reports: tuple[RunReport, ...]) -> Comparison:
    """Build the comparison of ``reports``; the first is the baseline."""
    flags = tuple(indicators(report.run) for report in reports)
    return Comparison(reports, (*_outcome_rows(reports, flags), *_deadline_rows(reports, flags)))


def pairing_problem(a: RunReport, b: RunReport) -> str | None:
    """None when trial i of ``a`` and of ``b`` share random numbers; else the reason not."""
    if a.run.seed != b.run.seed:
        return "different seeds"
    if a.run.engine != b.run.engine:
        return "different engines"
    return None


def _top_holdout(report: RunReport) -> tuple[str, Estimate] | None:
    members = [m for m in report.summary.members if m.last_holdout.count]
    return (members[0].member, members[0].last_holdout) if members else None


Flags = tuple[dict[str, NDArray[np.bool_]], ...]
"""Per report, its per-trial indicators by measure id (see ``measures.indicators``)."""


def _outcome_rows(reports: tuple[RunReport, ...], flags: Flags) -> list[CompareRow]:
    """Every scenario's candidates, in order of first appearance, then the other outcomes."""
    labels: dict[str, tuple[str, str]] = {}
    for last in (False, True):
        for report in reports:
            model = report.run.model
            pairs = zip(outcome_labels(model), outcome_short_labels(model), strict=True)
            for i, (name, pair) in enumerate(zip(model.outcome_names, pairs, strict=True)):
                if (i >= model.n_candidates) == last:
                    labels.setdefault(name, pair)
    return [
        _row("outcomes", key, label, reports, [f.get(key) for f in flags])
        for key, label in labels.items()
    ]


def _deadline_rows(reports: tuple[RunReport, ...], flags: Flags) -> list[CompareRow]:
    names: dict[str, tuple[str, str]] = {}
    for report in reports:
        for d in report.run.model.deadlines:
            names.setdefault(d.name, (f"Appointment by {d.name}", f"By {d.name}"))
    return [
        _row("deadlines", key, label, reports, [f.get(f"by-{slug(key)}") for f in flags])
        for key, label in names.items()
    ]


Indicator = NDArray[np.bool_] | None


def _row(
    table: str,
    key: str,
    label: tuple[str, str],
    reports: tuple[RunReport, ...],
    flags: list[Indicator],
) -> CompareRow:
    values = tuple(None if f is None else Estimate(int(f.sum()), int(f.size)) for f in flags)
    differences = tuple(
        None if i == 0 else _difference(reports[0], reports[i], flags[0], flags[i])
        for i in range(len(reports))
    )
    return CompareRow(table, key, label[0], label[1], values, differences)


def _difference(a: RunReport, b: RunReport, fa: Indicator, fb: Indicator) -> Difference | None:
    if fa is None or fb is None:
        return None
    if pairing_problem(a, b) is None:
        return paired_difference(fa, fb)
    return unpaired_difference(Estimate(int(fa.sum()), fa.size), Estimate(int(fb.sum()), fb.size))

"""The same tables for narrow terminals: fewer, shorter columns, percentages without signs.

Why: below about 80 columns the full tables wrap every header and number into several
lines; these keep one line per row in about 56 columns, with the same numbers.
"""

from __future__ import annotations

from natosim.output.tables.cells import day, percent, with_interval
from natosim.output.tables.grid import Column, Grid
from natosim.output.tables.run import (
    candidates_grid,
    holdout_notes,
    needed_demand_note,
    timing_note,
)
from natosim.results.report import (
    RunReport,
    outcome_short_labels,
    reversion_when,
    sole_blocker_label,
)
from natosim.results.stats import Estimate

NARROW = 80
"""Terminals narrower than this get the compact tables."""


def bare(e: Estimate) -> str:
    """A percentage without its sign: ``74.4``, ``<0.1``."""
    return percent(e).removesuffix(" %")


def outcomes(report: RunReport) -> Grid:
    """Every outcome with its probability and interval in one cell."""
    model = report.run.model
    labels = outcome_short_labels(model)
    return Grid(
        "outcomes",
        "Outcomes",
        (Column("outcome"), Column("probability (95 % interval)", True)),
        tuple(
            (label, with_interval(e))
            for label, (_, e) in zip(labels, report.summary.outcomes, strict=True)
        ),
        (
            f"Extension or vacancy: {reversion_when(model)}; "
            f"no decision: by {day(model.dates[-1])}.",
        ),
    )


def timing(report: RunReport) -> Grid:
    """The percentile dates of the appointment, one per row."""
    names = ("10th percentile", "median", "90th percentile")
    return Grid(
        "timing",
        "Appointment date",
        (Column(""), Column("date")),
        tuple((name, day(d)) for name, d in zip(names, report.summary.timing, strict=True)),
        (timing_note(report),),
    )


def deadlines(report: RunReport) -> Grid:
    """P(appointed by each deadline), the date under the name."""
    hard = {d.name: d.hard for d in report.run.model.deadlines}
    return Grid(
        "deadlines",
        "Appointed by each deadline",
        (Column("deadline"), Column("probability (95 % interval)", True)),
        tuple(
            (f"{name}, {day(when)}" + (" (hard)" if hard[name] else ""), with_interval(e))
            for name, when, e in report.summary.decided_by
        ),
        () if report.summary.decided_by else ("The scenario has no deadlines.",),
    )


def holdouts(report: RunReport) -> Grid:
    """Members that blocked: short headers explained in the notes, percent of all trials."""
    hard = bool(report.run.model.reversion_rounds)
    columns = (
        Column("", wrap=False),
        Column("winner", True),
        Column("decisive", True),
        Column("last", True),
        Column("rounds", True),
        *((Column("sole", True),) if hard else ()),
    )
    rows = tuple(
        (
            m.member,
            bare(m.blocks_winner),
            bare(m.ever_blocks),
            bare(m.last_holdout),
            f"{m.mean_rounds_blocking:.1f}",
            *((bare(m.sole_blocker_at_hard),) if hard else ()),
        )
        for m in report.summary.members
    )
    legend = (
        "winner, decisive: P(blocks the winner / the decisive candidate); last: P(last "
        "holdout); rounds: mean rounds blocking; sole: P(sole blocker "
        f"{sole_blocker_label(report.run.model)})."
    )
    return Grid(
        "holdouts",
        "Holdouts (percent of trials)",
        columns,
        rows,
        (legend, *holdout_notes(bool(rows))),
    )


def demands(report: RunReport) -> Grid:
    """Each demand, with its candidate and who grants it inside the description."""
    names = dict(zip(report.run.model.candidates, report.run.model.candidate_names, strict=True))
    s = report.summary
    return Grid(
        "demands",
        "Demands",
        (Column("", wrap=False), Column("demand"), Column("P(granted)", True)),
        tuple(
            (
                d.member,
                f"{d.description} (on {names[d.candidate]}; granted by {d.granted_by or '—'})",
                percent(d.granted),
            )
            for d in s.demands
        ),
        (needed_demand_note(report),) if s.demands else ("The scenario has no demands.",),
    )


def candidates(report: RunReport) -> Grid:
    """Each candidate's P(appointed), P(withdrawn) and median withdrawal date."""
    title = "Candidates (percent of trials)"
    return candidates_grid(report, title, ("appointed", "withdrawn"), bare)

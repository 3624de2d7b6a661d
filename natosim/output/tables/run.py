"""The tables of one report, in the order people read them (the compact ones: ``compact``)."""

from __future__ import annotations

from collections.abc import Callable

from natosim.output.tables.cells import bar, count, day, interval, percent, with_interval
from natosim.output.tables.grid import Column, Grid
from natosim.results.report import RunReport, outcome_labels, sole_blocker_label
from natosim.results.stats import Estimate, MemberRow

BAR_CELLS = 20
"""Length of a 100 % bar in the outcomes table."""


def outcomes(report: RunReport) -> Grid:
    """Every outcome, with its probability, interval and a bar."""
    labels = outcome_labels(report.run.model)
    return Grid(
        "outcomes",
        "Outcomes",
        (
            Column("outcome"),
            Column("probability", True),
            Column("95 % interval", True),
            Column("", bar=True),
        ),
        tuple(
            (label, percent(e), interval(e), bar(e.p, BAR_CELLS))
            for label, (_, e) in zip(labels, report.summary.outcomes, strict=True)
        ),
    )


def timing(report: RunReport) -> Grid:
    """When the appointment happens, among trials with one."""
    return Grid(
        "timing",
        "Appointment date",
        (Column("10th percentile"), Column("median"), Column("90th percentile")),
        (tuple(day(d) for d in report.summary.timing),),
        (timing_note(report),),
    )


def deadlines(report: RunReport) -> Grid:
    """P(appointed by each deadline)."""
    hard = {d.name: d.hard for d in report.run.model.deadlines}
    return Grid(
        "deadlines",
        "Deadlines",
        (
            Column("deadline"),
            Column("date"),
            Column("hard"),
            Column("P(appointed by then)", True),
            Column("95 % interval", True),
        ),
        tuple(
            (name, day(when), "yes" if hard[name] else "", percent(e), interval(e))
            for name, when, e in report.summary.decided_by
        ),
        () if report.summary.decided_by else ("The scenario has no deadlines.",),
    )


def holdouts(report: RunReport) -> Grid:
    """Every member that blocked in some trial, most likely last holdout first."""
    hard = bool(report.run.model.reversion_rounds)
    sole = f"P(sole blocker {sole_blocker_label(report.run.model)})"
    columns = (
        Column("member", wrap=False),
        Column("P(blocks the winner)", True),
        Column("P(blocks the decisive candidate)", True),
        Column("P(last holdout)", True),
        Column("mean rounds blocking", True),
        *((Column(sole, True),) if hard else ()),
    )
    rows = tuple(_holdout_row(report, m, hard) for m in report.summary.members)
    return Grid("holdouts", "Holdouts", columns, rows, holdout_notes(bool(rows)))


def _holdout_row(report: RunReport, m: MemberRow, hard: bool) -> tuple[str, ...]:
    return (
        f"{m.member} {report.member_name(m.member)}",
        percent(m.blocks_winner),
        percent(m.ever_blocks),
        percent(m.last_holdout),
        f"{m.mean_rounds_blocking:.1f}",
        *((percent(m.sole_blocker_at_hard),) if hard else ()),
    )


def holdout_notes(any_rows: bool) -> tuple[str, ...]:
    if not any_rows:
        return ("No member blocked in any trial.",)
    return (
        "Shares of all trials. The winner is the candidate appointed (trials with an "
        "appointment only); the decisive candidate is the winner, or else the front-runner "
        "at the final check.",
        "Last holdout: the one member whose last block of the decisive candidate came latest "
        "(a tie counts for nobody). Mean rounds blocking: the rounds at which it blocked the "
        "decisive candidate, averaged over all trials.",
    )


def demands(report: RunReport) -> Grid:
    """Each demand, who made it and who grants it, and how often it was granted."""
    s = report.summary
    names = dict(zip(report.run.model.candidates, report.run.model.candidate_names, strict=True))
    note = needed_demand_note(report)
    return Grid(
        "demands",
        "Demands",
        (
            Column("member"),
            Column("on"),
            Column("demand"),
            Column("granted by"),
            Column("P(granted)", True),
        ),
        tuple(
            (d.member, names[d.candidate], d.description, d.granted_by or "—", percent(d.granted))
            for d in s.demands
        ),
        (note,) if s.demands else ("The scenario has no demands.",),
    )


def candidates(report: RunReport) -> Grid:
    """Each candidate's chances of being appointed and of withdrawing."""
    return candidates_grid(report, "Candidates", ("P(appointed)", "P(withdrawn)"), percent)


def candidates_grid(
    report: RunReport,
    title: str,
    headings: tuple[str, str],
    cell: Callable[[Estimate], str],
) -> Grid:
    """The candidates table, with its title, probability headings and cells as given."""
    return Grid(
        "candidates",
        title,
        (
            Column("candidate"),
            Column(headings[0], True),
            Column(headings[1], True),
            Column("median withdrawal", True),
        ),
        tuple(
            (c.name, cell(c.appointed), cell(c.withdrawn), day(c.median_withdrawal))
            for c in report.summary.candidates
        ),
        ("Median withdrawal: among the trials in which the candidate withdrew.",),
    )


def needed_demand_note(report: RunReport) -> str:
    """The share of appointments that needed at least one demand granted."""
    needed = report.summary.needed_demand
    return (
        f"Appointments that needed a granted demand (some member backed the winner because its "
        f"demands were granted): {with_interval(needed)} of {count(needed.n)} appointments."
    )


def timing_note(report: RunReport) -> str:
    """What the appointment-date percentiles are taken over."""
    appointments = report.summary.needed_demand.n
    if appointments == 0:
        return "No trial ended in an appointment."
    share = percent(Estimate(appointments, report.run.trials))
    return (
        f"Among the {share} of trials with an appointment: the first round by which 10 %, "
        "50 % and 90 % of those appointments had happened."
    )

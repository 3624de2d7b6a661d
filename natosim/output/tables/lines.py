"""The running text around the tables: the headline and the footer that makes a run repeatable."""

from __future__ import annotations

import shlex

from natosim import __version__
from natosim.output.tables.cells import count, day, half_width, with_interval
from natosim.output.tables.grid import Line
from natosim.output.tables.letters import letter
from natosim.results.report import RunReport, outcome_labels


def headline(report: RunReport) -> tuple[Line, ...]:
    """Who is likely appointed, by when, who holds out last, and how sure the numbers are."""
    return (
        *partial_warning(report),
        Line(report.scenario, "title"),
        _likeliest(report),
        *(
            Line(f"Appointment by {name} ({day(when)})", value=with_interval(e))
            for name, when, e in report.summary.decided_by
        ),
        *_when(report),
        _last_holdout(report),
        Line(
            f"Percentages are shares of {count(report.run.trials)} simulated trials; brackets are "
            "95 % intervals for the simulation's own noise, not for doubts about the scenario's "
            "numbers.",
            "quiet",
        ),
    )


def partial_warning(report: RunReport) -> tuple[Line, ...]:
    """A warning line for an interrupted run; nothing for a complete one."""
    if report.complete:
        return ()
    return (
        Line(
            f"PARTIAL REPORT: interrupted after {count(report.run.trials)} of "
            f"{count(report.requested)} trials; every number is from those trials only.",
            "warning",
        ),
    )


def _likeliest(report: RunReport) -> Line:
    labels = outcome_labels(report.run.model)
    best = max(range(len(labels)), key=lambda i: report.summary.outcomes[i][1].count)
    return Line(labels[best], "main", value=with_interval(report.summary.outcomes[best][1]))


def _when(report: RunReport) -> tuple[Line, ...]:
    p10, median, p90 = report.summary.timing
    if median is None:
        return (Line("No trial ended in an appointment."),)
    return (
        Line("Median date of the appointment, when there is one", value=day(median)),
        Line("Middle 80 % of those dates", value=f"{day(p10)} to {day(p90)}"),
    )


def _last_holdout(report: RunReport) -> Line:
    ranked = [m for m in report.summary.members if m.last_holdout.count]
    if not ranked:
        return Line("No member was ever the last holdout.")
    top = ranked[0]
    who = f"{report.member_name(top.member)} ({top.member})"
    return Line(f"Most likely last holdout, {who}", value=with_interval(top.last_holdout))


def footer(report: RunReport) -> tuple[Line, ...]:
    """Everything needed to repeat the run, and why it stopped."""
    run = report.run
    workers = f"{run.workers} worker" + ("s" if run.workers != 1 else "")
    return (
        Line(
            f"natosim {__version__} · {report.scenario_file} · sha256 "
            f"{report.scenario_sha256[:16]}",
            "quiet",
        ),
        Line(
            f"seed {run.seed} · {count(run.trials)} trials · engine {run.engine} · {workers} · "
            f"{run.seconds:.2f} s",
            "quiet",
        ),
        Line(f"Stopped: {stopped(report)}.", "quiet"),
        Line(f"Repeat: {repeat_command(report)}", "quiet", wrap=False),
    )


def stopped(report: RunReport) -> str:
    """Why the run stopped where it did."""
    stop, trials = report.stop, count(report.run.trials)
    widest = report.summary.widest()
    reached = f"widest {half_width(widest[1].half_width)}, {widest[0]}" if widest else ""
    target = half_width(stop.precision or 0.0)
    if stop.reason == "interrupted":
        return f"interrupted ({stop.by}) after {trials} of {count(report.requested)} trials"
    if stop.reason == "precision":
        return f"every probability within {target} after {trials} trials ({reached})"
    if stop.reason == "max_trials":
        return f"--max-trials {count(report.requested)} reached before {target} ({reached})"
    return f"ran the {trials} trials asked for"


def repeat_command(report: RunReport) -> str:
    """The command that gives the same numbers again."""
    run = report.run
    engine = "" if run.engine == "fast" else f" --engine {run.engine}"
    file = shlex.quote(report.scenario_file)
    return f"natosim run {file} --seed {run.seed} --trials {run.trials}{engine}"


def comparison_footer(reports: tuple[RunReport, ...]) -> tuple[Line, ...]:
    """The version, and for each scenario why it stopped and how to repeat it."""
    seconds = sum(r.run.seconds for r in reports)
    return (
        Line(f"natosim {__version__} · {seconds:.2f} s in all", "quiet"),
        *(
            line
            for i, r in enumerate(reports)
            for line in (
                Line(f"{letter(i)}: stopped: {stopped(r)}.", "quiet"),
                Line(f"{letter(i)}: repeat: {repeat_command(r)}", "quiet", wrap=False),
            )
        ),
    )

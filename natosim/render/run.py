"""``natosim run``: the outcome report as rich tables."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim import __version__
from natosim.report import RunReport
from natosim.stats import Estimate


def percent(e: Estimate) -> str:
    """``91.2 %``."""
    return f"{100 * e.p:.1f} %"


def interval(e: Estimate) -> str:
    """``90.8–91.6``: the 95 % interval in percent."""
    low, high = e.interval
    return f"{100 * low:.1f}–{100 * high:.1f}"


def render_run(report: RunReport) -> RenderableType:
    """The report of one run: headline, outcomes, timing, holdouts, demands, footer."""
    return Group(
        _headline(report),
        _outcomes(report),
        _timing(report),
        _holdouts(report),
        _demands(report),
        _candidates(report),
        _footer(report),
    )


def _headline(report: RunReport) -> Text:
    s = report.summary
    names = dict(zip(report.run.model.outcome_names, _labels(report), strict=True))
    best, e = max(s.outcomes, key=lambda o: o[1].count)
    text = Text()
    text.append(f"{report.scenario}\n", style="bold")
    text.append(f"{names[best]}: {percent(e)} ({interval(e)})", style="bold green")
    for name, day, d in s.decided_by:
        text.append(f"\nDecided by {name} ({day}): {percent(d)} ({interval(d)})")
    return text


def _labels(report: RunReport) -> list[str]:
    model = report.run.model
    appointed = [f"{name} appointed" for name in model.candidate_names]
    return [*appointed, "Extension", "Vacancy", "No decision by the horizon"]


def _outcomes(report: RunReport) -> Table:
    table = Table(title="Outcomes", title_justify="left")
    table.add_column("outcome")
    table.add_column("probability", justify="right")
    table.add_column("95 % interval", justify="right")
    for label, (_, e) in zip(_labels(report), report.summary.outcomes, strict=True):
        table.add_row(label, percent(e), interval(e))
    return table


def _timing(report: RunReport) -> Table:
    p10, median, p90 = report.summary.timing
    table = Table(title="Timing of the appointment (over trials with one)", title_justify="left")
    for column in ("10th percentile", "median", "90th percentile"):
        table.add_column(column)
    table.add_row(*(str(d) if d else "—" for d in (p10, median, p90)))
    return table


def _holdouts(report: RunReport) -> Table:
    table = Table(title="Holdouts", title_justify="left")
    table.add_column("member")
    table.add_column("P(ever blocks)", justify="right")
    table.add_column("P(last holdout)", justify="right")
    table.add_column("mean rounds blocking", justify="right")
    for m in report.summary.members:
        table.add_row(
            m.member,
            percent(m.ever_blocks),
            percent(m.last_holdout),
            f"{m.mean_rounds_blocking:.1f}",
        )
    return table


def _demands(report: RunReport) -> Table:
    table = Table(title="Demands", title_justify="left")
    for column in ("member", "on", "demand", "granted by"):
        table.add_column(column)
    table.add_column("P(granted)", justify="right")
    for d in report.summary.demands:
        table.add_row(d.member, d.candidate, d.description, d.granted_by or "—", percent(d.granted))
    return table


def _candidates(report: RunReport) -> Table:
    table = Table(title="Candidates", title_justify="left")
    table.add_column("candidate")
    table.add_column("P(appointed)", justify="right")
    table.add_column("P(withdrawn)", justify="right")
    table.add_column("median withdrawal", justify="right")
    for c in report.summary.candidates:
        when = str(c.median_withdrawal) if c.median_withdrawal else "—"
        table.add_row(c.name, percent(c.appointed), percent(c.withdrawn), when)
    return table


def _footer(report: RunReport) -> Text:
    run = report.run
    return Text(
        f"natosim {__version__} · {report.scenario_file} · sha256 {report.scenario_sha256[:12]} · "
        f"seed {run.seed} · {run.trials:,} trials · engine {run.engine} · "
        f"{run.workers} worker(s) · {run.seconds:.2f} s",
        style="dim",
    )

"""One run's report as the page draws it: headline, tables, charts, sources and footer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from natosim.output.html import tables
from natosim.output.html.about import About, file_link
from natosim.output.html.svg import inline_svg
from natosim.output.html.tables import Table
from natosim.output.plot.cdf import cdf_chart
from natosim.output.plot.holdouts import SHOWN, holdouts_chart
from natosim.output.tables import lines
from natosim.output.tables.cells import day, percent
from natosim.output.tables.grid import Line
from natosim.results.report import RunReport
from natosim.scenario.schema import Source


@dataclass(frozen=True)
class Figure:
    """A chart and the sentence under it."""

    svg: Markup
    caption: str


@dataclass(frozen=True)
class RunView:
    """Everything the template shows of one run.

    Attributes:
        id: Prefix of every id in this report, unique on the page.
        title: The scenario's name.
        warning: The partial-report warning, or empty.
        headline: The headline's lines, less the title and warning.
        description: The scenario's description, if any.
        sources: The scenario's sources.
        file: The scenario file as the run named it, and its address from the page.
        tables: The tables by key (``outcomes``, ``timing``, ``holdouts``, …).
        folded: The holdouts that block only by breaking silence, if any.
        figures: The charts by key (``cdf``, ``holdouts``).
        footer: The lines that make the run repeatable.
        repeat: The command that repeats it.
    """

    id: str
    title: str
    warning: str
    headline: tuple[Line, ...]
    description: str | None
    sources: tuple[Source, ...]
    file: tuple[str, str]
    tables: dict[str, Table]
    folded: Table | None
    figures: dict[str, Figure]
    footer: tuple[str, ...]
    repeat: str


def run_view(report: RunReport, about: About, key: str, page: Path | None) -> RunView:
    """The view of ``report`` with ids prefixed by ``key``; ``page``: where it is written."""
    holdouts, folded = tables.holdouts(report, key)
    found = {"outcomes": tables.outcomes(report, key), **tables.sections(report, key)}
    found["holdouts"] = holdouts
    footer = lines.footer(report)
    return RunView(
        id=key,
        title=report.scenario,
        warning=" ".join(line.text for line in lines.partial_warning(report)),
        headline=tuple(
            line for line in lines.headline(report) if line.emphasis not in ("title", "warning")
        ),
        description=about.description,
        sources=about.sources,
        file=(report.scenario_file, file_link(about.path, page)),
        tables=found,
        folded=folded,
        figures=figures(report, about, key),
        footer=tuple(line.text for line in footer[:-1]),
        repeat=lines.repeat_command(report),
    )


def figures(report: RunReport, about: About, key: str) -> dict[str, Figure]:
    """The cumulative chart and the holdout timeline, each with words for what it shows."""
    return {
        "cdf": Figure(
            inline_svg(cdf_chart(report, about.actual), f"{key}-cdf", cdf_words(report, about)),
            "The share of trials in which each candidate has been appointed by each date, with "
            "its 95 % interval shaded; dotted lines are deadlines, dashed ones hard deadlines.",
        ),
        "holdouts": Figure(
            inline_svg(holdouts_chart(report), f"{key}-holdouts-chart", holdout_words(report)),
            f"For the {SHOWN} members likeliest to hold out last: the share of trials whose "
            "last block of the decisive candidate fell in each round.",
        ),
    }


def cdf_words(report: RunReport, about: About) -> str:
    """The cumulative chart in words: appointed by each deadline, and the real date if known."""
    said = [
        f"{name} ({day(when)}): {percent(e)} appointed by then"
        for name, when, e in report.summary.decided_by
    ]
    if about.actual is not None:
        said.append(f"the real appointment came on {day(about.actual)}")
    return (
        "Probability of appointment by date. " + "; ".join(said) + "."
        if said
        else ("Probability of appointment by date.")
    )


def holdout_words(report: RunReport) -> str:
    """The holdout timeline in words: each member shown and how often it was last holdout."""
    shown = report.summary.members[:SHOWN]
    if not shown:
        return "No member blocked in any trial."
    each = ", ".join(f"{report.member_name(m.member)} {percent(m.last_holdout)}" for m in shown)
    return f"When members last blocked the decisive candidate. Last holdout: {each}."

"""Markdown text of a report or a comparison, for pasting into notes and articles."""

from __future__ import annotations

from collections.abc import Iterable

from natosim.output.tables import lines as text
from natosim.output.tables import run as tables
from natosim.output.tables.chart import cumulative_chart
from natosim.output.tables.comparison import comparison_grid, legend_grid
from natosim.output.tables.grid import Grid, Line
from natosim.output.tables.whatif import differences_grid, edits_text, provenance
from natosim.results.compare import Comparison
from natosim.results.report import RunReport
from natosim.studies.whatif import WhatIf

CHART_WIDTH = 80
"""Characters across the chart's code block."""


def report_markdown(report: RunReport, level: int = 2) -> str:
    """One report: headline, tables, chart and footer, headed at ``level``."""
    blocks = [
        _lines(text.headline(report), level),
        grid_markdown(tables.outcomes(report), level + 1),
        grid_markdown(tables.timing(report), level + 1),
        grid_markdown(tables.deadlines(report), level + 1),
        _chart(report, level + 1),
        grid_markdown(tables.holdouts(report), level + 1),
        grid_markdown(tables.demands(report), level + 1),
        grid_markdown(tables.candidates(report), level + 1),
        _lines((*text.partial_warning(report), *text.footer(report)), level),
    ]
    return "\n\n".join(blocks) + "\n"


def comparison_markdown(comparison: Comparison, detail: bool = False) -> str:
    """The comparison table and the legend; with ``detail``, every report after them."""
    reports = comparison.reports
    blocks = [
        "## Comparison of " + ", ".join(r.scenario for r in reports),
        *(_lines(text.partial_warning(r), 2) for r in reports if not r.complete),
        grid_markdown(comparison_grid(comparison), 3),
        grid_markdown(legend_grid(comparison), 3),
        _lines(text.comparison_footer(reports), 2),
    ]
    text_out = "\n\n".join(blocks) + "\n"
    if detail:
        text_out += "".join("\n" + report_markdown(r) for r in reports)
    return text_out


def grid_markdown(grid: Grid, level: int = 3) -> str:
    """A Markdown table with the grid's title as a heading and its notes as paragraphs."""
    header = "| " + " | ".join(_cell(c.header) for c in grid.columns) + " |"
    rule = "|" + "|".join("---:" if c.numeric else "---" for c in grid.columns) + "|"
    rows = ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in grid.rows]
    parts = [f"{'#' * level} {grid.title}"]
    if rows:
        parts.append("\n".join([header, rule, *rows]))
    parts.extend(_escape(note) for note in grid.notes)
    return "\n\n".join(parts)


def _chart(report: RunReport, level: int) -> str:
    chart = cumulative_chart(report, CHART_WIDTH)
    block = "```text\n" + "\n".join(line.rstrip() for line in chart.lines) + "\n```"
    legend = "\n".join(f"- {_escape(entry)}" for entry in chart.legend)
    return "\n\n".join(part for part in (f"{'#' * level} {chart.title}", block, legend) if part)


def _lines(items: Iterable[Line], level: int) -> str:
    out: list[str] = []
    for line in items:
        body = _escape(line.joined)
        if line.emphasis == "title":
            out.append(f"{'#' * level} {line.text}")
        elif line.emphasis == "main":
            out.append(f"**{body}**")
        elif line.emphasis == "warning":
            out.append(f"> **{body}**")
        elif line.emphasis == "quiet":
            out.append(f"*{body}*")
        else:
            out.append(f"- {body}")
    return "\n\n".join(_join_bullets(out))


def _join_bullets(blocks: list[str]) -> list[str]:
    """Consecutive bullets form one list, not one list per bullet."""
    joined: list[str] = []
    for block in blocks:
        if joined and block.startswith("- ") and joined[-1].startswith("- "):
            joined[-1] += "\n" + block
        else:
            joined.append(block)
    return joined


def _cell(value: str) -> str:
    return _escape(value).replace("|", "\\|") or " "


def _escape(value: str) -> str:
    return value.replace("*", "\\*").replace("_", "\\_")


def whatif_markdown(found: WhatIf) -> str:
    """A what-if as Markdown: the question, the table of differences and the provenance."""
    run = found.base.run
    parts = [
        f"## {_escape(found.base.scenario)}",
        f"**{_escape(edits_text(found))}** Both runs: seed {run.seed}, the same "
        f"{run.trials:,} trials (common random numbers). The intervals are paired 95 % "
        "intervals of the difference.",
        grid_markdown(differences_grid(found)),
        f"*{_escape(provenance(found))}*",
    ]
    return "\n\n".join(parts) + "\n"

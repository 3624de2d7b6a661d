"""``natosim run A B …``: several runs side by side as rich objects."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from natosim.output.tables import lines as text
from natosim.output.tables.compact import NARROW
from natosim.output.tables.comparison import (
    comparison_grid,
    fits,
    legend_grid,
    long_comparison_grid,
)
from natosim.output.tables.letters import letter
from natosim.output.terminal.grid import grid_table, lines
from natosim.output.terminal.run import render_run
from natosim.results.compare import Comparison


def render_comparison(
    comparison: Comparison, width: int = 100, detail: bool = False
) -> RenderableType:
    """The comparison table, the legend of scenarios and the footer; with ``detail``, every
    scenario's full report after them."""
    reports = comparison.reports
    parts: list[RenderableType] = [
        Text(f"Comparison of {len(reports)} scenarios", style="bold"),
        *(lines(text.partial_warning(r)) for r in reports if not r.complete),
        grid_table(
            comparison_grid(comparison, compact=width < NARROW)
            if fits(comparison, width)
            else long_comparison_grid(comparison)
        ),
        Text(""),
        grid_table(legend_grid(comparison, compact=width < NARROW)),
        Text(""),
        lines(text.comparison_footer(reports)),
    ]
    if detail:
        for i, report in enumerate(reports):
            parts += [
                Text(""),
                Rule(f"{letter(i)}: {report.scenario_file}"),
                render_run(report, width),
            ]
    return Group(*parts)

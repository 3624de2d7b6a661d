"""The page of ``natosim run``: one report, or the comparison of several and each report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from natosim.output.html.about import About
from natosim.output.html.page import embedded_json, render
from natosim.output.html.run_view import run_view
from natosim.output.html.tables import table
from natosim.output.json.run import comparison_json, report_json
from natosim.output.tables.comparison import comparison_grid, legend_grid
from natosim.output.tables.letters import letter
from natosim.output.tables.lines import comparison_footer
from natosim.results.compare import compare
from natosim.results.report import RunReport


def run_page(
    reports: tuple[RunReport, ...], abouts: Sequence[About], page: Path | None = None
) -> str:
    """The HTML page of one run, or of the comparison of several.

    Args:
        reports: The runs, in the order of the files.
        abouts: The words of each run's scenario, in the same order.
        page: The file the page is written to, for links to the scenarios; None for stdout.
    """
    views = tuple(
        run_view(r, a, f"r{i + 1}" if len(reports) > 1 else "r", page)
        for i, (r, a) in enumerate(zip(reports, abouts, strict=False))
    )
    if len(reports) == 1:
        return render("run.html.j2", run=views[0], data=embedded_json(report_json(reports[0])))
    comparison = compare(reports)
    return render(
        "compare.html.j2",
        runs=views,
        letters=tuple(letter(i) for i in range(len(reports))),
        comparison=table(comparison_grid(comparison), "c"),
        legend=table(legend_grid(comparison), "c"),
        footer=tuple(line.text for line in comparison_footer(reports)),
        data=embedded_json(comparison_json(comparison)),
    )

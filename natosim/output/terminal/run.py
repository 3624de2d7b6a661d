"""``natosim run``: the report of one run as rich objects."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from natosim.output.tables import compact
from natosim.output.tables import lines as text
from natosim.output.tables import run as tables
from natosim.output.tables.grid import Grid
from natosim.output.terminal.charts import CumulativeChart
from natosim.output.terminal.grid import grid_table, lines
from natosim.results.report import RunReport


def render_run(report: RunReport, width: int = 100) -> RenderableType:
    """The report of one run, in reading order, laid out for ``width`` columns.

    Headline, outcomes, timing (dates, deadlines, chart), holdouts, demands, candidates, and
    the footer that makes it repeatable. Below ``compact.NARROW`` columns the tables are the
    compact ones.
    """
    outcomes, timing, deadlines, holdouts, demands, candidates = section_grids(report, width)
    return Group(
        lines(text.headline(report)),
        _gap(),
        grid_table(outcomes),
        _gap(),
        grid_table(timing),
        grid_table(deadlines),
        _gap(),
        CumulativeChart(report),
        _gap(),
        grid_table(holdouts),
        _gap(),
        grid_table(demands),
        _gap(),
        grid_table(candidates),
        _gap(),
        lines((*text.partial_warning(report), *text.footer(report))),
    )


def section_grids(report: RunReport, width: int) -> tuple[Grid, Grid, Grid, Grid, Grid, Grid]:
    """Outcomes, timing, deadlines, holdouts, demands and candidates, full or compact."""
    kind = compact if width < compact.NARROW else tables
    return (
        kind.outcomes(report),
        kind.timing(report),
        kind.deadlines(report),
        kind.holdouts(report),
        kind.demands(report),
        kind.candidates(report),
    )


def _gap() -> Text:
    return Text("")

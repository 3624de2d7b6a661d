"""Plain-data tables and lines (natosim.output.tables) as rich objects."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim.output.tables.grid import Emphasis, Grid, Line

STYLES: dict[Emphasis, str] = {
    "": "",
    "title": "bold",
    "main": "bold green",
    "warning": "bold red",
    "quiet": "dim",
}


def grid_table(grid: Grid) -> RenderableType:
    """A rich table with the grid's title above it and its notes below (no rows: no table)."""
    if not grid.rows:
        return Group(Text(grid.title, style="bold"), *(Text(n, style="dim") for n in grid.notes))
    table = Table(title=grid.title, title_justify="left", title_style="bold")
    for column in grid.columns:
        table.add_column(
            column.header,
            justify="right" if column.numeric else "left",
            style="cyan" if column.bar else None,
            no_wrap=column.bar or not column.wrap,
            overflow="fold",
        )
    for row in grid.rows:
        table.add_row(*row)
    if not grid.notes:
        return table
    return Group(table, *(Text(note, style="dim") for note in grid.notes))


def lines(items: Iterable[Line]) -> Group:
    """Lines of running text, styled by emphasis; runs of lines with values as aligned pairs."""
    parts: list[RenderableType] = []
    pairs: list[Line] = []
    for line in (*items, None):
        if line is not None and line.value:
            pairs.append(line)
            continue
        if pairs:
            parts.append(_pairs(pairs))
            pairs = []
        if line is not None:
            parts.append(_line(line))
    return Group(*parts)


def _pairs(items: list[Line]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column(no_wrap=True)
    for line in items:
        style = STYLES[line.emphasis]
        grid.add_row(Text(f"{line.text}:", style=style), Text(line.value, style=style))
    return grid


def _line(line: Line) -> Text:
    if line.wrap:
        return Text(line.text, style=STYLES[line.emphasis])
    return Text(line.text, style=STYLES[line.emphasis], no_wrap=True, overflow="ignore")

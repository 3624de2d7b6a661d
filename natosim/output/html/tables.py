"""The report's plain-data tables, made ready for the page's template.

Why a view of its own: a :class:`~natosim.output.tables.grid.Grid` says what a table holds; the page
also needs an id for each table, which cells are numbers, the length of each bar, and which
holdouts to fold away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from natosim.model.arrays import EventKind, Model, Stance
from natosim.output.tables import run as tables
from natosim.output.tables.grid import Column, Grid
from natosim.results.report import RunReport


@dataclass(frozen=True)
class Cell:
    """One cell: its text, and for a bar its length as a share of the column (0 to 1)."""

    text: str
    bar: float | None = None

    @property
    def unbroken(self) -> bool:
        """Whether the text is one short token (a date, a number) that must not wrap."""
        return " " not in self.text and len(self.text) <= 16


@dataclass(frozen=True)
class Table:
    """A table as the template draws it.

    Attributes:
        id: Unique on the page; the table's heading has it too.
        title: The heading.
        columns: The grid's columns.
        rows: The cells of each row; the first cell of a row is its header.
        notes: Sentences under the table.
        sortable: Whether a script may offer to sort it by a column.
        row_headers: Whether the first cell of each row names the row.
    """

    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...]
    sortable: bool = False
    row_headers: bool = True


def table(
    grid: Grid,
    prefix: str,
    bars: Sequence[float] = (),
    sortable: bool = False,
    row_headers: bool = True,
) -> Table:
    """``grid`` as a :class:`Table` whose id is ``prefix-KEY``; ``bars`` per row, if it has any."""
    rows = tuple(
        tuple(
            Cell(text, bars[i] if column.bar and i < len(bars) else None)
            for text, column in zip(row, grid.columns, strict=True)
        )
        for i, row in enumerate(grid.rows)
    )
    key = f"{prefix}-{grid.key}"
    return Table(key, grid.title, grid.columns, rows, grid.notes, sortable, row_headers)


def outcomes(report: RunReport, prefix: str) -> Table:
    """The outcomes, with a bar per row."""
    bars = [e.p for _, e in report.summary.outcomes]
    return table(tables.outcomes(report), prefix, bars)


def holdouts(report: RunReport, prefix: str) -> tuple[Table, Table | None]:
    """The holdouts table, and apart from it those that block only by breaking silence.

    Why fold them: in a large Council, the members that never object on their own still break
    silence now and then, and their rows (a fraction of a percent each) would fill the table.
    """
    grid = tables.holdouts(report)
    quiet = silence_only(report.run.model)
    keep = [m.member not in quiet for m in report.summary.members]
    shown = [row for row, k in zip(grid.rows, keep, strict=True) if k]
    folded = [row for row, k in zip(grid.rows, keep, strict=True) if not k]
    main = Grid(grid.key, grid.title, grid.columns, tuple(shown), grid.notes)
    rest = Grid(
        "holdouts-silence",
        f"{len(folded)} members that block only by breaking silence",
        grid.columns,
        tuple(folded),
    )
    return table(main, prefix, sortable=True), (
        table(rest, prefix, sortable=True) if folded else None
    )


def silence_only(model: Model) -> frozenset[str]:
    """Members that can block only by breaking silence: no stance of theirs, drawn or set by an
    event, is ever conditional or an objection."""
    against = model.stance_prob[:, :, Stance.CONDITIONAL] + model.stance_prob[:, :, Stance.OBJECT]
    blocking = {model.members[i] for i in range(model.n_members) if against[i].max() > 0}
    for event in model.events:
        if event.kind == EventKind.STANCE and event.stance in (Stance.CONDITIONAL, Stance.OBJECT):
            blocking.update(model.members[i] for i in event.members)
    return frozenset(model.members) - blocking


def sections(report: RunReport, prefix: str) -> dict[str, Table]:
    """Timing, deadlines, demands and candidates, by key."""
    return {
        "timing": table(tables.timing(report), prefix, row_headers=False),
        **{
            grid.key: table(grid, prefix)
            for grid in (
                tables.deadlines(report),
                tables.demands(report),
                tables.candidates(report),
            )
        },
    }

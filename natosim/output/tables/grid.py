"""A table as plain data: a title, columns, rows of text and notes under it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Emphasis = Literal["", "title", "main", "warning", "quiet"]


@dataclass(frozen=True)
class Column:
    """A column: its header, whether it holds numbers (right-aligned), is a bar, may wrap."""

    header: str
    numeric: bool = False
    bar: bool = False
    wrap: bool = True


@dataclass(frozen=True)
class Grid:
    """A table of one section of a report, every cell already formatted.

    Attributes:
        key: A short name (``outcomes``, ``holdouts``) for anchors and file names.
        title: The table's title.
        columns: Its columns.
        rows: One tuple of cells per row, one cell per column.
        notes: Sentences printed under the table.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """A line of running text, with how much it should stand out.

    ``value``, when given, is what the text is about (``74.6 % (73.6–75.6)``): shown after it,
    aligned with the values of the lines around it and never broken. ``wrap`` is False for a
    command to copy: broken over two lines it would not paste.
    """

    text: str
    emphasis: Emphasis = ""
    wrap: bool = True
    value: str = ""

    @property
    def joined(self) -> str:
        """``text: value``, or the text alone."""
        return f"{self.text}: {self.value}" if self.value else self.text

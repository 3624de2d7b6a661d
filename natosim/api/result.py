"""What every result shares: a JSON document, tables as DataFrames, and display.

Why a base class: a notebook user can call ``to_dict()``, ``frame(name)`` and ``print``
on any result without learning each study's type, and every result shows in Jupyter as the
tables the terminal prints.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Console, RenderableType

from natosim.output.frames import Row, data_frame
from natosim.output.json.values import dumps

if TYPE_CHECKING:
    import pandas as pd

WIDTH = 100
"""Width of the text of a result printed or shown in a notebook."""

_HTML = "<pre style=\"font-family: Menlo, Consolas, 'DejaVu Sans Mono', monospace\">{code}</pre>"


class Result(ABC):
    """A result of natosim: data first, then its tables and its display."""

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The JSON document that the command line prints with ``--format json``."""

    TABLES: ClassVar[tuple[str, ...]] = ()
    """The lists of :meth:`to_dict` that are tables, for results that need nothing more."""

    def tables(self) -> dict[str, list[Row]]:
        """Each table's rows as plain values, by table name."""
        document = self.to_dict()
        return {name: document[name] for name in self.TABLES}

    @abstractmethod
    def renderable(self, width: int = WIDTH, detail: bool = False) -> RenderableType:
        """The terminal's tables as a rich object (``detail``: everything, where a result
        has more than its summary)."""

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text."""
        return dumps(self.to_dict())

    def frame(self, table: str) -> pd.DataFrame:
        """One table as a pandas DataFrame (see :meth:`tables` for the names).

        Raises:
            KeyError: For a table this result does not have (the message lists them).
            UserError: When pandas is not installed.
        """
        tables = self.tables()
        if table not in tables:
            raise KeyError(f"no table {table!r}; this result has: {', '.join(tables)}")
        return data_frame(tables[table])

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table as a DataFrame."""
        return {name: data_frame(rows) for name, rows in self.tables().items()}

    def text(self, width: int = WIDTH, detail: bool = False) -> str:
        """The terminal's tables as plain text."""
        buffer = io.StringIO()
        console = Console(
            file=buffer, width=width, color_system=None, force_terminal=False, emoji=False
        )
        console.print(self.renderable(width, detail), crop=False)
        return buffer.getvalue()

    def __str__(self) -> str:
        """The terminal's tables as plain text."""
        return self.text()

    def _repr_html_(self) -> str:
        """Jupyter's display: the terminal's tables, with their colours."""
        console = Console(
            file=io.StringIO(), width=WIDTH, record=True, force_jupyter=False, emoji=False
        )
        console.print(self.renderable(WIDTH), crop=False)
        return console.export_html(inline_styles=True, code_format=_HTML)

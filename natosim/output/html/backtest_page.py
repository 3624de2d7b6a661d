"""The page of ``natosim backtest``: every case's scores and the averages, as the terminal shows."""

from __future__ import annotations

from pathlib import Path

from natosim.output.html.page import embedded_json, render
from natosim.output.html.tables import Table, table
from natosim.output.json.studies import backtest_json
from natosim.output.tables.grid import Column, Grid
from natosim.output.terminal.backtest import TableRows, backtest_tables, footer
from natosim.studies.backtest import Backtest


def backtest_page(backtest: Backtest) -> str:
    """The HTML page of a back-test: the four tables of ``natosim backtest`` and its footer."""
    return render(
        "backtest.html.j2",
        tables=tuple(_table(spec, i) for i, spec in enumerate(backtest_tables(backtest))),
        footer=footer(backtest),
        skipped=tuple(f"{Path(f).name} ({why})" for f, why in backtest.skipped),
        data=embedded_json(backtest_json(backtest)),
    )


def _table(spec: TableRows, index: int) -> Table:
    columns = tuple(Column(c) for c in spec.columns)
    return table(Grid(f"t{index + 1}", spec.title, columns, spec.rows), "b")

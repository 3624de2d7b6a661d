"""``natosim sweep``: a table of the chosen measures per grid point, and a text chart.

The chart shows the first measure: bars for a sweep over one path, a shaded grid for two.
Probabilities are drawn on the scale 0 to 100 %, dates on the scenario's span, so a flat
chart means the parameter barely matters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim import __version__
from natosim.errors import describe
from natosim.results.measures import Measure
from natosim.results.stats import Estimate
from natosim.studies.sweep import Sweep

BAR_WIDTH = 40
"""Characters of a full bar (100 %, or the scenario's last day)."""
_EIGHTHS = " ▏▎▍▌▋▊▉"
_SHADES = " ░▒▓█"


def render_sweep(result: Sweep, chosen: Sequence[Measure]) -> RenderableType:
    """The table of every point, the chart of the first measure, and the run's footer."""
    chart = _bars(result, chosen[0]) if len(result.varies) == 1 else _shades(result, chosen[0])
    return Group(_table(result, chosen), chart, _footer(result))


def show_value(value: Any) -> str:
    """A grid value as typed: ``0.05``, ``support``, ``2024-04-01``, ``{object: 0.5}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:g}"
    return describe(value)


def show_measure(value: Estimate | dt.date | None) -> str:
    """``74.5 %`` for a probability, the date for a date, ``—`` for no value."""
    if value is None:
        return "—"
    return f"{100 * value.p:.1f} %" if isinstance(value, Estimate) else str(value)


def _table(result: Sweep, chosen: Sequence[Measure]) -> Table:
    title = " × ".join(path for path, _ in result.varies)
    table = Table(title=f"Sweep of {title}", title_justify="left")
    for path, _ in result.varies:
        table.add_column(path.rsplit(".", 1)[-1], justify="right")
    for measure in chosen:
        table.add_column(measure.label, justify="right")
    for point, report in zip(result.points, result.reports, strict=True):
        cells = [show_measure(m.read(report.summary)) for m in chosen]
        table.add_row(*(show_value(v) for v in point), *cells)
    return table


def _fraction(result: Sweep, value: Estimate | dt.date | None) -> float:
    """Where a value sits on its measure's scale, from 0 to 1."""
    if value is None:
        return 0.0
    if isinstance(value, Estimate):
        return value.p
    scenario = result.loaded.scenario
    return (value - scenario.start).days / max((scenario.end - scenario.start).days, 1)


def _bars(result: Sweep, measure: Measure) -> Text:
    path, values = result.varies[0]
    labels = [show_value(v) for v in values]
    width = max(len(label) for label in labels)
    text = Text()
    text.append(f"{measure.label} by {path}", style="bold")
    for label, value in zip(labels, result.values(measure), strict=True):
        bar = _bar(_fraction(result, value))
        text.append(f"\n{label:>{width}} │{bar}│ {show_measure(value)}")
    return text


def _bar(fraction: float) -> str:
    eighths = round(min(max(fraction, 0.0), 1.0) * BAR_WIDTH * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(BAR_WIDTH)


def _shades(result: Sweep, measure: Measure) -> Group:
    (rows_path, row_values), (cols_path, col_values) = result.varies
    title = Text(f"{measure.label}: {rows_path} (rows) × {cols_path} (columns)", style="bold")
    table = Table()
    table.add_column("")
    for value in col_values:
        table.add_column(show_value(value), justify="right")
    values = result.values(measure)
    for i, row in enumerate(row_values):
        cells = values[i * len(col_values) : (i + 1) * len(col_values)]
        table.add_row(show_value(row), *(_cell(result, v) for v in cells))
    return Group(title, table)


def _cell(result: Sweep, value: Estimate | dt.date | None) -> str:
    shade = _SHADES[min(int(_fraction(result, value) * len(_SHADES)), len(_SHADES) - 1)]
    return f"{shade} {show_measure(value)}"


def _footer(result: Sweep) -> Text:
    return Text(
        f"natosim {__version__} · {result.loaded.label} · sha256 {result.loaded.sha256[:12]} · "
        f"seed {result.seed} · {result.trials:,} trials per point, the same random numbers at "
        f"every point · engine {result.engine}",
        style="dim",
    )

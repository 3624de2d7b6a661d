"""Sweep curves: a measure as one or two parameters vary, on common random numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import NDArray

from natosim.errors import UserError
from natosim.output.plot.common import (
    PALETTE,
    Chart,
    caption,
    date_axis,
    day_numbers,
    new_chart,
    percent_axis,
)
from natosim.results.measures import Measure
from natosim.results.stats import Estimate
from natosim.studies.sweep import Sweep

NOTE = "the same seed at every point"
BANDS = "; bands: 95 % Wilson intervals"


def sweep_chart(result: Sweep, measures: Sequence[Measure]) -> Chart:
    """Each measure against the first varied path; with two paths, a line per second value.

    Raises:
        UserError: when probabilities and dates are mixed, or two paths get several measures.
    """
    _check(result, measures)
    loaded = result.loaded
    path, values = result.varies[0]
    chart, axes = new_chart(
        loaded.scenario.name,
        _subtitle(result, measures),
        caption(
            loaded.label,
            result.trials,
            result.seed,
            NOTE + (BANDS if measures[0].kind == "probability" else ""),
        ),
    )
    x, labels = _positions(values)
    for colour, (label, series) in zip(PALETTE, _series(result, measures), strict=False):
        _line(axes, x, series, colour, label)
    _x_axis(axes, x, labels, values, path)
    _y_axis(axes, measures)
    if len(result.varies) == 2 or len(measures) > 1:
        title = result.varies[1][0] if len(result.varies) == 2 else None
        axes.legend(title=title, fontsize=8, title_fontsize=8)
    return chart


def _check(result: Sweep, measures: Sequence[Measure]) -> None:
    if len({m.kind for m in measures}) > 1:
        raise UserError("a sweep chart shows probabilities or dates, not both: pick one kind")
    if len(result.varies) == 2 and len(measures) > 1:
        raise UserError("a sweep of two paths charts one --measure: the lines are the 2nd path")


def _subtitle(result: Sweep, measures: Sequence[Measure]) -> str:
    what = ", ".join(m.label for m in measures)
    return f"{what} as {result.varies[0][0]} varies"


def _series(
    result: Sweep, measures: Sequence[Measure]
) -> list[tuple[str, list[Estimate | dt.date | None]]]:
    """(legend label, values along the first path) for every line."""
    if len(result.varies) == 1:
        return [(m.label, result.values(m)) for m in measures]
    found = result.values(measures[0])
    inner = len(result.varies[1][1])
    return [(_text(value), found[j::inner]) for j, value in enumerate(result.varies[1][1])]


def _positions(values: Sequence[Any]) -> tuple[NDArray[np.float64], list[str] | None]:
    """x of each value: numbers as they are, dates as day numbers, anything else by rank."""
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.float64), None
    if all(isinstance(v, dt.date) for v in values):
        return day_numbers(values), None
    return np.arange(len(values), dtype=np.float64), [_text(v) for v in values]


def _line(
    axes: Axes, x: NDArray[np.float64], series: Sequence[Any], colour: str, label: str
) -> None:
    if all(isinstance(v, Estimate) for v in series):
        y = np.array([v.p for v in series])
        bands = np.array([v.interval for v in series])
        axes.fill_between(x, bands[:, 0], bands[:, 1], color=colour, alpha=0.18, linewidth=0)
    else:
        y = np.array([day_numbers([v])[0] if v is not None else np.nan for v in series])
    axes.plot(x, y, color=colour, marker="o", markersize=3.5, linewidth=1.6, label=label)


def _x_axis(
    axes: Axes, x: NDArray[np.float64], labels: list[str] | None, values: Sequence[Any], path: str
) -> None:
    axes.set_xlabel(path)
    if labels is not None:
        axes.set_xticks(x, labels)
    elif isinstance(values[0], dt.date):
        date_axis(axes)


def _y_axis(axes: Axes, measures: Sequence[Measure]) -> None:
    if measures[0].kind == "probability":
        percent_axis(axes.yaxis)
        axes.set_ylim(-0.02, 1.02)
    else:
        date_axis(axes, "y")
    axes.set_ylabel(measures[0].label if len(measures) == 1 else measures[0].kind)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)

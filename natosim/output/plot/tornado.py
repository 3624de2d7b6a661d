"""The tornado of a sensitivity analysis: each range at its low and its high end."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from natosim.output.plot.common import (
    INK,
    PALETTE,
    Chart,
    caption,
    date_axis,
    day_numbers,
    new_chart,
    percent_axis,
)
from natosim.output.terminal.sensitivity import change_text, value_text
from natosim.studies.sensitivity import Sensitivity

LOW_COLOUR, HIGH_COLOUR = "#9dc3e6", PALETTE[0]
_INDEX = {"morris": "μ*", "sobol": "ST"}


def tornado_chart(result: Sensitivity) -> Chart:
    """Bars from the all-midpoints value to the measure at each range's low and high end.

    Rows follow the analysis's ranking (Morris μ* or Sobol ST), most influential at the top;
    each row names the range, its bounds and its index.
    """
    effects = result.effects
    chart, axes = new_chart(
        result.loaded.scenario.name,
        "One range at a time at its low or high end, the others at their midpoints",
        caption(result.loaded.label, result.trials, result.seed, _note(result)),
        size=(8.0, 1.8 + 0.42 * max(len(effects), 2)),
    )
    rows = np.arange(len(effects))[::-1]
    shift = 0.0 if result.measure.kind == "probability" else _day_zero(result)
    base = result.base + shift
    for row, effect in zip(rows, effects, strict=True):
        for end, colour in ((effect.at_low, LOW_COLOUR), (effect.at_high, HIGH_COLOUR)):
            axes.barh(row, end + shift - base, left=base, height=0.6, color=colour, linewidth=0)
        axes.annotate(
            f"{_INDEX[result.method]} {_index_text(result, effect.index)}",
            xy=(1.0, row),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color="#555555",
        )
    axes.axvline(base, color=INK, linewidth=1.0)
    labels = [f"{e.parameter.name}\n{e.parameter.low:g} to {e.parameter.high:g}" for e in effects]
    axes.set_yticks(rows, labels, fontsize=7)
    _finish(axes, result)
    return chart


def _day_zero(result: Sensitivity) -> float:
    """The day number of the start: a date measure counts days after it."""
    return float(day_numbers([result.loaded.scenario.start])[0])


def _index_text(result: Sensitivity, value: float) -> str:
    return change_text(result, value) if result.method == "morris" else f"{value:.2f}"


def _note(result: Sensitivity) -> str:
    design = "Morris" if result.method == "morris" else "Sobol"
    index = _INDEX[result.method]
    return f"{design}, {result.samples} samples, {result.evaluations} runs, ranked by {index}"


def _finish(axes: Axes, result: Sensitivity) -> None:
    axes.grid(axis="y", visible=False)
    axes.set_ylim(-0.6, max(len(result.effects), 1) - 0.4)
    if result.measure.kind == "probability":
        percent_axis(axes.xaxis)
    else:
        date_axis(axes)
    axes.set_xlabel(result.measure.label)
    axes.legend(
        handles=[
            Patch(color=LOW_COLOUR, label="range at its low end"),
            Patch(color=HIGH_COLOUR, label="range at its high end"),
            Line2D([], [], color=INK, label=f"all at midpoints: {value_text(result, result.base)}"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncols=3,
        fontsize=7,
    )

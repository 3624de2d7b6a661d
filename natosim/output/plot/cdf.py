"""The cumulative probability of appointment over time, per candidate, with deadlines."""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from natosim.model.arrays import Model
from natosim.output.plot.common import (
    PALETTE,
    Chart,
    caption,
    date_axis,
    day_numbers,
    mark_deadlines,
    new_chart,
    percent_axis,
    shade_after_end,
)
from natosim.results.report import RunReport
from natosim.results.stats import wilson

ACTUAL = "#000000"
CONTENDER = 0.05
"""Share of trials a candidate must win to count as a contender; with two or more, the chart
adds a curve for any appointment."""


def cdf_chart(report: RunReport, actual: dt.date | None = None) -> Chart:
    """P(appointed by each date) for every candidate appointed in some trial.

    Each curve is a step per round with its 95 % Wilson band; ``actual`` marks the date of
    the real appointment (a scenario's ``outcome.date``), when there is one.
    """
    run = report.run
    chart, axes = new_chart(
        report.scenario,
        "Probability that the candidate has been appointed, by date",
        caption(report.scenario_file, run.trials, run.seed, "bands: 95 % Wilson intervals"),
    )
    appointed = run.tally.outcome_round[: run.model.n_candidates].sum(axis=1)
    shown = [k for k in range(run.model.n_candidates) if appointed[k] > 0]
    for colour, k in zip(PALETTE, shown, strict=False):
        _curve(axes, run.model, run.tally.outcome_round[k], run.trials, colour, k)
    if (appointed >= CONTENDER * run.trials).sum() >= 2:
        total = run.tally.outcome_round[: run.model.n_candidates].sum(axis=0)
        _curve(axes, run.model, total, run.trials, "#555555", None)
    mark_deadlines(axes, run.model.deadlines)
    shade_after_end(axes, run.model, f"undecided trials end in {run.model.reversion.name.lower()}")
    if actual is not None:
        axes.axvline(day_numbers([actual])[0], color=ACTUAL, linewidth=1.2, zorder=3)
    _finish(axes, run.model, actual)
    return chart


def _curve(
    axes: Axes, model: Model, by_round: np.ndarray, n: int, colour: str, k: int | None
) -> None:
    counts = np.cumsum(by_round)
    bands = np.array([wilson(int(c), n) for c in counts])
    label = model.candidate_names[k] if k is not None else "any candidate"
    dates = day_numbers(model.dates)
    axes.fill_between(dates, bands[:, 0], bands[:, 1], step="post", color=colour, alpha=0.2)
    axes.step(dates, counts / n, where="post", color=colour, linewidth=1.8, label=label)
    axes.annotate(
        f"{100 * counts[-1] / n:.1f} %",
        xy=(1.0, counts[-1] / n),
        xycoords=("axes fraction", "data"),
        xytext=(-2, 4),
        textcoords="offset points",
        ha="right",
        fontsize=8,
        color=colour,
    )


def _finish(axes: Axes, model: Model, actual: dt.date | None) -> None:
    axes.set_xlim(*day_numbers([model.dates[0], model.dates[-1]]))
    percent_axis(axes.yaxis)
    axes.set_ylim(0, 1)
    axes.set_ylabel("P(appointed by date)")
    date_axis(axes)
    handles, _ = axes.get_legend_handles_labels()
    handles.append(Patch(color="#999999", alpha=0.3, label="95 % interval"))
    if actual is not None:
        handles.append(_actual_handle(actual))
    axes.legend(handles=handles, loc="upper left", fontsize=8)


def _actual_handle(actual: dt.date) -> Line2D:
    return Line2D(
        [], [], color=ACTUAL, linewidth=1.2, label=f"actual appointment, {actual:%d %b %Y}"
    )

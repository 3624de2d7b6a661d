"""The holdout timeline: for each member that blocks, when it blocked for the last time."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from natosim.model.arrays import Model
from natosim.output.plot.common import (
    PALETTE,
    Chart,
    caption,
    date_axis,
    day_numbers,
    last_round,
    mark_deadlines,
    new_chart,
    shade_after_end,
    share,
)
from natosim.results.report import RunReport
from natosim.results.stats import MemberRow

STOPPED, STILL = PALETTE[0], PALETTE[1]
"""Colours of a last block before the end, and of a block still standing when trials end."""
SHOWN = 8
"""Members shown: the likeliest last holdouts first."""
ROW_HEIGHT = 0.9
"""Height of the tallest histogram, in rows."""


def holdouts_chart(report: RunReport, shown: int = SHOWN) -> Chart:
    """One row per blocking member: the share of trials whose last block fell in each round.

    Members are ordered as in ``natosim run``'s holdout table (likeliest last holdout first).
    All rows share one scale, so a taller ridge is a more common last block.
    """
    run = report.run
    rows = report.summary.members[:shown]
    chart, axes = new_chart(
        report.scenario,
        "When each member last blocked the decisive candidate (share of trials per round)",
        caption(
            report.scenario_file, run.trials, run.seed, "members likeliest to hold out last first"
        ),
        size=(8.0, 1.6 + 0.45 * max(len(rows), 2)),
    )
    counts = np.array([run.tally.last_block_round[run.model.members.index(r.member)] for r in rows])
    peak = counts.max() if counts.size and counts.max() > 0 else 1
    for position, (row, hist) in enumerate(zip(rows, counts, strict=True)):
        _ridge(axes, run.model, row, hist / peak, len(rows) - 1 - position)
    mark_deadlines(axes, run.model.deadlines)
    shade_after_end(axes, run.model, "")
    _finish(axes, run.model, rows)
    return chart


def _ridge(axes: Axes, model: Model, row: MemberRow, heights: np.ndarray, level: int) -> None:
    """A member's histogram; the bar of the round where trials end is still blocking."""
    x = day_numbers(model.dates)
    top = level + ROW_HEIGHT * heights
    end = last_round(model)
    stopped = np.where(np.arange(model.n_rounds) < end, top, level)
    axes.fill_between(x, level, stopped, step="mid", color=STOPPED, alpha=0.4, linewidth=0)
    axes.step(x, stopped, where="mid", color=STOPPED, linewidth=1.0)
    width = (x[1] - x[0]) if len(x) > 1 else 1.0
    axes.bar(x[end], top[end] - level, width, level, color=STILL, alpha=0.8, linewidth=0)
    note = f"blocks in {share(row.ever_blocks.p)}, last holdout in {share(row.last_holdout.p)}"
    axes.annotate(
        note,
        xy=(1.0, level),
        xycoords=("axes fraction", "data"),
        xytext=(-2, 3),
        textcoords="offset points",
        ha="right",
        fontsize=7,
        color="#555555",
    )


def _finish(axes: Axes, model: Model, rows: tuple[MemberRow, ...]) -> None:
    axes.set_yticks(range(len(rows)), [r.member for r in reversed(rows)])
    axes.set_ylim(-0.2, max(len(rows), 1) + 0.4)
    axes.set_xlim(*day_numbers([model.dates[0], model.dates[-1]]))
    axes.grid(axis="y", visible=False)
    date_axis(axes)
    axes.legend(
        handles=[
            Patch(color=STOPPED, alpha=0.4, label="last blocked in this round, then stopped"),
            Patch(color=STILL, alpha=0.8, label="still blocking when the trial ended undecided"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncols=2,
        fontsize=7,
    )
    if not rows:
        axes.text(0.5, 0.5, "no member blocked in any trial", transform=axes.transAxes, ha="center")

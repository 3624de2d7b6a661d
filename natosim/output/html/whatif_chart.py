"""The paired differences of a what-if as a chart: each probability's change with its interval."""

from __future__ import annotations

import numpy as np

from natosim.output.plot.common import PALETTE, Chart, caption, new_chart, percent_axis, style
from natosim.studies.whatif import Difference, WhatIf

SURE, UNSURE = PALETTE[1], PALETTE[6]
"""Colours of a change whose interval excludes zero, and of one whose interval does not."""


def differences_chart(found: WhatIf, rows: tuple[Difference, ...]) -> Chart:
    """One row per probability in ``rows``: the variant minus the base, in percentage points,
    with its paired 95 % interval; the first row at the top."""
    shown = [d for d in rows if d.unit == "probability" and d.paired is not None]
    run = found.base.run
    chart, axes = new_chart(
        found.base.scenario,
        "Change of each probability (variant − base), with paired 95 % intervals",
        caption(found.base.scenario_file, run.trials, run.seed, "common random numbers"),
        size=(8.0, 1.4 + 0.32 * max(len(shown), 2)),
    )
    with style():
        y = np.arange(len(shown))[::-1]
        for level, d in zip(y, shown, strict=True):
            low, high = d.paired or (0.0, 0.0)
            colour = SURE if low > 0 or high < 0 else UNSURE
            axes.plot([low, high], [level, level], color=colour, linewidth=2.2)
            axes.plot([d.difference or 0.0], [level], "o", color=colour, markersize=5)
        axes.axvline(0, color="#555555", linewidth=0.9)
        axes.set_yticks(y, [d.label for d in shown])
        axes.set_ylim(-0.7, max(len(shown), 1) - 0.3)
        axes.grid(axis="y", visible=False)
        percent_axis(axes.xaxis, signed=True)
        axes.set_xlabel("variant − base (percentage points)")
        if not shown:
            axes.text(0.5, 0.5, "no probability to compare", transform=axes.transAxes, ha="center")
    return chart

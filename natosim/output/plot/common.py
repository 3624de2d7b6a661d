"""What every chart shares: one style, a caption, date axes, and saving with metadata.

Why: charts are rendering, like the rich tables. A chart function builds a :class:`Chart`
(a matplotlib figure with its title and caption) and never writes a file or opens a window;
the command line saves it. Figures are made with :class:`matplotlib.figure.Figure`, not
pyplot, so no global figure state or display backend is involved.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from numpy.typing import NDArray

from natosim import __version__
from natosim.model.arrays import Model, ModelDeadline
from natosim.output.plot.files import DPI, chart_format
from natosim.output.text.files import output_target, write_output

WIDTH, HEIGHT = 8.0, 4.8
"""Default size in inches; at :data:`DPI` a PNG is 1200 × 720 pixels."""
CAPTION_CHARS, SUBTITLE_CHARS = 150, 90
"""Longest lines of a caption and a subtitle at the default width; longer ones wrap."""
PALETTE = ("#1f4e79", "#c0504d", "#4f8f3a", "#8064a2", "#d28a1a", "#2aa0a4", "#7f7f7f")
"""Colours of successive lines: dark blue, red, green, purple, amber, teal, grey."""
INK = "#333333"
STYLE: dict[Any, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e6e6e6",
    "grid.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
    "svg.hashsalt": "natosim",
    "svg.fonttype": "none",
}
"""Settings applied while a chart is built and saved (``svg.hashsalt`` makes SVGs repeatable)."""


@dataclass(frozen=True)
class Chart:
    """A finished figure and the words that describe it.

    Attributes:
        figure: The matplotlib figure.
        title: The chart's title, also written into the file's metadata.
        caption: The scenario, trials, seed and version, printed under the chart and written
            into the metadata as its description.
    """

    figure: Figure
    title: str
    caption: str

    def save(self, path: str | os.PathLike[str], dpi: int = DPI) -> None:
        """Write the chart as PNG, SVG or PDF (by suffix): see :func:`save_chart`."""
        save_chart(self, Path(path), dpi)


@contextmanager
def style() -> Iterator[None]:
    """The house style, for building and saving a chart, without touching global settings."""
    with mpl.rc_context(STYLE):
        yield


def new_chart(
    title: str, subtitle: str, caption: str, size: tuple[float, float] = (WIDTH, HEIGHT)
) -> tuple[Chart, Axes]:
    """An empty chart with one axes, its title, subtitle and caption."""
    with style():
        figure = Figure(figsize=size, layout="constrained")
        axes = figure.add_subplot()
        figure.suptitle(title, fontweight="bold", fontsize=11, color=INK)
        axes.set_title("\n".join(textwrap.wrap(subtitle, SUBTITLE_CHARS)), loc="left", color=INK)
        text = "\n".join(textwrap.wrap(caption, CAPTION_CHARS))
        figure.supxlabel(text, fontsize=7, color="#666666", x=0.01, ha="left")
    return Chart(figure, title, caption), axes


def caption(scenario: str, trials: int, seed: int, extra: str = "") -> str:
    """``Scenario · 20,000 trials · seed 2024 · natosim 0.1.0`` and any note after it."""
    parts = [scenario, f"{trials:,} trials", f"seed {seed}", f"natosim {__version__}"]
    return " · ".join([*parts, extra] if extra else parts)


def day_numbers(dates: Sequence[dt.date]) -> NDArray[np.float64]:
    """Dates as matplotlib's day numbers, the x values of every date axis."""
    return np.asarray(date2num(list(dates)), dtype=np.float64)  # type: ignore[no-untyped-call]


def date_axis(axes: Axes, which: str = "x") -> None:
    """Readable dates on the x axis (months, with the year where it changes) or the y axis."""
    locator = AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    if which == "x":
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    else:  # concise labels need a year written beside the axis, which a y axis lacks
        axes.yaxis.set_major_locator(locator)
        axes.yaxis.set_major_formatter(DateFormatter("%d %b %Y"))  # type: ignore[no-untyped-call]


def percent_axis(axis: Axis, signed: bool = False) -> None:
    """Ticks of a share (0 to 1) as percentages, ``40 %``; ``+5 pp`` style when ``signed``."""
    if signed:
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:+.0f} pp"))
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.0f} %"))


def mark_deadlines(axes: Axes, deadlines: Sequence[ModelDeadline]) -> None:
    """A vertical line at each deadline (dashed when hard), named at the top of the axes."""
    for deadline, x in zip(deadlines, day_numbers([d.date for d in deadlines]), strict=True):
        axes.axvline(
            x,
            color="#555555",
            linewidth=0.9,
            linestyle="--" if deadline.hard else ":",
            zorder=1,
        )
        axes.annotate(
            f"{deadline.name}\n{deadline.date:%d %b %Y}",
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            fontsize=7,
            color="#555555",
            va="top",
        )


def last_round(model: Model) -> int:
    """The round in which every trial has ended: the hard deadline's, else the last."""
    return model.hard_round if model.hard_round >= 0 else model.n_rounds - 1


def shade_after_end(axes: Axes, model: Model, note: str) -> None:
    """Grey out the dates after the last round any trial reaches, with ``note`` on them."""
    end = last_round(model)
    if end >= model.n_rounds - 1:
        return
    x = day_numbers(model.dates)
    axes.axvspan((x[end] + x[end + 1]) / 2, x[-1], color="#f2f2f2", zorder=0)
    axes.annotate(
        note,
        xy=(1.0, 0.5),
        xycoords="axes fraction",
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        fontsize=7,
        color="#777777",
    )


def share(p: float) -> str:
    """A share of trials in whole percent; ``<1 %`` rather than ``0 %`` when not nil."""
    return "<1 %" if 0 < p < 0.005 else f"{100 * p:.0f} %"


def save_chart(chart: Chart, path: Path, dpi: int = DPI) -> None:
    """Write ``chart`` to ``path`` as PNG, SVG or PDF (by suffix), with title and caption.

    ``dpi`` sets the pixels of a PNG (8 inches wide: 1200 pixels at 150 dpi); SVG and PDF
    are drawn as vectors. The file is written as :mod:`natosim.output.text.files` writes
    reports: atomically, or through to a device or FIFO.

    Raises:
        UserError: for another suffix, or a path that cannot be written.
    """
    target = output_target(str(path))
    write_output(target, chart_bytes(chart, chart_format(path), dpi))


def chart_bytes(chart: Chart, kind: str, dpi: int = DPI) -> bytes:
    """The file of ``chart`` in format ``kind`` (png, svg or pdf), with title and caption."""
    buffer = io.BytesIO()
    with style():
        chart.figure.savefig(buffer, format=kind, dpi=dpi, metadata=_metadata(chart, kind))
    return buffer.getvalue()


def _metadata(chart: Chart, kind: str) -> dict[str, Any]:
    """The title and caption in each format's own keys; no dates, so files are repeatable."""
    software = f"natosim {__version__} (matplotlib {mpl.__version__})"
    if kind == "png":
        return {"Title": chart.title, "Description": chart.caption, "Software": software}
    if kind == "svg":
        return {
            "Title": chart.title,
            "Description": chart.caption,
            "Creator": software,
            "Date": None,
        }
    return {
        "Title": chart.title,
        "Subject": chart.caption,
        "Creator": software,
        "CreationDate": None,
    }

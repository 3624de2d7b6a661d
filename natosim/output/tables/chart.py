"""A text chart of the cumulative probability of appointment, with the deadlines marked.

Each column is a round (or, when rounds outnumber the columns, the last round of a run of
rounds); each cell is filled in eighths, so the curve is read to within 2.5 percentage points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from natosim.output.tables.cells import day, percent
from natosim.results.report import RunReport

HEIGHT = 5
"""Rows of the plot: each covers 20 percentage points."""

VERTICAL = " ▁▂▃▄▅▆▇█"
"""Vertical eighth blocks, empty to full."""

MARGIN = 7
"""Width of the axis labels, ``100 % ┤``."""

DEADLINE = "┊"
"""Drawn in the empty cells of a deadline's column."""

_MAX_STRETCH = 3
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Chart:
    """The chart as lines of text, with a legend of the numbered deadlines.

    Attributes:
        title: What the chart shows.
        plot: The rows of the plot, top first, then the time axis.
        months: Month names under the axis.
        markers: The deadlines' numbers under their columns.
        legend: One line per deadline: number, name, date and probability.
    """

    title: str
    plot: tuple[str, ...]
    months: str
    markers: str
    legend: tuple[str, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """The plot, months and markers, as plain lines."""
        return (*self.plot, self.months, self.markers)


def cumulative_chart(report: RunReport, width: int) -> Chart:
    """The chart of P(appointed by each round's date), fitted to ``width`` characters."""
    cumulative = report.summary.cumulative
    values = [e.p for _, e in cumulative]
    shown = _columns(len(values), max(8, width - MARGIN))
    marks = _deadline_columns(report, shown)
    first, last = cumulative[0][0], cumulative[-1][0]
    return Chart(
        f"Cumulative probability of appointment, {day(first)} to {day(last)}",
        (
            *(_plot_row(h, [values[r] for r in shown], marks) for h in reversed(range(HEIGHT))),
            "  0 % └" + "".join("┴" if j in marks else "─" for j in range(len(shown))),
        ),
        " " * MARGIN + _months([cumulative[r][0] for r in shown]),
        " " * MARGIN + _markers(marks, len(shown)),
        _legend(report),
    )


def _columns(rounds: int, room: int) -> list[int]:
    """The round each column shows: stretched up to 3 cells a round, or squeezed into bins."""
    if rounds <= room:
        stretch = max(1, min(_MAX_STRETCH, room // rounds))
        return [r for r in range(rounds) for _ in range(stretch)]
    return [((j + 1) * rounds) // room - 1 for j in range(room)]


def _deadline_columns(report: RunReport, shown: list[int]) -> dict[int, str]:
    """Column → deadline number, for the deadlines within the chart (the first column of each)."""
    marks: dict[int, str] = {}
    for number, deadline in enumerate(report.run.model.deadlines, start=1):
        column = next((j for j, r in enumerate(shown) if r >= deadline.round >= 0), None)
        if column is not None:
            marks[column] = str(number)
    return marks


def _plot_row(h: int, values: list[float], marks: dict[int, str]) -> str:
    low = h / HEIGHT
    label = f"{(h + 1) * 100 // HEIGHT:>3} % ┤"
    cells = []
    for j, p in enumerate(values):
        fill = min(1.0, max(0.0, (p - low) * HEIGHT))
        char = VERTICAL[round(fill * 8)]
        cells.append(DEADLINE if char == " " and j in marks else char)
    return label + "".join(cells)


def _months(dates: list[dt.date]) -> str:
    """Month names where a month begins (the year, at a January), when there is room."""
    text = [" "] * len(dates)
    free = 0
    for j in range(1, len(dates)):
        if dates[j].month == dates[j - 1].month or j < free:
            continue
        name = str(dates[j].year) if dates[j].month == 1 else _MONTHS[dates[j].month - 1]
        if j + len(name) <= len(dates):
            text[j : j + len(name)] = name
            free = j + len(name) + 1
    return "".join(text).rstrip()


def _markers(marks: dict[int, str], columns: int) -> str:
    return "".join(marks.get(j, " ") for j in range(columns)).rstrip()


def _legend(report: RunReport) -> tuple[str, ...]:
    return tuple(
        f"{number} {name} ({day(when)}): {percent(e)} appointed by then"
        for number, (name, when, e) in enumerate(report.summary.decided_by, start=1)
    )

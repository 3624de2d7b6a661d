"""The cumulative chart as a rich object that fits the width it is given."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from natosim.output.tables.chart import DEADLINE, VERTICAL, cumulative_chart
from natosim.results.report import RunReport


class CumulativeChart:
    """Drawn at render time, so that it uses the console's width (``--width`` or terminal)."""

    def __init__(self, report: RunReport) -> None:
        """Chart ``report``'s cumulative probability of appointment."""
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield the title, the plot and the legend."""
        chart = cumulative_chart(self.report, options.max_width)
        yield Text(chart.title, style="bold")
        for line in chart.plot:
            yield _plot_line(line)
        yield Text(chart.months, style="dim")
        yield Text(chart.markers, style="yellow")
        for entry in chart.legend:
            yield Text(entry, style="dim")


def _plot_line(line: str) -> Text:
    text = Text(line)
    for i, char in enumerate(line):
        if char in VERTICAL[1:]:
            text.stylize("cyan", i, i + 1)
        elif char == DEADLINE:
            text.stylize("yellow", i, i + 1)
    return text

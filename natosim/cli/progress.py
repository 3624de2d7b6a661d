"""The progress bar on stderr: shown only for runs longer than about a second, on a terminal."""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import Progress, TaskID

from natosim.output.terminal.progress import estimate_text, progress_bar, trials_text
from natosim.results.precision import Tick

DELAY = 1.0
"""Seconds a run must last before the bar appears."""


class ProgressDisplay:
    """A callback for :func:`natosim.report_run.run_reports` that draws the bar when useful.

    Why: a bar that flashes for a quarter of a second is noise; one in a pipe or a log file
    is garbage. It appears after :data:`DELAY` seconds, only when stderr is a terminal.
    """

    def __init__(self, console: Console, enabled: bool) -> None:
        """Draw on ``console`` (stderr) if ``enabled`` and it is a terminal."""
        self.enabled = enabled and console.is_terminal
        self.began = time.monotonic()
        self.bar: Progress = progress_bar(console)
        self.tasks: dict[int, TaskID] = {}
        self.started = False

    def __call__(self, tick: Tick) -> None:
        """Update the bar after a chunk."""
        if not self.enabled or time.monotonic() - self.began < DELAY:
            return
        if not self.started:
            self.bar.start()
            self.started = True
        trials, estimate = trials_text(tick), estimate_text(tick)
        if tick.scenario not in self.tasks:
            self.tasks[tick.scenario] = self.bar.add_task(
                _short(Path(tick.label).stem), total=tick.target, trials=trials, estimate=estimate
            )
        task = self.tasks[tick.scenario]
        self.bar.update(
            task, completed=tick.done, total=tick.target, trials=trials, estimate=estimate
        )
        self.bar.refresh()

    def __enter__(self) -> ProgressDisplay:
        """Start counting the delay."""
        self.began = time.monotonic()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Remove the bar (it is transient), whatever happened."""
        if self.started:
            self.bar.stop()


def _short(name: str, most: int = 16) -> str:
    return name if len(name) <= most else name[: most - 1] + "…"

"""The progress bar of a run and the estimate it shows, as rich objects (never started here)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from natosim.output.tables.cells import count, percent
from natosim.results.precision import Tick
from natosim.results.report import outcome_short_labels
from natosim.results.stats import Estimate, summarise


def progress_bar(console: Console) -> Progress:
    """A bar per scenario: trials done of the current target, and the current estimate."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=12),
        TextColumn("{task.fields[trials]}"),
        TextColumn("{task.fields[estimate]}"),
        console=console,
        transient=True,
        auto_refresh=False,
    )


def trials_text(tick: Tick) -> str:
    """``12,288 trials`` (the bar shows how far towards the target)."""
    return f"{count(tick.done)} trials"


def estimate_text(tick: Tick) -> str:
    """The likeliest outcome so far, and with a precision target the widest half-width."""
    counts = tick.tally.outcome_round.sum(axis=1)
    best = int(counts.argmax())
    e = Estimate(int(counts[best]), tick.tally.trials)
    text = f"{outcome_short_labels(tick.model)[best]} {percent(e)}"
    widest = summarise(tick.model, tick.tally).widest() if tick.precision else None
    if tick.precision is None or widest is None:
        return f"{text} ±{100 * e.half_width:.2f}"
    return f"{text} · widest ±{100 * widest[1].half_width:.2f} → {100 * tick.precision:.2f}"

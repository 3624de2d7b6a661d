"""Run scenarios for a report: a fixed number of trials or up to a precision, stoppable.

Why here and not in the CLI: the stopping rule of ``--precision`` and what a partial run
reports are decisions about results, which the command line only asks for.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from natosim import signals
from natosim.engine import EngineName
from natosim.engine.streams import CHUNK_SIZE
from natosim.model.arrays import Model
from natosim.model.prepared import Prepared
from natosim.results.report import RunReport, Stop, StopReason, report_of
from natosim.results.stats import summarise
from natosim.trials.chunks import Run, RunInterrupted, extend_run
from natosim.trials.pool import Workers, pool_for
from natosim.trials.settings import resolve_settings
from natosim.trials.tally import Tally

DEFAULT_MAX_TRIALS = 1_000_000
"""The cap on trials with ``--precision`` when ``--max-trials`` is not given."""

_OVERSHOOT = 1.1
"""Ask for 10 % more trials than the estimate, so that one step usually suffices."""


@dataclass(frozen=True)
class Settings:
    """How to run: None means the scenario file's own ``simulation`` value."""

    trials: int | None = None
    seed: int | None = None
    workers: Workers = None  # a count of local processes, or a pool (a cluster's)
    engine: EngineName = "fast"
    precision: float | None = None
    max_trials: int = DEFAULT_MAX_TRIALS


@dataclass(frozen=True)
class Tick:
    """Progress after a chunk: which scenario, how far, and the counts so far."""

    scenario: int
    label: str
    done: int
    target: int
    model: Model
    tally: Tally
    precision: float | None


OnTick = Callable[[Tick], None]


class ReportsInterrupted(KeyboardInterrupt):
    """Ctrl-C: ``reports`` are those finished, then the partial one (if a chunk finished)."""

    def __init__(self, reports: tuple[RunReport, ...]) -> None:
        """Keep what was done."""
        super().__init__()
        self.reports = reports


class _Partial(KeyboardInterrupt):
    def __init__(self, report: RunReport | None) -> None:
        super().__init__()
        self.report = report


def run_reports(
    prepared: Sequence[Prepared], settings: Settings, on_tick: OnTick | None = None
) -> tuple[RunReport, ...]:
    """Run each scenario in turn, with the same settings and one pool of workers.

    Raises:
        ReportsInterrupted: On Ctrl-C, with the reports done so far, the partial one last.
    """
    reports: list[RunReport] = []
    with pool_for(settings.workers) as pool:
        for index, one in enumerate(prepared):
            try:
                reports.append(run_report(one, replace(settings, workers=pool), index, on_tick))
            except _Partial as stopped:
                done = (*reports, stopped.report) if stopped.report else tuple(reports)
                raise ReportsInterrupted(done) from None
    return tuple(reports)


def run_report(
    prepared: Prepared, settings: Settings, index: int = 0, on_tick: OnTick | None = None
) -> RunReport:
    """Run one scenario: the trials asked for, or until every probability is precise enough."""
    model = prepared.model
    resolved = resolve_settings(prepared.loaded.scenario.simulation, settings.trials, settings.seed)
    seed, trials = resolved.seed, resolved.trials
    requested = trials if settings.precision is None else settings.max_trials
    stop = Stop("trials", requested, settings.precision)

    def tick(target: int) -> Callable[[int, Tally], None] | None:
        if on_tick is None:
            return None
        label = prepared.loaded.label
        return lambda done, tally: on_tick(
            Tick(index, label, done, target, model, tally, settings.precision)
        )

    try:
        if settings.precision is None:
            run = extend_run(model, seed, trials, settings.workers, settings.engine, tick(trials))
        else:
            run, reason = _to_precision(model, seed, settings, tick)
            stop = Stop(reason, requested, settings.precision)
    except RunInterrupted as stopped:
        cut = Stop("interrupted", requested, settings.precision, signals.name())
        raise _Partial(
            report_of(prepared.loaded, stopped.run, cut) if stopped.run else None
        ) from None
    return report_of(prepared.loaded, run, stop)


def _to_precision(
    model: Model,
    seed: int,
    settings: Settings,
    tick: Callable[[int], Callable[[int, Tally], None] | None],
) -> tuple[Run, StopReason]:
    """Add whole chunks until every half-width is at most the target, or the cap is reached."""
    precision = settings.precision or 0.0
    cap = settings.max_trials
    target = min(_whole_chunks(settings.trials or CHUNK_SIZE), cap)
    run: Run | None = None
    while True:
        run = extend_run(
            model, seed, target, settings.workers, settings.engine, tick(target), base=run
        )
        try:
            widest = summarise(model, run.tally).widest()
        except KeyboardInterrupt:
            raise RunInterrupted(run) from None
        half = widest[1].half_width if widest else 0.0
        if half <= precision:
            return run, "precision"
        if run.trials >= cap:
            return run, "max_trials"
        target = _next_target(run.trials, half, precision, cap)


def _next_target(done: int, half: float, precision: float, cap: int) -> int:
    """Half-widths shrink as 1/sqrt(n): aim at the n that brings the widest one to target.

    Why a product and the float comparison first: with a tiny ``precision`` (1e-300) the
    squared ratio overflows (``**`` would raise; ``*`` gives infinity), and the cap is the
    answer anyway.
    """
    ratio = half / precision
    estimate = done * _OVERSHOOT * ratio * ratio
    if not estimate < cap:
        return cap
    return min(cap, max(done + CHUNK_SIZE, _whole_chunks(math.ceil(estimate))))


def _whole_chunks(trials: int) -> int:
    return -(-trials // CHUNK_SIZE) * CHUNK_SIZE


def simulate(
    prepared: Prepared,
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> RunReport:
    """Run a prepared scenario; trials and seed default to the file's ``simulation`` block."""
    return run_report(prepared, Settings(trials, seed, workers, engine))

"""Sweeps: one scenario run over a grid of one or two parameters, on common random numbers.

``--vary PATH=V1,V2,...`` lists values (each read as YAML, as ``--set`` reads one);
``--vary PATH=START:STOP:COUNT`` spreads COUNT evenly spaced values from START to STOP, both
included (numbers or dates): ``0:0.2:11`` is 0, 0.02, …, 0.2. Every grid point runs the same
seed and trials, so neighbouring points differ by the parameter, not by luck.

The points run through :func:`natosim.trials.batch.run_models`: one pool over every
(grid point, chunk), so even a sweep of one-chunk runs keeps every core busy, and the result
is the same for any number of workers.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from natosim.engine import EngineName
from natosim.errors import Problem, ScenarioError, UserError
from natosim.model.compile import compile_model
from natosim.model.prepared import Prepared
from natosim.results.measures import Measure
from natosim.results.report import RunReport, report_of
from natosim.results.stats import Estimate
from natosim.scenario.bodies import scenario_roster
from natosim.scenario.edit import edit_scenario, parse_value
from natosim.scenario.loader import LoadedScenario
from natosim.trials.batch import run_models
from natosim.trials.pool import Workers
from natosim.trials.settings import resolve_settings

MAX_POINTS = 10_000
"""Most grid points a sweep accepts."""

_RANGE = re.compile(r"^\s*([^:,{}\[\]]+):([^:,{}\[\]]+):\s*(\d+)\s*$")


Vary = tuple[str, list[Any]]
"""A path and the values it takes."""


def parse_vary(text: str) -> Vary:
    """``PATH=V1,V2,...`` or ``PATH=START:STOP:COUNT`` as a path and its list of values.

    Raises:
        UserError: with what was expected, for text that is not of either form.
    """
    path, equals, raw = text.partition("=")
    path = path.strip()
    where = f"--vary {path}"
    if not equals or not path or not raw.strip():
        raise UserError(f"--vary {text!r}: expected PATH=V1,V2,... or PATH=START:STOP:COUNT")
    found = _RANGE.match(raw)
    if found:
        start, stop = parse_value(found[1], where), parse_value(found[2], where)
        return path, spread(start, stop, int(found[3]), where)
    return path, [parse_value(item, where) for item in split_values(raw)]


def split_values(raw: str) -> list[str]:
    """Split at commas outside brackets, braces and quotes: ``a,{x: 1, y: 2}`` is two items."""
    items, depth, quote, current = [], 0, "", ""
    for char in raw:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(current)
            current = ""
            continue
        current += char
    return [*items, current]


def spread(start: Any, stop: Any, count: int, where: str = "--vary") -> list[Any]:
    """COUNT evenly spaced values from ``start`` to ``stop`` inclusive (numbers or dates).

    Whole numbers stay whole when every value is whole; others are rounded to 12 significant
    digits, so ``0:0.3:4`` gives 0.1, not 0.10000000000000001.
    """
    if not 2 <= count <= MAX_POINTS:
        raise UserError(f"{where}: the COUNT of START:STOP:COUNT must be from 2 to {MAX_POINTS:,}")
    if isinstance(start, dt.date) and isinstance(stop, dt.date):
        days = np.linspace(0, (stop - start).days, count)
        return [start + dt.timedelta(days=round(float(d))) for d in days]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop)):
        raise UserError(f"{where}: START and STOP of a range must both be numbers or both dates")
    values = [float(f"{v:.12g}") for v in np.linspace(start, stop, count)]
    whole = all(isinstance(v, int) for v in (start, stop)) and all(v.is_integer() for v in values)
    return [int(v) for v in values] if whole else values


def grid(varies: Sequence[Vary]) -> list[tuple[Any, ...]]:
    """Every combination of the values, the last path varying fastest."""
    return list(itertools.product(*(values for _, values in varies)))


@dataclass(frozen=True)
class Sweep:
    """A grid of variants of one scenario and the run of each.

    Attributes:
        loaded: The scenario as read from its file (every point is an edit of it).
        varies: The varied paths and their values, in ``--vary`` order (one or two).
        points: Every grid point as one value per path; the last path varies fastest, so
            with two paths point ``i * len(values2) + j`` holds ``(values1[i], values2[j])``.
        reports: The run of each point, in ``points`` order; every one used the same seed
            and trials (common random numbers).
        seed: The root seed of every run.
        trials: Trials per point.
        engine: The engine that ran them.
        workers: Worker processes used.
        seconds: Wall-clock time of the whole sweep.
    """

    loaded: LoadedScenario
    varies: tuple[Vary, ...]
    points: tuple[tuple[Any, ...], ...]
    reports: tuple[RunReport, ...]
    seed: int
    trials: int
    engine: EngineName
    workers: int
    seconds: float

    def shape(self) -> tuple[int, ...]:
        """Number of values of each varied path."""
        return tuple(len(values) for _, values in self.varies)

    def values(self, measure: Measure) -> list[Estimate | dt.date | None]:
        """The measure at every point, in ``points`` order."""
        return [measure.read(report.summary) for report in self.reports]


def run_sweep(
    prepared_or_loaded: Prepared | LoadedScenario,
    varies: Sequence[Vary],
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> Sweep:
    """Run the scenario at every point of the grid of ``varies``.

    Args:
        prepared_or_loaded: The scenario to vary.
        varies: One or two (path, values) pairs, as :func:`parse_vary` gives.
        trials: Trials per point (default: the file's).
        seed: Root seed of every point (default: the file's).
        workers: Worker processes (default: all cores) or a pool, such as a cluster's; the
            result does not depend on it.
        engine: ``fast`` or ``reference``.

    Raises:
        UserError: for more than two paths, an empty grid or one over :data:`MAX_POINTS`.
        ScenarioError: every problem of every point at once, each naming its ``--vary`` path.
    """
    loaded = prepared_or_loaded
    if isinstance(loaded, Prepared):
        loaded = loaded.loaded
    points = _checked_grid(varies)
    variants = _variants(loaded, varies, points)
    roster = scenario_roster(loaded.scenario)
    models = [compile_model(v.scenario, roster) for v in variants]
    settings = resolve_settings(loaded.scenario.simulation, trials, seed, workers, engine)
    seed, trials = settings.seed, settings.trials
    began = time.perf_counter()
    runs = run_models(models, seed, trials, workers, engine)
    return Sweep(
        loaded=loaded,
        varies=tuple((p, list(values)) for p, values in varies),
        points=tuple(points),
        reports=tuple(report_of(v, r.run) for r, v in zip(runs, variants, strict=True)),
        seed=seed,
        trials=trials,
        engine=engine,
        workers=runs[0].run.workers,
        seconds=time.perf_counter() - began,
    )


def _checked_grid(varies: Sequence[Vary]) -> list[tuple[Any, ...]]:
    if not 1 <= len(varies) <= 2:
        raise UserError("a sweep varies one or two paths: give --vary once or twice")
    if math.prod(len(values) for _, values in varies) > MAX_POINTS:  # before making them
        raise UserError(f"a sweep needs between 1 and {MAX_POINTS:,} grid points")
    points = grid(varies)
    if not points or len(points) > MAX_POINTS:
        raise UserError(f"a sweep needs between 1 and {MAX_POINTS:,} grid points")
    return points


def _variants(
    loaded: LoadedScenario, varies: Sequence[Vary], points: Iterable[tuple[Any, ...]]
) -> list[LoadedScenario]:
    """The edited scenario of every point; the problems of all points raised at once."""
    variants: list[LoadedScenario] = []
    problems: list[Problem] = []
    for point in points:
        edits = [(path, value) for (path, _), value in zip(varies, point, strict=True)]
        try:
            variants.append(edit_scenario(loaded, edits, option="--vary"))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(list(dict.fromkeys(problems)))
    return variants

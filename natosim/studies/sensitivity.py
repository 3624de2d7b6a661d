"""Global sensitivity analysis over a scenario's ranges: which assumptions move a measure most.

Each range ``{low, high}`` of the scenario is one parameter. SALib lays out the parameter
samples (Morris trajectories by default; Saltelli's design for Sobol indices), every sample
is run as a plain scenario (:func:`natosim.scenario.ranges.substitute`), and SALib turns the
measure's values into indices. Every evaluation runs the same seed and trials: common random
numbers, so two samples differ by their parameters, not by luck, and a range that cannot
move the measure gets an index of exactly 0.

Two kinds of uncertainty are kept apart. The *parameter* spread is how much the measure
varies over the samples; the *Monte Carlo* error is the standard error of one evaluation.
The tornado adds one-at-a-time runs: each range at its low and at its high end, the others
at their midpoints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from natosim.engine import EngineName
from natosim.engine.streams import CHUNK_SIZE
from natosim.errors import UserError
from natosim.model.arrays import Model
from natosim.model.compile import compile_model
from natosim.results.measure_values import measure_value
from natosim.results.measures import Measure, choose_measures, slug
from natosim.results.stats import summarise
from natosim.scenario.bodies import scenario_roster
from natosim.scenario.loader import LoadedScenario
from natosim.scenario.ranges import RangeAt, list_ranges, substitute
from natosim.scenario.schema import Scenario
from natosim.studies import designs
from natosim.studies.designs import STATISTICS, Method
from natosim.trials.chunks import run_model
from natosim.trials.pool import Workers, pool_for
from natosim.trials.settings import resolve_settings

BATCH = 32
"""Evaluations between two progress reports."""
DEFAULT_SAMPLES: dict[Method, int] = {"morris": 10, "sobol": 64}
DEFAULT_TRIALS = CHUNK_SIZE
"""Trials per evaluation: one chunk, the least the fast engine simulates."""

Progress = Callable[[int, int], None]
"""Called with (evaluations done, evaluations in all)."""


@dataclass(frozen=True)
class Effect:
    """How much one range moves the measure.

    Attributes:
        parameter: The range.
        index: The ranking index: Morris μ* (mean absolute change of the measure over the
            whole range, in the measure's units) or Sobol's total index ST (share of the
            measure's variance).
        conf: Half-width of the index's 95 % bootstrap interval.
        stats: Every statistic SALib gives: ``mu_star``, ``mu_star_conf``, ``mu``, ``sigma``
            (Morris) or ``ST``, ``ST_conf``, ``S1``, ``S1_conf`` (Sobol).
        at_low: The measure with this range at its low end and the others at midpoints.
        at_high: The same at its high end.
    """

    parameter: RangeAt
    index: float
    conf: float
    stats: dict[str, float]
    at_low: float
    at_high: float


@dataclass(frozen=True)
class Spread:
    """The measure over the parameter samples, against the Monte Carlo error of one run."""

    n: int  # parameter samples
    p5: float
    median: float
    p95: float
    sd: float
    mc_se: float  # mean standard error of one evaluation


@dataclass(frozen=True)
class Sensitivity:
    """The result of a sensitivity analysis, with what makes it reproducible."""

    loaded: LoadedScenario
    measure: Measure
    method: Method
    samples: int
    seed: int
    trials: int
    evaluations: int
    seconds: float
    base: float  # the measure with every range at its midpoint
    base_se: float
    effects: tuple[Effect, ...]  # most influential first
    spread: Spread
    fixed: tuple[RangeAt, ...]  # ranges with low == high: not varied


def pick_measure(model: Model, measure_id: str | None) -> Measure:
    """The measure named ``measure_id``; by default P(decided by the first soft deadline).

    Without a soft deadline the default is the first deadline, and without any deadline the
    median date of appointment.

    Raises:
        UserError: for an id that is not a measure of this scenario.
    """
    if measure_id is None:
        soft = [d for d in model.deadlines if not d.hard] or list(model.deadlines)
        measure_id = f"by-{slug(soft[0].name)}" if soft else "median"
    return choose_measures(model, [measure_id])[0]


def plan(loaded: LoadedScenario, method: Method, samples: int) -> tuple[int, int]:
    """``(samples, evaluations)`` an analysis will run; Sobol samples round up to a power of 2.

    Raises:
        UserError: when the scenario has no range of positive width.
    """
    varied, _ = _split(loaded)
    n = samples if method == "morris" else 1 << max(samples - 1, 1).bit_length()
    per = len(varied) + (1 if method == "morris" else 2)
    return n, n * per + 2 * len(varied) + 1


def analyse(
    loaded: LoadedScenario,
    measure: Measure,
    method: Method = "morris",
    samples: int | None = None,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
    progress: Progress | None = None,
) -> Sensitivity:
    """Rank the scenario's ranges by how much they move ``measure``.

    Args:
        loaded: The scenario, with at least one range.
        measure: What to explain (see :mod:`natosim.results.measures`).
        method: ``morris`` (screening, r·(D+1) evaluations) or ``sobol`` (N·(D+2)).
        samples: Morris trajectories r or Sobol base samples N (default 10 or 64).
        trials: Trials per evaluation.
        seed: The seed of every evaluation and of the designs (default: the file's).
        workers: Worker processes (default: all cores) or a pool, such as a cluster's; the
            result does not depend on it.
        engine: ``fast`` or ``reference``.
        progress: Called after each batch of evaluations.

    Raises:
        UserError: no range to vary, or a date measure with no appointment in some sample.
    """
    began = time.perf_counter()
    varied, fixed = _split(loaded)
    n, total = plan(loaded, method, samples or DEFAULT_SAMPLES[method])
    seed = resolve_settings(loaded.scenario.simulation, seed=seed).seed
    problem = designs.describe(varied)
    design = designs.sample(method, problem, n, seed)
    rows = np.vstack([design, designs.one_at_a_time(varied)])
    runner = _Runner(loaded, varied, measure, seed, trials, workers, engine, progress, total)
    values, errors = runner.evaluate(rows)
    y, oat = values[: len(design)], values[len(design) :]
    indices = designs.indices(method, problem, design, y, seed)
    return Sensitivity(
        loaded=loaded,
        measure=measure,
        method=method,
        samples=n,
        seed=seed,
        trials=trials,
        evaluations=len(rows),
        seconds=time.perf_counter() - began,
        base=float(oat[0]),
        base_se=float(errors[len(design)]),
        effects=_ranked(method, varied, indices, oat),
        spread=_spread(y, errors[: len(design)]),
        fixed=fixed,
    )


def _split(loaded: LoadedScenario) -> tuple[tuple[RangeAt, ...], tuple[RangeAt, ...]]:
    """The ranges to vary and those of zero width."""
    found = list_ranges(loaded.scenario)
    varied = tuple(r for r in found if r.high > r.low)
    if not varied:
        raise UserError(
            f"{loaded.path}: the scenario has no ranges to vary; write an uncertain number as "
            "a range, e.g. lift_rate: {low: 0.02, high: 0.08} (see docs/scenario-format.md)"
        )
    return varied, tuple(r for r in found if r.high <= r.low)


@dataclass(frozen=True)
class _Runner:
    """Runs rows of parameter values as plain scenarios, all through one pool."""

    loaded: LoadedScenario
    varied: tuple[RangeAt, ...]
    measure: Measure
    seed: int
    trials: int
    workers: Workers
    engine: EngineName
    progress: Progress | None
    total: int

    def evaluate(
        self, rows: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The measure and its Monte Carlo standard error for every row."""
        evaluation = Evaluation(
            self.loaded.scenario,
            tuple(r.name for r in self.varied),
            self.measure.id,
            self.seed,
            self.trials,
            self.engine,
        )
        found: list[tuple[float, float]] = []
        with pool_for(self.workers) as pool:
            for value in pool.imap(evaluation, [tuple(map(float, row)) for row in rows]):
                found.append(value)
                if self.progress and (len(found) % BATCH == 0 or len(found) == len(rows)):
                    self.progress(len(found), self.total)
        values = np.array([v for v, _ in found])
        if np.isnan(values).any():
            raise UserError(
                f"--measure {self.measure.id}: undefined in {int(np.isnan(values).sum())} of "
                f"{len(values)} evaluations (no trial ended in an appointment); choose a "
                "probability, such as a deadline's by-… measure"
            )
        return values, np.array([e for _, e in found])


@dataclass(frozen=True)
class Evaluation:
    """One run of the design: a row of range values in, the measure and its error out.

    Why the worker compiles: a study of thousands of rows on a cluster would otherwise wait
    on the one process that compiles them; sent as a scenario and a row, each worker does
    its share, and the numbers are those of compiling anywhere.
    """

    scenario: Scenario
    names: tuple[str, ...]
    measure: str
    seed: int
    trials: int
    engine: EngineName

    def __call__(self, row: tuple[float, ...]) -> tuple[float, float]:
        """``(value, standard error)`` of the measure with the ranges at ``row``."""
        scenario = substitute(self.scenario, dict(zip(self.names, row, strict=True)))
        model = compile_model(scenario, scenario_roster(scenario))
        run = run_model(model, self.seed, self.trials, workers=1, engine=self.engine)
        measure = choose_measures(model, [self.measure])[0]
        return measure_value(measure, summarise(model, run.tally), model.dates[0])


def _ranked(
    method: Method,
    varied: Sequence[RangeAt],
    indices: Sequence[dict[str, float]],
    oat: NDArray[np.float64],
) -> tuple[Effect, ...]:
    key = STATISTICS[method][0]
    effects = [
        Effect(
            r, stats[key], stats[f"{key}_conf"], stats, float(oat[1 + 2 * j]), float(oat[2 + 2 * j])
        )
        for j, (r, stats) in enumerate(zip(varied, indices, strict=True))
    ]
    return tuple(
        sorted(effects, key=lambda e: (-e.index, -abs(e.at_high - e.at_low), e.parameter.name))
    )


def _spread(y: NDArray[np.float64], errors: NDArray[np.float64]) -> Spread:
    p5, median, p95 = (float(v) for v in np.percentile(y, [5, 50, 95]))
    return Spread(len(y), p5, median, p95, float(np.std(y)), float(np.mean(errors)))

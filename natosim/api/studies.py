"""Studies of a scenario: :func:`whatif`, :func:`sweep`, :func:`sensitivity`, :func:`explain`.

Each checks its size before it starts (docs/limits.md): past the confirmation limits it needs
``confirm=True``, as the command line needs ``--yes``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import RenderableType

from natosim.api.result import WIDTH, Result
from natosim.api.scenario import Changes, Scenario, Source, assignments_of, load
from natosim.engine import EngineName
from natosim.errors import UserError
from natosim.output.frames import Row
from natosim.output.json.studies import (
    explanation_json,
    sensitivity_json,
    sweep_json,
    whatif_json,
)
from natosim.output.plot.common import Chart
from natosim.output.terminal.explain import render_explanation
from natosim.output.terminal.sensitivity import render_sensitivity
from natosim.output.terminal.sweep import render_sweep
from natosim.output.terminal.whatif import render_whatif
from natosim.output.text.csv_text import whatif_csv
from natosim.output.text.markdown import whatif_markdown
from natosim.results.measures import Measure, choose_measures
from natosim.scenario.ranges import list_ranges
from natosim.studies.designs import Method
from natosim.studies.explain import Explanation, Pick, explain_outcome, explain_trial
from natosim.studies.limits import check_study
from natosim.studies.sensitivity import (
    DEFAULT_SAMPLES,
    DEFAULT_TRIALS,
    Sensitivity,
    analyse,
    pick_measure,
    plan,
)
from natosim.studies.sweep import Sweep, Vary, parse_vary, run_sweep
from natosim.studies.whatif import WhatIf, run_whatif
from natosim.trials.pool import Workers
from natosim.trials.settings import resolve_settings

Progress = Callable[[int, int], None]
"""Called with (runs done, runs in all) as a study goes."""


@dataclass(frozen=True)
class WhatIfResult(Result):
    """A scenario and an edited variant on common random numbers: every probability's and
    the median date's paired difference. Table: ``differences``."""

    scenario: Scenario
    whatif: WhatIf
    TABLES = ("differences",)

    def to_dict(self) -> dict[str, Any]:
        """The document of ``natosim whatif --format json``."""
        return whatif_json(self.whatif)

    def renderable(self, width: int = WIDTH, detail: bool = False) -> RenderableType:
        """The table of ``natosim whatif``."""
        return render_whatif(self.whatif)

    def to_markdown(self) -> str:
        """The text of ``natosim whatif --format markdown``."""
        return whatif_markdown(self.whatif)

    def to_csv(self) -> str:
        """The text of ``natosim whatif --format csv``: every difference, full precision."""
        return whatif_csv(self.to_dict())

    def to_html(self, page: Path | None = None, sets: Sequence[str] | None = None) -> str:
        """The self-contained HTML page of ``natosim whatif --format html``.

        ``sets``: the edits as typed on the command line, for the page's repeat command.
        """
        from natosim.output.html.about import about
        from natosim.output.html.whatif_page import whatif_page

        typed = sets or [f"{path}={value}" for path, value in self.whatif.assignments]
        return whatif_page(self.whatif, about(self.scenario.prepared), typed, page)


@dataclass(frozen=True)
class SweepResult(Result):
    """A grid of variants on common random numbers. Table: ``points`` (the varied values,
    then each measure: a probability with its interval, or a date)."""

    scenario: Scenario
    sweep: Sweep
    measures: tuple[Measure, ...]

    def to_dict(self) -> dict[str, Any]:
        """The grid and every measure at every point."""
        return sweep_json(self.sweep, self.measures)

    def tables(self) -> dict[str, list[Row]]:
        """One row per grid point."""
        rows: list[Row] = []
        for point in self.to_dict()["points"]:
            row: Row = dict(zip((p for p, _ in self.sweep.varies), point["values"], strict=True))
            for key, value in point["measures"].items():
                if isinstance(value, dict):
                    row.update({f"{key}{suffix}": value[part] for part, suffix in _PARTS})
                else:
                    row[key] = value
            rows.append(row)
        return {"points": rows}

    def renderable(self, width: int = WIDTH, detail: bool = False) -> RenderableType:
        """The table and text chart of ``natosim sweep``."""
        return render_sweep(self.sweep, self.measures)

    def chart(self) -> Chart:
        """The sweep chart of ``natosim plot --kind sweep``."""
        from natosim.output.plot.sweep import sweep_chart

        return sweep_chart(self.sweep, self.measures)


_PARTS = (("probability", ""), ("ci_low", "_ci_low"), ("ci_high", "_ci_high"))


@dataclass(frozen=True)
class SensitivityResult(Result):
    """The scenario's ranges ranked by how much they move a measure. Table: ``effects``."""

    TABLES = ("effects",)

    scenario: Scenario
    analysis: Sensitivity

    def to_dict(self) -> dict[str, Any]:
        """The document of ``natosim sensitivity --format json``."""
        return sensitivity_json(self.analysis)

    def renderable(self, width: int = WIDTH, detail: bool = False) -> RenderableType:
        """The ranking of ``natosim sensitivity``."""
        return render_sensitivity(self.analysis)

    def chart(self) -> Chart:
        """The tornado chart of ``natosim plot --kind tornado``."""
        from natosim.output.plot.tornado import tornado_chart

        return tornado_chart(self.analysis)


@dataclass(frozen=True)
class ExplainResult(Result):
    """One simulated future, change by change, with why. Table: ``events``."""

    scenario: Scenario
    explanation: Explanation
    TABLES = ("events",)

    def renderable(self, width: int = WIDTH, detail: bool = False) -> RenderableType:
        """The timeline of ``natosim explain``."""
        return render_explanation(self.explanation)

    def to_dict(self) -> dict[str, Any]:
        """The trial, how it ended, how it was picked, and every logged change."""
        return explanation_json(self.explanation)


def whatif(
    scenario: Source,
    changes: Changes,
    *,
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
    confirm: bool = False,
) -> WhatIfResult:
    """Run a scenario and a variant with ``changes``, on the same seed and trials.

    ``changes`` as for :meth:`Scenario.with_values`; other arguments as for
    :func:`natosim.run`.

    Raises:
        ScenarioError: For a change the scenario language does not accept.
    """
    edits = assignments_of(changes)
    base = load(scenario)
    each = resolve_settings(base.spec.simulation, trials).trials
    check_study("whatif", 2, each, confirm)
    found = run_whatif(base.prepared, edits, trials, seed, workers, engine)
    return WhatIfResult(base, found)


def sweep(
    scenario: Source,
    vary: Mapping[str, Sequence[Any] | str] | Sequence[str],
    *,
    measures: Sequence[str] = (),
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
    confirm: bool = False,
) -> SweepResult:
    """Run the scenario at every point of a grid of one or two paths.

    Args:
        scenario: What to vary.
        vary: Each path's values: ``{"dynamics.deadline_pressure": [0, 2, 3.5]}``, a
            ``START:STOP:COUNT`` text, or ``PATH=…`` texts as ``--vary`` takes them.
        measures: What to report (``--measure`` ids); default: every outcome, by each
            deadline, and the median date.
        trials, seed, workers, engine: As for :func:`natosim.run`; every point uses the
            same seed and trials (common random numbers).
        confirm: Allow a study past the confirmation limits (docs/limits.md).
    """
    base = load(scenario)
    chosen = tuple(choose_measures(base.prepared.model, list(measures)))
    planned = plan_sweep(base, vary, trials, confirm)
    found = run_sweep(base.prepared, list(planned.grid), trials, seed, workers, engine)
    return SweepResult(base, found, chosen)


@dataclass(frozen=True)
class StudyPlan:
    """The size of a study, checked against the limits before it starts.

    Attributes:
        runs: Runs of the scenario in all.
        trials: Trials per run.
        grid: A sweep's paths and values.
        samples: A sensitivity analysis's Morris trajectories or Sobol base samples.
        ranges: A sensitivity analysis's ranges.
    """

    runs: int
    trials: int
    grid: tuple[Vary, ...] = ()
    samples: int = 0
    ranges: int = 0


def plan_sweep(
    scenario: Scenario,
    vary: Mapping[str, Sequence[Any] | str] | Sequence[str],
    trials: int | None = None,
    confirm: bool = False,
) -> StudyPlan:
    """The grid of a sweep and its size (see :func:`sweep`).

    Raises:
        UserError: For a study past the limits (docs/limits.md).
    """
    grid = varies_of(vary)
    points = math.prod(len(values) for _, values in grid)
    each = resolve_settings(scenario.spec.simulation, trials).trials
    check_study("sweep", points, each, confirm)
    return StudyPlan(points, each, grid=tuple(grid))


def varies_of(vary: Mapping[str, Sequence[Any] | str] | Sequence[str]) -> list[Vary]:
    """The paths to vary and their values, read as ``--vary`` reads them."""
    if isinstance(vary, str):
        return [parse_vary(vary)]
    if not isinstance(vary, Mapping):
        return [parse_vary(text) for text in vary]
    return [
        parse_vary(f"{path}={values}") if isinstance(values, str) else (path, list(values))
        for path, values in vary.items()
    ]


def sensitivity(
    scenario: Source,
    *,
    measure: str | None = None,
    method: Method = "morris",
    samples: int | None = None,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
    confirm: bool = False,
    on_progress: Progress | None = None,
) -> SensitivityResult:
    """Rank the scenario's ranges by how much they move ``measure`` (default: the
    front-runner's probability): Morris screening or Sobol indices.

    Raises:
        UserError: When the scenario has no range, or for an unknown measure.
    """
    base = load(scenario)
    chosen = pick_measure(base.prepared.model, measure)
    n = plan_sensitivity(base, method, samples, trials, confirm).samples
    found = analyse(
        base.prepared.loaded, chosen, method, n, trials, seed, workers, engine, on_progress
    )
    return SensitivityResult(base, found)


def plan_sensitivity(
    scenario: Scenario,
    method: Method = "morris",
    samples: int | None = None,
    trials: int = DEFAULT_TRIALS,
    confirm: bool = False,
) -> StudyPlan:
    """The size of a sensitivity analysis (see :func:`sensitivity`).

    Raises:
        UserError: For a study past the limits (docs/limits.md), or no range to vary.
    """
    loaded = scenario.prepared.loaded
    n, total = plan(loaded, method, samples or DEFAULT_SAMPLES[method])
    check_study(f"sensitivity ({method})", total, trials, confirm)
    ranges = len(list_ranges(loaded.scenario))
    return StudyPlan(total, trials, samples=n, ranges=ranges)


def explain(
    scenario: Source,
    *,
    trial: int | None = None,
    outcome: str | None = None,
    pick: Pick = "median",
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> ExplainResult:
    """Tell one simulated future: trial ``trial`` as :func:`natosim.run` ran it, or a trial
    that ends in ``outcome`` (default: the most likely), picked by its decision date.

    Raises:
        UserError: For both ``trial`` and ``outcome``, or an outcome no trial ends in.
    """
    if trial is not None and (outcome is not None or trials is not None):
        raise UserError("give either --trial, or --outcome (with --pick and --trials), not both")
    base = load(scenario)
    if trial is not None:
        return ExplainResult(base, explain_trial(base.prepared, trial, seed, engine))
    found = explain_outcome(base.prepared, outcome, pick, trials, seed, workers, engine)
    return ExplainResult(base, found)

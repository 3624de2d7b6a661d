"""Run one scenario, or several side by side: :func:`run` and :func:`compare`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import RenderableType

from natosim.api.result import WIDTH, Result
from natosim.api.scenario import Scenario, Source, load
from natosim.engine import EngineName
from natosim.errors import Problem, ScenarioError, UserError
from natosim.output.frames import Row
from natosim.output.json.run import comparison_json, report_json
from natosim.output.plot.common import Chart
from natosim.output.terminal.compare import render_comparison
from natosim.output.terminal.run import render_run
from natosim.output.text.csv_text import comparison_rows, report_rows
from natosim.output.text.documents import document
from natosim.results.compare import Comparison
from natosim.results.compare import compare as compare_reports
from natosim.results.precision import DEFAULT_MAX_TRIALS, OnTick, Settings, run_reports
from natosim.results.report import RunReport
from natosim.scenario.schema import NON_APPOINTMENTS
from natosim.trials.pool import Workers


@dataclass(frozen=True)
class RunResult(Result):
    """One run: who is appointed, when, who holds out, what it cost; and how to repeat it.

    Tables: ``outcomes``, ``deadlines``, ``timing``, ``cumulative``, ``holdouts``,
    ``demands``, ``candidates``, ``needed_demand`` (the columns of ``--format csv``).
    """

    scenario: Scenario
    report: RunReport

    @property
    def reports(self) -> tuple[RunReport, ...]:
        """The run's report, as a one-element tuple like a comparison's."""
        return (self.report,)

    def to_dict(self) -> dict[str, Any]:
        """The document of ``natosim run --format json``."""
        return report_json(self.report)

    def tables(self) -> dict[str, list[Row]]:
        """The rows of ``--format csv``, by table, without the provenance columns."""
        return grouped(report_rows(self.report))

    def renderable(self, width: int = WIDTH, detail: bool = False) -> RenderableType:
        """The report as ``natosim run`` prints it."""
        return render_run(self.report, width)

    def to_csv(self) -> str:
        """The text of ``natosim run --format csv``: tidy rows, full precision."""
        return document(self.reports, "csv")

    def to_markdown(self) -> str:
        """The text of ``natosim run --format markdown``."""
        return document(self.reports, "markdown")

    def probability(self, outcome: str) -> float:
        """The probability of an outcome: a candidate's id, ``extension``, ``vacancy`` or
        ``no_decision``.

        Raises:
            KeyError: For an outcome the scenario does not have (the message lists them).
        """
        found = dict(self.report.summary.outcomes)
        if outcome not in found:
            raise KeyError(f"no outcome {outcome!r}; outcomes: {', '.join(found)}")
        return found[outcome].p

    def chart(self, kind: str = "cdf") -> Chart:
        """A chart of the run: ``cdf`` (appointment over time) or ``holdouts``."""
        from natosim.output.plot.cdf import cdf_chart
        from natosim.output.plot.holdouts import holdouts_chart

        if kind == "holdouts":
            return holdouts_chart(self.report)
        if kind != "cdf":
            raise ValueError(f"no chart {kind!r}; kinds: cdf, holdouts")
        outcome = self.scenario.spec.outcome
        appointed = outcome is not None and outcome.appointed not in NON_APPOINTMENTS
        return cdf_chart(self.report, outcome.date if outcome and appointed else None)

    def to_html(self, page: Path | None = None) -> str:
        """The self-contained HTML page of ``natosim run --format html`` (links relative to
        ``page``, the file it will be written to)."""
        from natosim.output.html.about import about
        from natosim.output.html.reports import run_page

        return run_page((self.report,), (about(self.scenario.prepared),), page)

    def __repr__(self) -> str:
        """The scenario, the most likely outcome and the run's size."""
        name, top = max(self.report.summary.outcomes, key=lambda item: item[1].p)
        run = self.report.run
        return (
            f"<RunResult {self.scenario.label}: {name} {100 * top.p:.1f} % · "
            f"seed {run.seed} · {run.trials:,} trials>"
        )


@dataclass(frozen=True)
class ComparisonResult(Result):
    """Several runs side by side, with paired differences where their seeds match.

    Tables: ``comparison`` (one row per outcome and deadline per scenario) and each run's
    tables, whose rows carry the scenario's letter in the column ``scenario``.
    """

    runs: tuple[RunResult, ...]
    comparison: Comparison

    @property
    def reports(self) -> tuple[RunReport, ...]:
        """Every run's report, in the order given."""
        return self.comparison.reports

    def to_dict(self) -> dict[str, Any]:
        """The document of ``natosim run A B --format json``."""
        return comparison_json(self.comparison)

    def tables(self) -> dict[str, list[Row]]:
        """The comparison's rows, then every run's rows tagged with its scenario file."""
        tables: dict[str, list[Row]] = {"comparison": list(comparison_rows(self.comparison))}
        for result in self.runs:
            for name, rows in result.tables().items():
                tag = {"scenario_file": result.report.scenario_file}
                tables.setdefault(name, []).extend({**tag, **row} for row in rows)
        return tables

    def renderable(self, width: int = WIDTH, detail: bool = False) -> RenderableType:
        """The comparison as ``natosim run A B`` prints it."""
        return render_comparison(self.comparison, width, detail)

    def to_csv(self) -> str:
        """The text of ``natosim run A B --format csv``."""
        return document(self.reports, "csv")

    def to_markdown(self, detail: bool = False) -> str:
        """The text of ``natosim run A B --format markdown`` (``detail``: every report)."""
        return document(self.reports, "markdown", detail)

    def to_html(self, page: Path | None = None) -> str:
        """The HTML page of ``natosim run A B --format html``."""
        from natosim.output.html.about import about
        from natosim.output.html.reports import run_page

        abouts = tuple(about(result.scenario.prepared) for result in self.runs)
        return run_page(self.comparison.reports, abouts, page)


def grouped(rows: Any) -> dict[str, list[Row]]:
    """Rows with a ``table`` column, split into one list per table."""
    tables: dict[str, list[Row]] = {}
    for row in rows:
        rest = {key: value for key, value in row.items() if key != "table"}
        tables.setdefault(row["table"], []).append(rest)
    return tables


def settings(
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
    precision: float | None = None,
    max_trials: int | None = None,
) -> Settings:
    """How to run, checked: ``precision`` in (0, 0.5], ``max_trials`` only with it.

    Raises:
        UserError: For a precision out of range, or a cap without a precision.
    """
    if precision is not None and not 0 < precision <= 0.5:
        raise UserError(f"precision must be above 0 and at most 0.5 (got {precision})")
    if max_trials is not None and precision is None:
        raise UserError("max_trials needs a precision")
    return Settings(trials, seed, workers, engine, precision, max_trials or DEFAULT_MAX_TRIALS)


def run(
    scenario: Source,
    *,
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
    precision: float | None = None,
    max_trials: int | None = None,
    on_progress: OnTick | None = None,
) -> RunResult:
    """Simulate a scenario (a :class:`Scenario`, a file, or a bundled scenario's name).

    Args:
        scenario: What to run.
        trials: Trials (default: the file's ``simulation.trials``); with ``precision``, the
            first step.
        seed: Root seed (default: the file's); the same seed gives the same numbers with any
            number of workers.
        workers: Worker processes (default: every core).
        engine: ``fast`` or ``reference`` (the same rules, one trial at a time).
        precision: Add trials until every probability's 95 % half-width is at most this.
        max_trials: The cap on trials with ``precision`` (default 1,000,000).
        on_progress: Called after every chunk of trials.

    Raises:
        ScenarioError: For a file with problems.
        ReportsInterrupted: On Ctrl-C, with the trials finished so far.
    """
    chosen = settings(trials, seed, workers, engine, precision, max_trials)
    return run_all([scenario], chosen, on_progress)[0]


def compare(
    scenarios: Sequence[Source],
    *,
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
    precision: float | None = None,
    max_trials: int | None = None,
    on_progress: OnTick | None = None,
) -> ComparisonResult:
    """Run several scenarios with the same settings and put them side by side.

    Runs that share a seed and trials are paired: their differences use common random
    numbers. Arguments as for :func:`run`.
    """
    chosen = settings(trials, seed, workers, engine, precision, max_trials)
    return combine(run_all(scenarios, chosen, on_progress))


def combine(runs: Sequence[RunResult]) -> ComparisonResult:
    """Runs side by side, paired where their seeds and trials match."""
    return ComparisonResult(tuple(runs), compare_reports(tuple(r.report for r in runs)))


def run_all(
    scenarios: Sequence[Source], chosen: Settings, on_progress: OnTick | None = None
) -> tuple[RunResult, ...]:
    """Load every scenario first (a bad file stops it before anything runs), then run each.

    Raises:
        ReportsInterrupted: On Ctrl-C, with the reports finished and the partial one.
    """
    loaded = load_all(scenarios)
    reports = run_reports([s.prepared for s in loaded], chosen, on_progress)
    return tuple(RunResult(s, r) for s, r in zip(loaded, reports, strict=True))


def load_all(sources: Sequence[Source]) -> list[Scenario]:
    """Load every scenario, and report the problems of all the files that fail together.

    Raises:
        ScenarioError: With every problem of every file that does not load.
    """
    loaded: list[Scenario] = []
    problems: list[Problem] = []
    for source in sources:
        try:
            loaded.append(load(source))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    return loaded

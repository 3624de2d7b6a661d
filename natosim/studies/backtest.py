"""Back-testing: run every scenario that records an outcome and score what it forecast.

For each case the model and the two baselines of :mod:`natosim.studies.baselines` are scored
with the functions of :mod:`natosim.studies.scoring` on three questions: who (or which
non-appointment) it was, when (ordered timing bins, :class:`TimingBins`), and who held out
last. docs/validation.md defines every score and shows the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from natosim.engine import EngineName
from natosim.model.arrays import Model
from natosim.model.prepared import Prepared, prepare
from natosim.results.precision import simulate
from natosim.results.report import RunReport
from natosim.results.stats import Estimate
from natosim.scenario.library import bundled_names, library_folder
from natosim.scenario.loader import LoadedScenario
from natosim.scenario.schema import Outcome
from natosim.studies.baselines import front_runner_forecast, uniform_forecast
from natosim.studies.scoring import TOP, Forecast, Mean, Observed, Scores, mean, score
from natosim.trials.pool import Workers, pool_for

FORECASTERS = ("model", "uniform", "front_runner")
"""natosim itself, then the baselines B0 and B1."""

NOT_APPOINTED = "not appointed"


@dataclass(frozen=True)
class TimingBins:
    """Ordered date bins for the timing score: ``by edges[0]``, ``by edges[1]``, …, never.

    A date belongs to the first bin whose edge it does not pass; a trial or a case without an
    appointment (or appointed after the last edge) belongs to the last bin.
    """

    edges: tuple[dt.date, ...]
    labels: tuple[str, ...]

    def index(self, day: dt.date | None) -> int:
        """The bin of an appointment on ``day`` (None: no appointment)."""
        if day is None:
            return len(self.edges)
        return next((b for b, edge in enumerate(self.edges) if day <= edge), len(self.edges))


def timing_bins(model: Model, end: dt.date) -> TimingBins:
    """The bins of a scenario: its deadlines in date order, then its end, then "never".

    Deadlines before the start are left out, and so is everything after the earliest hard
    deadline, when no appointment can happen any more; the end is added only when there is
    no hard deadline.
    """
    start = model.dates[0]
    last = model.hard_date or end
    named = sorted({(d.date, d.name) for d in model.deadlines if start <= d.date <= last})
    if model.hard_date is None and (not named or named[-1][0] < end):
        named.append((end, "end of horizon"))
    edges = tuple(day for day, _ in named)
    labels = tuple(f"by {day} ({name})" for day, name in named)
    return TimingBins(edges, (*labels, NOT_APPOINTED))


@dataclass(frozen=True)
class Case:
    """One back-tested scenario: what happened, what each forecaster said, and its scores."""

    file: str
    scenario: str
    as_of: dt.date
    seed: int
    trials: int
    outcome: Outcome
    outcome_names: tuple[str, ...]
    bins: TimingBins
    observed: Observed
    p_observed: Estimate
    top_holdouts: tuple[tuple[str, Estimate], ...]
    front_runner: str
    forecasts: dict[str, Forecast]
    scores: dict[str, Scores]
    body: str = "nato"


@dataclass(frozen=True)
class Backtest:
    """Every case, and the files left out with the reason."""

    cases: tuple[Case, ...]
    skipped: tuple[tuple[str, str], ...]
    trials: int


def bundled_scenarios() -> list[Path]:
    """The files of the bundled scenario library (back-tested when no files are named)."""
    return [library_folder() / f"{name}.yaml" for name in bundled_names()]


def run_backtest(
    paths: Sequence[Path],
    trials: int,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> Backtest:
    """Back-test every file with its own ``outcome`` block (seed: each file's by default).

    Every case runs on one pool (``workers``: a count of local processes, or a pool such as
    a cluster's). Cases come out in the order of their as-of dates.
    """
    cases: list[Case] = []
    skipped: list[tuple[str, str]] = []
    with pool_for(workers) as pool:
        for path in paths:
            prepared = prepare(path)
            reason = not_a_case(prepared.loaded)
            if reason:
                skipped.append((str(path), reason))
                continue
            report = simulate(prepared, trials, seed, pool, engine)
            cases.append(backtest_case(prepared, report))
    cases.sort(key=lambda case: (case.as_of, case.file))
    return Backtest(tuple(cases), tuple(skipped), trials)


def not_a_case(loaded: LoadedScenario) -> str | None:
    """Why a file is not a back-test case, or None if it is one.

    Why: a case is a file that writes its own ``outcome`` block. A variant that extends a
    case and only inherits its outcome (a what-if, a file of ranges for sensitivity) would
    count the same forecast twice in the averages.
    """
    if loaded.scenario.outcome is None:
        return "records no outcome"
    where = loaded.sources.keys.get(("outcome",))
    if where is None or where.file.resolve() != loaded.path.resolve():
        return "only inherits its outcome from the file it extends"
    return None


def backtest_case(prepared: Prepared, report: RunReport) -> Case:
    """Score one run of a scenario that records an outcome."""
    scenario = prepared.loaded.scenario
    outcome = scenario.outcome
    if outcome is None:
        raise ValueError(f"{prepared.loaded.path} records no outcome")
    model = prepared.model
    bins = timing_bins(model, scenario.end)
    observed = observe(model, outcome, bins)
    forecasts = {
        "model": model_forecast(report, bins),
        "uniform": uniform_forecast(model, len(bins.labels)),
        "front_runner": front_runner_forecast(model, len(bins.labels)),
    }
    pick = forecasts["front_runner"].outcomes.index(1.0)
    return Case(
        file=prepared.loaded.label,
        scenario=scenario.name,
        as_of=scenario.start,
        seed=report.run.seed,
        trials=report.run.trials,
        outcome=outcome,
        outcome_names=model.outcome_names,
        bins=bins,
        observed=observed,
        p_observed=report.summary.outcomes[observed.outcome][1],
        top_holdouts=tuple((m.member, m.last_holdout) for m in report.summary.members[:TOP]),
        front_runner=model.outcome_names[pick],
        forecasts=forecasts,
        scores={name: score(f, observed) for name, f in forecasts.items()},
        body=scenario.body,
    )


def observe(model: Model, outcome: Outcome, bins: TimingBins) -> Observed:
    """The recorded outcome as indices; no timing bin when an appointment has no date."""
    index = model.outcome_names.index(outcome.appointed)
    if index >= model.n_candidates:
        timing: int | None = bins.index(None)
    else:
        timing = None if outcome.date is None else bins.index(outcome.date)
    return Observed(index, timing, outcome.last_holdout)


def model_forecast(report: RunReport, bins: TimingBins) -> Forecast:
    """natosim's own forecast: the run's outcome, timing-bin and last-holdout frequencies."""
    run = report.run
    model = run.model
    by_round = run.tally.outcome_round[: model.n_candidates].sum(axis=0)
    counts = np.zeros(len(bins.labels))
    for day, count in zip(model.dates, by_round, strict=True):
        counts[bins.index(day)] += count
    counts[-1] += run.trials - by_round.sum()
    return Forecast(
        outcomes=tuple(e.p for _, e in report.summary.outcomes),
        timing=tuple(float(c) / run.trials for c in counts),
        holdouts={m.member: m.last_holdout.p for m in report.summary.members},
    )


def bodies(backtest: Backtest) -> tuple[str, ...]:
    """The bodies of the cases, in order of first appearance."""
    return tuple(dict.fromkeys(case.body for case in backtest.cases))


def averages(backtest: Backtest, body: str | None = None) -> dict[str, dict[str, Mean]]:
    """Each forecaster's mean scores over the cases that have them, with their number.

    Args:
        backtest: The back-test.
        body: Only the cases of this body; None for every case.
    """
    if body is not None:
        kept = tuple(case for case in backtest.cases if case.body == body)
        backtest = Backtest(kept, backtest.skipped, backtest.trials)
    return {
        name: {
            "log": mean(c.scores[name].log for c in backtest.cases),
            "brier": mean(c.scores[name].brier for c in backtest.cases),
            "rps": mean(c.scores[name].rps for c in backtest.cases),
            "holdout_in_top": mean(_hit(c.scores[name]) for c in backtest.cases),
        }
        for name in FORECASTERS
    }


def _hit(scores: Scores) -> float | None:
    return None if scores.holdout_in_top is None else float(scores.holdout_in_top)

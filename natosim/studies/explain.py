"""Explain one simulated future: the event log of a trial, and why each change happened.

Trial K here is trial K of ``natosim run`` with the same seed and engine. The fast engine
simulates trial K's whole chunk again with a log of that one trial (the engine guarantees the
logged trial is the very one a normal run gives); the reference engine simulates trial K alone
on its own streams.

To show how an outcome comes about, :func:`explain_outcome` runs the scenario, takes the
trials that end in the outcome and picks the one with the median (or fastest, or slowest)
decision round; ties go to the lowest trial number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from natosim.engine import EngineName, simulate_chunk
from natosim.engine.records import LogEntry, TrialRecords
from natosim.engine.reference.chunk import simulate_reference
from natosim.engine.streams import CHUNK_SIZE
from natosim.errors import UserError
from natosim.model.arrays import Model
from natosim.model.prepared import Prepared
from natosim.trials.chunks import Run, run_model
from natosim.trials.pool import Workers
from natosim.trials.settings import resolve_settings

Pick = Literal["median", "fastest", "slowest"]
PICKS: tuple[Pick, ...] = ("median", "fastest", "slowest")
MAX_TRIAL = 100_000_000 - 1
"""Highest trial number (the most trials a scenario may ask for, less one)."""


@dataclass(frozen=True)
class Selection:
    """How a trial was chosen to stand for an outcome.

    Attributes:
        outcome: The outcome's id (a candidate id, extension, vacancy or no_decision).
        pick: Which of the trials with that outcome: median, fastest or slowest decision.
        matching: How many of the trials searched end in the outcome.
        trials: How many trials were searched (trials 0 to trials - 1).
    """

    outcome: str
    pick: Pick
    matching: int
    trials: int


@dataclass(frozen=True)
class Explanation:
    """One trial's result and event log.

    Attributes:
        scenario: The scenario's name.
        model: The compiled scenario, to name members, candidates, demands and dates.
        seed: The run's root seed.
        engine: The engine that simulated the trial.
        trial: The trial's number (0-based, as in a run).
        outcome: Its outcome index (a candidate, or K + a reversion offset).
        decision_round: The round of the appointment or reversion.
        log: What happened, in order.
        selection: How the trial was picked, when it was picked for an outcome.
    """

    scenario: str
    model: Model
    seed: int
    engine: EngineName
    trial: int
    outcome: int
    decision_round: int
    log: tuple[LogEntry, ...]
    selection: Selection | None = None

    @property
    def decisive(self) -> int:
        """The candidate appointed, else the front-runner at the end (-1 if none)."""
        if self.outcome < self.model.n_candidates:
            return self.outcome
        return next((e.candidate for e in reversed(self.log) if e.what in _ENDINGS), -1)


_ENDINGS = ("appoint", "reversion", "no_decision")


def explain_trial(
    prepared: Prepared, trial: int, seed: int | None = None, engine: EngineName = "fast"
) -> Explanation:
    """Simulate trial ``trial`` with its event log (seed default: the file's)."""
    if not 0 <= trial <= MAX_TRIAL:
        raise UserError(f"--trial must be between 0 and {MAX_TRIAL:,} (got {trial})")
    model = prepared.model
    seed = resolve_settings(prepared.loaded.scenario.simulation, seed=seed).seed
    records, logs = _simulate_one(model, seed, trial, engine)
    row = trial - records.first
    return Explanation(
        scenario=prepared.loaded.scenario.name,
        model=model,
        seed=seed,
        engine=engine,
        trial=trial,
        outcome=int(records.outcome[row]),
        decision_round=int(records.decision_round[row]),
        log=tuple(logs[trial]),
    )


def _simulate_one(
    model: Model, seed: int, trial: int, engine: EngineName
) -> tuple[TrialRecords, dict[int, list[LogEntry]]]:
    if engine == "reference":
        return simulate_reference(model, seed, trial, 1, (trial,))
    chunk = trial // CHUNK_SIZE
    return simulate_chunk(model, seed, chunk, trial - chunk * CHUNK_SIZE + 1, (trial,), engine)


def explain_outcome(
    prepared: Prepared,
    outcome: str | None = None,
    pick: Pick = "median",
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> Explanation:
    """Run the scenario, pick a trial that ends in ``outcome`` and explain it.

    Args:
        prepared: The scenario.
        outcome: An outcome id; default: the most frequent outcome of the run.
        pick: Which trial of those ending in the outcome.
        trials: Trials to search (default: the file's).
        seed: Root seed (default: the file's).
        workers: Worker processes for the search.
        engine: ``fast`` or ``reference``.

    Raises:
        UserError: for an unknown outcome, or one that no trial searched ends in.
    """
    model = prepared.model
    settings = resolve_settings(prepared.loaded.scenario.simulation, trials, seed, workers, engine)
    seed = settings.seed
    run = run_model(model, seed, settings.trials, workers, engine)
    index = _most_frequent(run) if outcome is None else outcome_index(model, outcome)
    trial = pick_trial(run, index, pick)
    found = explain_trial(prepared, trial, seed, engine)
    if (found.outcome, found.decision_round) != (run.outcome[trial], run.decision_round[trial]):
        raise RuntimeError(f"trial {trial} differs between the run and its log")
    matching = int((run.outcome == index).sum())
    name = model.outcome_names[index]
    return _with_selection(found, Selection(name, pick, matching, run.trials))


def _with_selection(found: Explanation, selection: Selection) -> Explanation:
    fields = {**found.__dict__, "selection": selection}
    return Explanation(**fields)


def _most_frequent(run: Run) -> int:
    return int(np.bincount(run.outcome.astype(np.int64)).argmax())


def outcome_index(model: Model, outcome: str) -> int:
    """The index of an outcome id, or a UserError that lists the valid ids."""
    if outcome in model.outcome_names:
        return model.outcome_names.index(outcome)
    valid = ", ".join(model.outcome_names)
    raise UserError(f"--outcome {outcome}: not an outcome of this scenario; choose from {valid}")


def pick_trial(run: Run, outcome: int, pick: Pick) -> int:
    """The trial with ``outcome`` whose decision round is the median, fastest or slowest.

    Ties go to the lowest trial number; the median of an even count is the earlier one.

    Raises:
        UserError: when no trial ends in ``outcome``.
    """
    found = np.flatnonzero(run.outcome == outcome)
    if found.size == 0:
        name = run.model.outcome_names[outcome]
        raise UserError(f"none of the {run.trials:,} trials ends in {name}; try more --trials")
    rounds = run.decision_round[found]
    order = found[np.argsort(rounds, kind="stable")]
    if pick == "fastest":
        return int(order[0])
    if pick == "slowest":
        return int(order[np.searchsorted(np.sort(rounds), rounds.max(), side="left")])
    return int(order[(order.size - 1) // 2])

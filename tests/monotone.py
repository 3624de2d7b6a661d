"""The monotonicity guarantees of docs/model.md as metamorphic checks: run and compare.

The variants and the orderings between them come from tests/monotone_variants.py. Every
distinct model runs once on the same seed and trials (common random numbers) through
:func:`natosim.batch.run_models`, many variants in one pool; each measure's difference
``better - worse`` gets the project's paired 95 % interval
(:func:`natosim.paired.paired_difference`). A violation is a difference whose whole interval
lies below 0. The pathwise promise is checked trial by trial (:func:`pathwise_violations`).

Shared by tests/test_monotone.py (a fast subset) and benchmarks/monotone_sweep.py (all of it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from monotone_variants import (
    Ordering,
    Subject,
    compile_loaded,
    endorses_at_start,
    may_block,
    orderings,
    representatives,
)
from numpy.typing import NDArray

from natosim.engine.records import TrialRecords
from natosim.model.arrays import Model
from natosim.results.measures import slug
from natosim.results.paired import paired_difference
from natosim.scenario.edit import Assignment, edit_scenario
from natosim.scenario.loader import LoadedScenario
from natosim.trials.batch import run_models


@dataclass(frozen=True)
class Target:
    """What a comparison needs: the scenario's name, its model and the front-runner."""

    name: str
    model: Model
    front: int


@dataclass(frozen=True)
class Finding:
    """One measure of one ordering: the difference ``better - worse`` and its interval."""

    scenario: str
    check: str
    what: str
    measure: str
    difference: float
    low: float
    high: float

    @property
    def violated(self) -> bool:
        """Whether the paired 95 % interval lies wholly on the wrong side of 0."""
        return self.high < 0.0

    def __str__(self) -> str:
        interval = f"[{self.low:+.4f}, {self.high:+.4f}]"
        return f"{self.scenario}: {self.what}: {self.measure} {self.difference:+.4f} {interval}"


@dataclass(frozen=True)
class Outcomes:
    """The per-trial results a comparison needs, from a run or from records."""

    outcome: NDArray[np.int16]
    decision_round: NDArray[np.int16]


def fingerprint(model: Model) -> str:
    """A hash of everything the engines read from ``model``, numbers to 12 decimals.

    Why: edits that change nothing the engine sees (a stance overridden by an endorsement at
    the start, a rate already at its new value) need no run of their own, and neither does a
    file whose ranges compile to another file's numbers up to rounding (the 2024 ranges file
    at its midpoints is the 2024 file to 1e-16).
    """
    values = [getattr(model, f.name) for f in dataclasses.fields(model)]
    rounded = [_rounded(v) for v in values]
    return hashlib.sha256(pickle.dumps(rounded)).hexdigest()


def _rounded(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.round(value, 12)
    return value


def subject(loaded: LoadedScenario, outcomes: Outcomes) -> Subject:
    """A scenario under test; its front-runner is the most often appointed candidate."""
    model = compile_loaded(loaded)
    counts = np.bincount(outcomes.outcome, minlength=model.n_outcomes)[: model.n_candidates]
    return Subject(loaded.path.name, loaded, model, int(np.argmax(counts)))


def target(subject: Subject) -> Target:
    """What a comparison needs of a scenario under test."""
    return Target(subject.name, subject.model, subject.front)


def measures(
    model: Model, front: int, found: Outcomes, decided: bool
) -> dict[str, NDArray[np.bool_]]:
    """Per-trial indicators of what the guarantees protect.

    ``appointed`` (the front-runner is appointed), ``appointed by D`` for each deadline D (its
    earliness) and, when ``decided``, ``decided by D`` (any appointment by D).
    """
    name = model.candidates[front]
    won = found.outcome == front
    anyone = found.outcome < model.n_candidates
    rows = {f"P({name} appointed)": won}
    for d in (d for d in model.deadlines if d.round >= 0):
        by = found.decision_round <= d.round
        rows[f"P({name} appointed by {slug(d.name)})"] = won & by
        if decided:
            rows[f"P(decided by {slug(d.name)})"] = anyone & by
    return rows


def compare(target: Target, ordering: Ordering, better: Outcomes, worse: Outcomes) -> list[Finding]:
    """Every measure's paired difference ``better - worse`` for one ordering."""
    model, front = target.model, target.front
    a = measures(model, front, worse, ordering.decided)
    b = measures(model, front, better, ordering.decided)
    findings = []
    for key in a:
        diff, (low, high), _ = paired_difference(a[key], b[key])
        row = Finding(target.name, ordering.check, ordering.what, key, diff, low, high)
        findings.append(row)
    return findings


def violations(findings: Iterable[Finding]) -> list[Finding]:
    """The findings whose interval excludes 0 on the wrong side, worst first."""
    return sorted((f for f in findings if f.violated), key=lambda f: f.high)


def pathwise_violations(
    softer: Outcomes | TrialRecords, harder: Outcomes | TrialRecords, front: int
) -> NDArray[np.bool_]:
    """Per trial: the harder variant appointed ``front`` earlier than the softer, or alone.

    The pathwise promise is ``harder appointed ⇒ softer appointed, no later``.
    """
    soft_won, hard_won = softer.outcome == front, harder.outcome == front
    later = softer.decision_round > harder.decision_round
    flagged: NDArray[np.bool_] = hard_won & (~soft_won | later)
    return flagged


# --- Running ------------------------------------------------------------------------------------


@dataclass
class Batch:
    """Variants of several scenarios, each distinct model run once on common random numbers."""

    seed: int
    trials: int
    workers: int | None = None
    models: dict[str, Model] = dataclasses.field(default_factory=dict)
    results: dict[str, Outcomes] = dataclasses.field(default_factory=dict)

    def add(self, loaded: LoadedScenario, edits: Sequence[Assignment]) -> str:
        """Queue the variant of ``loaded`` with ``edits``; returns its model's fingerprint."""
        model = compile_loaded(edit_scenario(loaded, edits) if edits else loaded)
        key = fingerprint(model)
        if key not in self.results:
            self.models.setdefault(key, model)
        return key

    def run(self) -> None:
        """Run every queued model not yet run, all in one pool."""
        keys = [key for key in self.models if key not in self.results]
        runs = run_models([self.models[k] for k in keys], self.seed, self.trials, self.workers)
        for key, done in zip(keys, runs, strict=True):
            self.results[key] = Outcomes(done.run.outcome, done.run.decision_round)


Queued = list[tuple[Ordering, str, str]]
"""Orderings with the fingerprints of their better and worse variants."""


def base_subjects(batch: Batch, loaded: Sequence[LoadedScenario]) -> list[Subject]:
    """Run the scenarios as written and find each one's front-runner."""
    keys = [batch.add(s, ()) for s in loaded]
    batch.run()
    return [subject(s, batch.results[key]) for s, key in zip(loaded, keys, strict=True)]


def queue(batch: Batch, subject: Subject, every_ally: bool) -> Queued:
    """Queue both variants of every ordering of ``subject`` (see :func:`check_all`)."""
    found = orderings(subject, *_allies(subject, every_ally))
    return [
        (o, batch.add(subject.loaded, o.better), batch.add(subject.loaded, o.worse)) for o in found
    ]


def findings(batch: Batch, subject: Subject, queued: Queued) -> list[Finding]:
    """The paired differences of queued orderings, once the batch has run."""
    results = batch.results
    return [f for o, b, w in queued for f in compare(target(subject), o, results[b], results[w])]


def check_all(batch: Batch, loaded: Sequence[LoadedScenario], every_ally: bool) -> list[Finding]:
    """Every ordering of every scenario, run in two batches (bases, then all variants).

    Args:
        batch: Where the runs go (its seed, trials and workers), and the runs already made.
        loaded: The scenarios.
        every_ally: Check every ally in every way; else the stance ladder of one ally of each
            group alike (:func:`representatives`) and the rate checks of those that may block.
    """
    subjects = base_subjects(batch, loaded)
    queued = [queue(batch, s, every_ally) for s in subjects]
    batch.run()
    return [f for s, q in zip(subjects, queued, strict=True) for f in findings(batch, s, q)]


def _allies(subject: Subject, every_ally: bool) -> tuple[Sequence[str], Sequence[str]]:
    """The allies whose stance ladder, and whose rates, a check covers."""
    if every_ally:
        return subject.model.members, subject.model.members
    chosen = representatives(subject.loaded, subject.model)
    ladder = [code for code in chosen if not endorses_at_start(subject.model, code, subject.front)]
    return ladder, [code for code in chosen if may_block(subject, code)]

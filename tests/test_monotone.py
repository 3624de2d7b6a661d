"""Monotonicity guarantees of the model, checked over every bundled scenario.

docs/model.md promises that softening an ally's stance on a candidate (object → conditional
→ acquiesce → support), a higher lift, grant or rival withdrawal rate, a lower silence break,
an added or earlier favourable event and stronger influence never lower the front-runner's
chances nor delay its appointment. Each check runs two variants made with ``--set`` edits on
common random numbers and fails when the paired 95 % interval of ``better - worse``
(:func:`natosim.paired.paired_difference`) lies wholly below 0, for P(front-runner
appointed), P(appointed by each deadline) and, for the rate and event checks, P(decided by
each deadline). The variants are built in tests/monotone_variants.py and run and compared in
tests/monotone.py; benchmarks/monotone_sweep.py runs the full sweep (every ally in every
way, more trials).

Scope, for CI time: the stance ladder of one ally of each group that the scenario treats
alike (they differ only in clout; the one with the most clout is taken), the rate and
endorsement checks of those representatives that may block the front-runner, and every
demand, rival, influence and favourable-event check. An ally that surely endorses the
front-runner at the start has its stance overridden, so its stance ladder is left out (it
could not fail). Pathwise checks run on single-candidate
versions of five scenarios (silence breaks 0, no stance events after the start).

Tolerances: a check fails only on a significant violation at 95 % (about 1 in 40 for a pair
whose true difference is exactly 0 but whose runs differ; pairs that never differ give the
interval [0, 0] and cannot fail). Seeds are fixed, so every outcome is deterministic.

On the first model (natosim 0.1.0 at commit d1f2dde) these tests fail, as they should:
conditional ≥ object is violated for most allies in every file (a conditional ally was not
hurried by isolation or influence), acquiesce ≥ conditional in the 2023 file, and the
pathwise checks fail for both pairs.

Runtime, measured on the 2-core machine of docs/performance.md: 24 s wall in one process
(42 s of CPU, the batches using both cores), about the same with ``pytest -n 2``. It runs
561 distinct models of 4,096 trials each (448 for the distributional checks, 113 pathwise):
4,096 is one chunk, and the fast engine simulates whole chunks, so fewer trials would cost
the same.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import monotone as mono
import monotone_variants as variants
import numpy as np
import pytest
from helpers import tiny_model

from natosim.engine.records import TrialRecords
from natosim.model.arrays import Model, ModelDeadline
from natosim.results.stats import Z95
from natosim.scenario.loader import load_scenario

SEED = 20240607
TRIALS = 4096
WORKERS = 1 if os.environ.get("PYTEST_XDIST_WORKER") else None
"""Under pytest-xdist the workers already share the cores: run each batch in-process."""

PATHWISE = {
    "finland-accession.yaml": "finland",
    "sweden-accession.yaml": "sweden",
    "nato-2014-stoltenberg.yaml": "stoltenberg",
    "nato-2023-no-successor.yaml": "wallace",
    "nato-2024-rutte.yaml": "rutte",
}
"""Scenarios cut down to one candidate for the pathwise checks, and the candidate kept."""

RUTTE = "nato-2024-rutte.yaml"

BATCH = mono.Batch(SEED, TRIALS, WORKERS)
"""Runs shared by the tests of one process (variants equal across files run once)."""


def describe(found: Sequence[mono.Finding], limit: int = 40) -> str:
    """The worst violations, one a line, and how many there were."""
    worst = mono.violations(found)
    lines = [str(f) for f in worst[:limit]]
    more = [f"… and {len(worst) - limit} more"] if len(worst) > limit else []
    return f"{len(worst)} significant violation(s):\n" + "\n".join([*lines, *more])


@pytest.mark.parametrize("path", variants.scenario_files(), ids=lambda p: p.stem)
def test_no_significant_violation(path: Path) -> None:
    """Every ordering holds in distribution, and the checks can see a real difference."""
    [subject] = mono.base_subjects(BATCH, [load_scenario(path)])
    queued = mono.queue(BATCH, subject, every_ally=False)
    BATCH.run()
    found = mono.findings(BATCH, subject, queued)
    seen = [f for f in found if f.check == "stance" and f.low > 0]
    assert seen, f"{path.name}: no stance change made a significant difference (no power)"
    assert len(mono.violations(found)) == 0, describe(found)


@pytest.mark.parametrize("name", sorted(PATHWISE), ids=lambda n: Path(n).stem)
def test_hardening_never_helps_any_trial(name: str) -> None:
    """One candidate, no silence breaks: a harder stance never appoints sooner, trial by trial."""
    single = variants.single_candidate(load_scenario(variants.SCENARIOS / name), PATHWISE[name])
    [subject] = mono.base_subjects(BATCH, [single])
    allies = variants.representatives(subject.loaded, subject.model)
    pairs = [o for code in allies for o in variants.stance_orderings(subject, code)]
    keys = [(o, BATCH.add(single, o.better), BATCH.add(single, o.worse)) for o in pairs]
    BATCH.run()
    problems = [
        _pathwise_problem(subject.model, o, BATCH.results[b], BATCH.results[w]) for o, b, w in keys
    ]
    failed = [p for p in problems if p]
    assert len(failed) == 0, f"{name} with {PATHWISE[name]} alone:\n" + "\n".join(failed)


def _pathwise_problem(
    model: Model, ordering: variants.Ordering, softer: mono.Outcomes, harder: mono.Outcomes
) -> str:
    """How many trials break ``harder appointed ⇒ softer appointed, no later`` ('' if none)."""
    bad = np.flatnonzero(mono.pathwise_violations(softer, harder, front=0))
    if bad.size == 0:
        return ""
    t = int(bad[0])
    soft, hard = (
        f"{model.outcome_names[r.outcome[t]]} in round {r.decision_round[t]}"
        for r in (softer, harder)
    )
    return (
        f"{ordering.what}: {bad.size} of {softer.outcome.size} trials; "
        f"e.g. trial {t}: softer {soft}, harder {hard}"
    )


def test_a_reversed_ordering_is_flagged() -> None:
    """End to end: swapping a pair that truly differs (support vs object) must be reported."""
    [subject] = mono.base_subjects(BATCH, [load_scenario(variants.SCENARIOS / RUTTE)])
    ladder = variants.stance_orderings(subject, "HUN")
    support, hardest = ladder[0].better, ladder[-1].worse
    swapped = variants.Ordering("stance", "HUN object ≥ support (swapped)", hardest, support)
    better, worse = BATCH.add(subject.loaded, hardest), BATCH.add(subject.loaded, support)
    BATCH.run()
    found = mono.compare(mono.target(subject), swapped, BATCH.results[better], BATCH.results[worse])
    assert "P(rutte appointed)" in {f.measure for f in mono.violations(found)}, found


# --- The detector itself, on hand-made records ---------------------------------------------------


def records(outcome: Sequence[int], decision_round: Sequence[int]) -> TrialRecords:
    """Records of one member and one candidate with the given outcomes and rounds."""
    made = TrialRecords.blank(0, len(outcome), members=1, candidates=1, demands=0)
    made.outcome[:] = outcome
    made.decision_round[:] = decision_round
    return made


def outcomes(found: TrialRecords) -> mono.Outcomes:
    return mono.Outcomes(found.outcome, found.decision_round)


SUMMIT = ModelDeadline("Summit", dt.date(2024, 4, 15), round=2, hard=False)
ORACLE = mono.Target("hand-made", tiny_model(["A"], rounds=5, deadlines=(SUMMIT,)), 0)
"""A one-candidate model with a deadline in round 2, for the detector's tests."""

PAIR = variants.Ordering("stance", "M00 softer ≥ harder", (), ())
NO_APPOINTMENT = 1  # outcome index K + extension, with K = 1 candidate


def test_the_detector_flags_a_known_violation() -> None:
    """The softer variant appoints in 100 fewer of 1,000 trials: a difference of -0.1."""
    worse = records([0] * 1000, [2] * 1000)
    better = records([NO_APPOINTMENT] * 100 + [0] * 900, [4] * 100 + [2] * 900)
    found = mono.compare(ORACLE, PAIR, outcomes(better), outcomes(worse))
    flagged = {f.measure: f for f in mono.violations(found)}
    assert set(flagged) == {"P(c0 appointed)", "P(c0 appointed by summit)"}, found
    assert flagged["P(c0 appointed)"].difference == pytest.approx(-0.1)
    # per-trial differences: 100 of -1, 900 of 0; sd = sqrt(0.1 * 0.9 * 1000 / 999)
    half = half_width(0.1, 1000)
    assert flagged["P(c0 appointed)"].high == pytest.approx(-0.1 + half)


def test_the_detector_flags_a_delay_alone() -> None:
    """Both variants always appoint, but the softer one after the summit in 100 trials."""
    worse = records([0] * 1000, [2] * 1000)
    later = records([0] * 1000, [3] * 100 + [2] * 900)
    found = mono.compare(ORACLE, PAIR, outcomes(later), outcomes(worse))
    assert [f.measure for f in mono.violations(found)] == ["P(c0 appointed by summit)"], found


def half_width(p: float, n: int) -> float:
    """Half the paired 95 % interval of a mean of n values, a share p of them -1, else 0."""
    return float(Z95 * np.sqrt(p * (1 - p) * n / (n - 1)) / np.sqrt(n))


def test_the_detector_ignores_noise_and_improvements() -> None:
    """Changes both ways, a loss within the interval, or a gain, are not violations."""
    worse = records([0] * 500 + [NO_APPOINTMENT] * 500, [1] * 1000)
    both_ways = records([NO_APPOINTMENT] * 3 + [0] * 500 + [NO_APPOINTMENT] * 497, [1] * 1000)
    # -0.002, half-width 1.96 * sqrt(0.002 * 0.998 * 1000 / 999) / sqrt(1000) = 0.0028
    slight = records([NO_APPOINTMENT] * 2 + [0] * 498 + [NO_APPOINTMENT] * 500, [1] * 1000)
    gain = records([0] * 1000, [1] * 1000)
    for variant in (both_ways, slight, gain):
        found = mono.compare(ORACLE, PAIR, outcomes(variant), outcomes(worse))
        assert not mono.violations(found), found
    assert half_width(0.002, 1000) == pytest.approx(0.0028, abs=1e-4)


def test_the_pathwise_detector_flags_exactly_the_bad_trials() -> None:
    """Trial 1: harder appoints earlier; trial 2: harder alone appoints; others are fine."""
    softer = records([0, 0, NO_APPOINTMENT, 0, NO_APPOINTMENT], [1, 3, 4, 2, 4])
    harder = records([0, 0, 0, NO_APPOINTMENT, NO_APPOINTMENT], [1, 2, 3, 4, 4])
    flagged = mono.pathwise_violations(softer, harder, front=0)
    assert flagged.tolist() == [False, True, True, False, False]

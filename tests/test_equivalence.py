"""The fast and reference engines agree on every reported probability of every scenario.

Each pair of estimates is compared by Fisher's exact test of two binomial proportions. A pair
disagrees when the two-sided p-value is below 6.3e-5, the level of a 4-standard-error z-test
(a false alarm about once in 16,000 comparisons); unlike the z-test, the exact test keeps that
level for the rare events (a few trials in thousands) that reports also show.
Seeds are fixed, so the outcome of every comparison is deterministic.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from scipy.stats import fisher_exact

from natosim.model.prepared import prepare
from natosim.results.stats import Estimate, Summary, summarise
from natosim.trials.chunks import run_model

ROOT = Path(__file__).parent.parent
SCENARIOS = sorted((ROOT / "natosim" / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "oracles").glob("*.yaml")
)
FAST_TRIALS = 20_000
REFERENCE_TRIALS = 2_000


def estimates(summary: Summary) -> dict[str, Estimate]:
    """Every probability a report shows, by a readable name."""
    named: dict[str, Estimate] = {f"outcome {n}": e for n, e in summary.outcomes}
    named |= {f"decided by {n}": e for n, _, e in summary.decided_by}
    for m in summary.members:
        named[f"{m.member} ever blocks"] = m.ever_blocks
        named[f"{m.member} last holdout"] = m.last_holdout
        named[f"{m.member} sole blocker at hard deadline"] = m.sole_blocker_at_hard
    for d in summary.demands:
        named[f"{d.member} demand {d.description!r} granted"] = d.granted
    for c in summary.candidates:
        named[f"{c.candidate} withdrawn"] = c.withdrawn
    named["appointments needing a demand"] = summary.needed_demand
    return named


ALPHA = math.erfc(4 / math.sqrt(2))
"""The two-sided level of a 4-standard-error test, about 6.3e-5."""


def agree(a: Estimate, b: Estimate) -> bool:
    """Whether two estimates are consistent at level ``ALPHA`` (Fisher's exact test)."""
    if a.n == 0 or b.n == 0 or a.count + b.count == 0:
        return True
    table = [[a.count, a.n - a.count], [b.count, b.n - b.count]]
    return bool(fisher_exact(table).pvalue >= ALPHA)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_engines_agree_on_every_probability(path: Path) -> None:
    model = prepare(path).model
    fast = summarise(model, run_model(model, 11, FAST_TRIALS, workers=1, engine="fast").tally)
    ref = run_model(model, 12, REFERENCE_TRIALS, workers=1, engine="reference").tally
    reference = summarise(model, ref)
    mine, theirs = estimates(fast), estimates(reference)
    missing = Estimate(0, REFERENCE_TRIALS)
    disagree = [
        f"{name}: fast {e.p:.4f}, reference {theirs.get(name, missing).p:.4f}"
        for name, e in mine.items()
        if not agree(e, theirs.get(name, Estimate(0, reference.outcomes[0][1].n)))
    ]
    only_reference = [n for n in theirs if n not in mine and theirs[n].count > 0]
    disagree += [
        f"{n}: fast 0, reference {theirs[n].p:.4f}"
        for n in only_reference
        if not agree(Estimate(0, FAST_TRIALS), theirs[n])
    ]
    assert not disagree, "\n".join(disagree)


def test_a_real_difference_is_detected() -> None:
    """The check can fail: a 6-point difference at these sample sizes is flagged."""
    assert not agree(Estimate(12_000, 20_000), Estimate(1_080, 2_000))
    assert agree(Estimate(12_000, 20_000), Estimate(1_190, 2_000))


def test_a_rare_event_seen_only_in_the_small_sample_is_judged_exactly() -> None:
    """Two in 2,000 against none in 20,000 is chance (p about 0.008); ten in 2,000 is not."""
    assert agree(Estimate(0, 20_000), Estimate(2, 2_000))
    assert not agree(Estimate(0, 20_000), Estimate(10, 2_000))

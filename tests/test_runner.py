"""Runs: the same numbers whatever the number of workers; the JSON contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import tiny_model

from natosim.engine.streams import CHUNK_SIZE
from natosim.model.prepared import prepare
from natosim.output.json.run import report_json as to_json
from natosim.results.precision import simulate
from natosim.results.stats import wilson
from natosim.trials.chunks import extend_run, run_model

SCENARIO = Path(__file__).parent.parent / "natosim" / "scenarios" / "nato-2024-rutte.yaml"


@pytest.fixture(scope="module")
def prepared():  # type: ignore[no-untyped-def]
    return prepare(SCENARIO)


def test_one_and_two_workers_give_identical_results(prepared) -> None:  # type: ignore[no-untyped-def]
    one = run_model(prepared.model, seed=5, trials=9000, workers=1)
    two = run_model(prepared.model, seed=5, trials=9000, workers=2)
    assert np.array_equal(one.outcome, two.outcome)
    assert np.array_equal(one.decision_round, two.decision_round)
    for name in ("outcome_round", "ever_blocks", "last_holdout", "rounds_blocking", "granted"):
        assert np.array_equal(getattr(one.tally, name), getattr(two.tally, name)), name


def test_a_trial_depends_only_on_seed_and_index(prepared) -> None:  # type: ignore[no-untyped-def]
    short = run_model(prepared.model, seed=9, trials=5000, workers=1)
    long = run_model(prepared.model, seed=9, trials=9000, workers=1)
    assert np.array_equal(short.outcome, long.outcome[:5000])
    other = run_model(prepared.model, seed=10, trials=5000, workers=1)
    assert not np.array_equal(short.outcome, other.outcome)


def test_json_follows_the_contract(prepared) -> None:  # type: ignore[no-untyped-def]
    doc = to_json(simulate(prepared, trials=3000, seed=1, workers=1))
    for key in (
        "natosim_version",
        "scenario",
        "scenario_file",
        "scenario_sha256",
        "seed",
        "trials",
        "engine",
        "outcomes",
        "deadlines",
        "timing",
        "members",
        "demands",
        "candidates",
    ):
        assert key in doc, key
    assert (doc["seed"], doc["trials"], doc["engine"]) == (1, 3000, "fast")
    assert len(doc["scenario_sha256"]) == 64
    outcomes = {o["outcome"]: o for o in doc["outcomes"]}
    assert set(outcomes) == {"rutte", "iohannis", "extension", "vacancy", "no_decision"}
    assert sum(o["probability"] for o in doc["outcomes"]) == pytest.approx(1.0, abs=1e-12)
    for o in doc["outcomes"]:
        count = round(o["probability"] * 3000)
        assert (o["ci_low"], o["ci_high"]) == pytest.approx(wilson(count, 3000))
    assert set(doc["timing"]) == {"p10_date", "median_date", "p90_date"}
    assert doc["timing"]["p10_date"] <= doc["timing"]["median_date"] <= doc["timing"]["p90_date"]
    assert {d["name"] for d in doc["deadlines"]} == {
        "Washington summit",
        "End of Stoltenberg's term",
    }
    assert {"member", "p_ever_blocks", "p_last_holdout", "mean_rounds_blocking"} <= set(
        doc["members"][0]
    )
    assert {"member", "candidate", "p_granted"} <= set(doc["demands"][0])
    assert {c["candidate"] for c in doc["candidates"]} == {"rutte", "iohannis"}


def test_wilson_interval_matches_a_hand_computed_value() -> None:
    # 50 of 100: centre 0.5, half-width 1.96 * sqrt(0.0025 + 0.96^2/40000) / 1.0384 = 0.0961...
    low, high = wilson(50, 100)
    assert low == pytest.approx(0.40383, abs=1e-5)
    assert high == pytest.approx(0.59617, abs=1e-5)
    assert wilson(0, 100)[0] == 0.0
    assert wilson(100, 100)[1] == 1.0


@pytest.mark.parametrize(("count", "n"), [(0, 10), (3, 10), (7, 1000), (999, 1000), (20000, 20000)])
def test_wilson_interval_agrees_with_scipy(count: int, n: int) -> None:
    from scipy.stats import binomtest

    ci = binomtest(count, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson(count, n) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_a_run_keeps_about_four_bytes_a_trial() -> None:
    """Per-trial outcomes and rounds are written into place, not kept in chunks and joined.

    Why it matters: joining needed 8 bytes a trial at the end of a run, 0.8 GB for the
    100,000,000 trials a file may ask for; in place, 4 bytes and one chunk's working memory.
    """
    import tracemalloc

    model = tiny_model(["AO", "SA", "AA"], rounds=20, lift_rate=np.full(3, 0.1))
    extend_run(model, 1, CHUNK_SIZE, workers=1)  # warm up: caches and imports
    tracemalloc.start()
    try:
        run = extend_run(model, 1, 401 * CHUNK_SIZE, workers=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak / run.trials < 6.0

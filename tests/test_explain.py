"""Explaining a trial: it is the very trial of a run, picked fairly, and told in words."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from helpers import records_equal
from rich.console import Console
from typer.testing import CliRunner

from natosim.cli import app
from natosim.engine import EngineName, simulate_chunk
from natosim.engine.streams import CHUNK_SIZE
from natosim.errors import UserError
from natosim.model.arrays import Stance
from natosim.model.prepared import Prepared, prepare
from natosim.output.terminal.explain import render_explanation
from natosim.studies.explain import Explanation, explain_outcome, explain_trial, pick_trial
from natosim.studies.narrative import blocking, hazard, holdouts
from natosim.trials.chunks import run_model

SCENARIO = Path(__file__).parent.parent / "natosim" / "scenarios" / "nato-2024-rutte.yaml"
SEED = 2024


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(SCENARIO)


def text_of(found: Explanation) -> str:
    console = Console(width=120, no_color=True, record=True, file=None)
    with console.capture() as captured:
        console.print(render_explanation(found))
    return captured.get()


@pytest.mark.parametrize(
    ("engine", "trials", "picks"),
    [("fast", CHUNK_SIZE + 60, (0, 17, CHUNK_SIZE + 41)), ("reference", 40, (0, 29))],
)
def test_trial_k_is_trial_k_of_a_run(
    prepared: Prepared, engine: EngineName, trials: int, picks: tuple[int, ...]
) -> None:
    run = run_model(prepared.model, SEED, trials, workers=1, engine=engine)
    for k in picks:
        found = explain_trial(prepared, k, SEED, engine)
        assert (found.outcome, found.decision_round) == (run.outcome[k], run.decision_round[k])
        ending = found.log[-1]
        assert ending.round == found.decision_round
        k = prepared.model.n_candidates
        expected = {k + 1 + 1: "no_decision"}.get(found.outcome, "reversion")
        assert ending.what == ("appoint" if found.outcome < k else expected)


def test_the_seed_defaults_to_the_files(prepared: Prepared) -> None:
    assert explain_trial(prepared, 3).seed == prepared.loaded.scenario.simulation.seed


def test_logging_a_trial_does_not_change_any_trial(prepared: Prepared) -> None:
    plain, _ = simulate_chunk(prepared.model, SEED, 0, 300)
    logged, logs = simulate_chunk(prepared.model, SEED, 0, 300, log_trials=(5, 250))
    assert records_equal(plain, logged) and set(logs) == {5, 250}


def test_a_lift_is_explained_by_factors_whose_product_is_its_multiplier(
    prepared: Prepared,
) -> None:
    _, logs = simulate_chunk(prepared.model, SEED, 0, 400, log_trials=range(400))
    lifts = [e for log in logs.values() for e in log if e.why == "lift"]
    assert lifts, "some trial should lift an objection"
    for e in lifts:
        d = e.detail
        assert d["multiplier"] == pytest.approx(d["pressure"] * d["isolation"] * d["influence"])
        rate = prepared.model.lift_rate[e.member]
        assert d["p"] == pytest.approx(1 - (1 - rate) ** d["multiplier"])
        isolation = math.exp(prepared.model.isolation / d["blockers"])
        assert d["isolation"] == pytest.approx(isolation)


def test_both_engines_lifts_read_as_the_same_factors(prepared: Prepared) -> None:
    _, logs = simulate_chunk(prepared.model, SEED, 0, 60, range(60), engine="reference")
    lifts = [e for log in logs.values() for e in log if e.why == "lift"]
    assert lifts, "some trial should lift an objection"
    for e in lifts:
        h = hazard(prepared.model, e)
        assert h is not None and h.pressure and h.isolation and h.influence
        assert h.pressure * h.isolation * h.influence == pytest.approx(h.multiplier)
        assert h.influence >= 1.0 and h.p == pytest.approx(1 - (1 - h.rate) ** h.multiplier)


def test_the_command_tells_a_trial() -> None:
    args = ["explain", str(SCENARIO), "--trial", "5", "--seed", "1"]
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Trial 5 · seed 1 · engine fast" in result.output and "How it happened" in result.output
    both = CliRunner().invoke(app, [*args, "--outcome", "rutte"])
    assert both.exit_code == 1 and isinstance(both.exception, UserError)


def test_outcome_picks_a_trial_with_that_outcome(prepared: Prepared) -> None:
    rounds = {}
    for pick in ("fastest", "median", "slowest"):
        found = explain_outcome(prepared, "rutte", pick, trials=2000, seed=SEED, workers=1)
        assert found.outcome == 0 and found.selection is not None
        assert found.selection.outcome == "rutte" and found.selection.trials == 2000
        rounds[pick] = found.decision_round
    assert rounds["fastest"] <= rounds["median"] <= rounds["slowest"]
    run = run_model(prepared.model, SEED, 2000, workers=1)
    appointed = run.decision_round[run.outcome == 0]
    assert rounds["fastest"] == appointed.min() and rounds["slowest"] == appointed.max()
    assert rounds["median"] == np.sort(appointed)[(appointed.size - 1) // 2]


def test_pick_ties_go_to_the_lowest_trial_and_no_match_is_a_user_error(
    prepared: Prepared,
) -> None:
    run = run_model(prepared.model, SEED, 500, workers=1)
    extension = 2
    first = int(np.flatnonzero(run.outcome == extension)[0])
    assert pick_trial(run, extension, "slowest") == first  # every extension ends at the deadline
    with pytest.raises(UserError, match="none of the 500 trials"):
        pick_trial(run, 4, "median")
    with pytest.raises(UserError, match="choose from rutte, iohannis, extension"):
        explain_outcome(prepared, "rute", trials=100, workers=1)


def test_the_blockers_are_replayed_from_the_log(prepared: Prepared) -> None:
    found = explain_trial(prepared, 7, SEED)
    blockers = blocking(prepared.model, found.log, 0)
    start = {e.member for e in found.log if e.why == "initial" and e.new >= Stance.CONDITIONAL}
    assert set(blockers[0]) <= start
    if found.outcome == 0:
        assert blockers[found.decision_round] == ()


def test_the_narrative_tells_the_appointment(prepared: Prepared) -> None:
    found = explain_outcome(prepared, "rutte", trials=1000, seed=SEED, workers=1)
    text = text_of(found)
    assert "The Council appoints Mark Rutte" in text
    assert "Mark Rutte appointed on" in text and "blocking Mark Rutte" in text
    assert f"--trial {found.trial} --seed {SEED}" in text


def test_the_narrative_tells_an_extension_and_who_still_blocks(prepared: Prepared) -> None:
    found = explain_outcome(prepared, "extension", trials=1000, seed=SEED, workers=1)
    text = text_of(found)
    assert "Washington summit settles it: Extension" in text
    assert "still blocking Mark Rutte:" in text
    held = holdouts(found)
    assert held and all(h.stance >= Stance.CONDITIONAL for h in held)
    for h in held:
        assert f"{prepared.model.members[h.member]} still " in text


def test_a_negative_or_huge_trial_is_refused(prepared: Prepared) -> None:
    with pytest.raises(UserError, match="--trial"):
        explain_trial(prepared, -1)
    with pytest.raises(UserError, match="--trial"):
        explain_trial(prepared, 10**9)


@pytest.mark.parametrize("name", ["eu-2022-sixth-sanctions", "unsc-2006-secretary-general"])
def test_explain_tells_a_trial_of_another_body(name: str) -> None:
    import natosim

    story = natosim.explain(name, trial=0)
    document = story.to_dict()
    assert document["trial"] == 0 and document["events"]
    assert document["outcome"] in {*natosim.load(name).candidates, "extension", "no_decision"}
    assert "How it happened" in story.text()


def test_explain_says_when_the_first_decision_could_be_taken() -> None:
    import natosim

    story = natosim.explain("unsc-2016-secretary-general", trial=3).text()
    assert "No decision could be taken before 2016-09-27." in story
    assert "No decision could be taken" not in natosim.explain("nato-2024-rutte", trial=3).text()

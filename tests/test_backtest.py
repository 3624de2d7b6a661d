"""Back-testing: timing bins, the baselines, which files are cases, the command, the doc table."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import run_natosim, tiny_model

from natosim.model.arrays import EventKind, Model, ModelEvent, Stance
from natosim.model.prepared import prepare
from natosim.output.terminal.backtest import backtest_markdown
from natosim.results.precision import simulate
from natosim.scenario.library import library_folder
from natosim.studies.backtest import (
    backtest_case,
    bundled_scenarios,
    model_forecast,
    not_a_case,
    run_backtest,
    timing_bins,
)
from natosim.studies.baselines import front_runner_forecast, uniform_forecast

ROOT = Path(__file__).parent.parent
BUNDLED = library_folder()
FEBRUARY = BUNDLED / "nato-2024-rutte.yaml"
VALIDATION = ROOT / "docs" / "validation.md"
DOC_TRIALS = 20_000
"""Trials per case of the table in docs/validation.md (each file's own seed)."""
CASES = {
    "nato-2014-stoltenberg",
    "finland-accession",
    "sweden-accession",
    "nato-2023-no-successor",
    "nato-2024-rutte",
    "nato-2024-rutte-april",
    "nato-2024-rutte-june",
}


def natosim(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m natosim ARGS`` with plain output at a fixed width."""
    return run_natosim(*args, columns=200)


def endorse(members: tuple[int, ...], candidate: int, p: float, when: int = 0) -> ModelEvent:
    return ModelEvent(when, EventKind.ENDORSE, members, candidate, Stance.SUPPORT, p)


# ------------------------------------------------------------------------------------------
# Timing bins
# ------------------------------------------------------------------------------------------


def test_bins_stop_at_the_hard_deadline() -> None:
    prepared = prepare(FEBRUARY)
    bins = timing_bins(prepared.model, prepared.loaded.scenario.end)
    assert bins.edges == (dt.date(2024, 7, 9), dt.date(2024, 10, 1))
    assert bins.labels[-1] == "not appointed"
    assert bins.labels[0] == "by 2024-07-09 (Washington summit)"
    assert bins.index(dt.date(2024, 6, 26)) == 0
    assert bins.index(dt.date(2024, 7, 9)) == 0
    assert bins.index(dt.date(2024, 7, 10)) == 1
    assert bins.index(dt.date(2024, 12, 1)) == 2  # after the horizon: not appointed by it
    assert bins.index(None) == 2


def test_without_a_hard_deadline_the_end_closes_the_last_bin() -> None:
    prepared = prepare(BUNDLED / "finland-accession.yaml")
    bins = timing_bins(prepared.model, prepared.loaded.scenario.end)
    assert bins.edges == (dt.date(2023, 7, 11), dt.date(2023, 12, 27))
    assert bins.labels[1] == "by 2023-12-27 (end of horizon)"


def test_a_scenario_without_deadlines_has_two_bins() -> None:
    model = tiny_model(["S"], rounds=3)
    bins = timing_bins(model, model.dates[-1])
    assert len(bins.labels) == 2
    assert bins.index(model.dates[1]) == 0


# ------------------------------------------------------------------------------------------
# Baselines
# ------------------------------------------------------------------------------------------


def two_candidates(**fields: object) -> Model:
    """Member 0 backs candidate 0; members 1 and 2 (clout 3 each) acquiesce to both."""
    return tiny_model(["SA", "AA", "AA"], clout=np.array([1.0, 3.0, 3.0]), **fields)


def test_front_runner_reads_round_zero_events_in_expectation() -> None:
    even = two_candidates(events=(endorse((1, 2), 1, 0.5),))  # support 0.5 * 6 = 3 > 1
    assert front_runner_forecast(even, 3).outcomes[:2] == (0.0, 1.0)
    unlikely = two_candidates(events=(endorse((1, 2), 1, 0.1),))  # 0.6 < 1
    assert front_runner_forecast(unlikely, 3).outcomes[:2] == (1.0, 0.0)
    later = two_candidates(events=(endorse((1, 2), 1, 1.0, when=1),))  # after the as-of date
    assert front_runner_forecast(later, 3).outcomes[:2] == (1.0, 0.0)


def test_front_runner_ignores_a_candidate_withdrawn_at_the_start() -> None:
    gone = ModelEvent(0, EventKind.WITHDRAW, (), 1, Stance.SUPPORT, 1.0)
    model = two_candidates(events=(endorse((1, 2), 1, 1.0), gone))
    assert front_runner_forecast(model, 3).outcomes[:2] == (1.0, 0.0)


def test_front_runner_forecast_is_a_point_forecast_of_the_first_bin() -> None:
    model = tiny_model(["SA", "OS", "CS"], clout=np.array([5.0, 1.0, 1.0]))
    forecast = front_runner_forecast(model, 3)
    assert forecast.outcomes == (1.0, 0.0, 0.0, 0.0, 0.0)
    assert forecast.timing == (1.0, 0.0, 0.0)
    assert forecast.holdouts == {"M01": 1.0, "M02": 1.0}  # P(blocking) at round 0


def test_a_grant_at_the_start_turns_a_conditional_member_into_a_supporter() -> None:
    grant = ModelEvent(0, EventKind.GRANT, (0,), 0, Stance.SUPPORT, 1.0)
    model = tiny_model(["C", "S"], events=(grant,))
    assert front_runner_forecast(model, 2).holdouts == {}


def test_uniform_forecast_spreads_over_candidates_and_bins_only() -> None:
    forecast = uniform_forecast(two_candidates(), 4)
    assert forecast.outcomes == (0.5, 0.5, 0.0, 0.0, 0.0)
    assert forecast.timing == (0.25,) * 4
    assert forecast.holdouts == {}


# ------------------------------------------------------------------------------------------
# Cases
# ------------------------------------------------------------------------------------------


def test_only_files_that_write_their_own_outcome_are_cases(tmp_path: Path) -> None:
    assert not_a_case(prepare(FEBRUARY).loaded) is None
    what_if = prepare(BUNDLED / "nato-2024-what-if-no-us-endorsement.yaml").loaded
    assert not_a_case(what_if) == "records no outcome"
    variant = tmp_path / "variant.yaml"
    variant.write_text(f"extends: {FEBRUARY}\nname: a variant\n", encoding="utf-8")
    assert not_a_case(prepare(variant).loaded) == (
        "only inherits its outcome from the file it extends"
    )


def test_february_case_scores_rutte_before_the_hard_deadline() -> None:
    prepared = prepare(FEBRUARY)
    case = backtest_case(prepared, simulate(prepared, trials=4096, workers=1))
    model = case.forecasts["model"]
    assert sum(model.outcomes) == pytest.approx(1.0)
    assert sum(model.timing) == pytest.approx(1.0)
    # Rutte can only be appointed by the hard deadline: both bins before it add up to P(rutte).
    assert model.timing[0] + model.timing[1] == pytest.approx(case.p_observed.p)
    low, high = case.p_observed.interval
    assert low < case.p_observed.p < high
    assert case.observed.timing_bin == 0 and case.observed.last_holdout == "ROU"
    assert len(case.top_holdouts) == 3
    assert case.front_runner == "rutte"


def test_model_forecast_of_timing_counts_every_trial_once() -> None:
    prepared = prepare(BUNDLED / "nato-2023-no-successor.yaml")
    report = simulate(prepared, trials=4096, workers=1)
    bins = timing_bins(prepared.model, prepared.loaded.scenario.end)
    forecast = model_forecast(report, bins)
    appointed = sum(forecast.outcomes[: prepared.model.n_candidates])
    assert forecast.timing[-1] == pytest.approx(1.0 - appointed)


def test_run_backtest_orders_cases_by_as_of_date_and_lists_the_rest() -> None:
    files = [BUNDLED / "nato-2024-rutte-june.yaml", BUNDLED / "nato-2014-stoltenberg.yaml"]
    files.append(BUNDLED / "nato-2024-what-if-hungary-never-softens.yaml")
    result = run_backtest(files, trials=64, workers=1)
    assert [Path(c.file).stem for c in result.cases] == [
        "nato-2014-stoltenberg",
        "nato-2024-rutte-june",
    ]
    assert [Path(f).name for f, _ in result.skipped] == [files[2].name]


# ------------------------------------------------------------------------------------------
# The command and the table in docs/validation.md
# ------------------------------------------------------------------------------------------


def test_backtest_command_scores_every_bundled_case_as_json() -> None:
    result = natosim("backtest", "--trials", "4096", "--workers", "1", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    stems = {Path(c["file"]).stem for c in doc["cases"]}
    assert stems >= CASES
    listed = stems | {Path(s["file"]).stem for s in doc["skipped"]}
    assert listed == {p.stem for p in bundled_scenarios()}
    assert doc["log_score_floor"] == 0.001
    for case in doc["cases"]:
        assert set(case["forecasts"]) == {"model", "uniform", "front_runner"}
        assert 0.0 <= case["p_observed"]["probability"] <= 1.0
        assert len(case["timing_bins"]) == len(case["forecasts"]["model"]["timing"])
    assert doc["averages"]["model"]["log"]["n"] == len(doc["cases"])


def test_backtest_command_prints_the_table() -> None:
    result = natosim("backtest", str(FEBRUARY), "--trials", "512", "--workers", "1")
    assert result.returncode == 0, result.stderr
    for text in ("P(happened)", "B1 front-runner", "N = 1", "nato-2024-rutte", "ROU (1)"):
        assert text in result.stdout, text


def test_backtest_of_files_without_a_case_is_a_user_error() -> None:
    what_if = BUNDLED / "nato-2024-what-if-no-romanian-candidate.yaml"
    result = natosim("backtest", str(what_if), "--trials", "64")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "records no outcome" in result.stderr


GENERATED = re.compile(r"(<!-- backtest:begin[^\n]*-->\n)(.*?)(<!-- backtest:end -->)", re.S)


def test_validation_doc_shows_what_the_command_prints(update_golden: bool) -> None:
    """docs/validation.md carries the output of ``natosim backtest --format markdown``."""
    result = run_backtest(bundled_scenarios(), DOC_TRIALS, workers=1)
    fresh = "\n" + backtest_markdown(result) + "\n"
    text = VALIDATION.read_text(encoding="utf-8")
    match = GENERATED.search(text)
    assert match, "docs/validation.md lacks the <!-- backtest:begin --> block"
    if update_golden:
        start, end = match.span(2)
        VALIDATION.write_text(text[:start] + fresh + text[end:], encoding="utf-8")
    assert match.group(2) == fresh or update_golden, (
        "docs/validation.md is stale: run pytest tests/test_backtest.py --update-golden"
    )


BEFORE_AFTER = re.compile(r"<!-- before-after:begin -->\n(.*?)<!-- before-after:end -->", re.S)


def _rows(table: str) -> dict[str, list[str]]:
    """The cells of a Markdown table's body rows, keyed by the first cell."""
    rows = [line.strip().strip("|").split("|") for line in table.strip().splitlines()[2:]]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows}


def test_the_model_2_columns_of_the_comparison_are_the_backtest_above() -> None:
    """The before/after table repeats the generated back-test's model numbers."""
    text = VALIDATION.read_text(encoding="utf-8")
    found, generated = BEFORE_AFTER.search(text), GENERATED.search(text)
    assert found and generated
    comparison = _rows(found.group(1))
    forecast = generated.group(2).split("**Baselines")[0].split("\n\n")[-2]
    cases = {case: cells for case, cells in _rows(forecast).items() if case in comparison}
    assert len(cases) == 7
    for case, cells in cases.items():
        p, log, brier, rps, rank = cells[2].split(" (")[0], cells[3], cells[4], cells[5], cells[6]
        mine = comparison[case]
        assert [mine[1], mine[3], mine[5], mine[7]] == [p, log, brier, rps], case
        assert mine[9] == (rank[rank.find("(") + 1 : -1] if "(" in rank else rank), case
    by_body = generated.group(2).split("**Averages by body**")[1].split("\n\n")[1]
    nato = [line.split(" | ") for line in by_body.splitlines() if line.startswith("| nato |")]
    row = next(cells for cells in nato if cells[1] == "natosim")
    natosim = [cell.split(" (")[0] for cell in row[2:]]
    assert [comparison["**average**"][i] for i in (3, 5, 7)] == natosim[:3]

"""Sweeps: grids from ``--vary``, the same numbers for any number of workers, sane trends."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from natosim.cli import app
from natosim.errors import ScenarioError, UserError
from natosim.model.prepared import Prepared, prepare
from natosim.results.measures import choose_measures, default_measures
from natosim.results.stats import Estimate
from natosim.studies.sweep import grid, parse_vary, run_sweep, split_values
from natosim.trials.batch import run_models
from natosim.trials.chunks import run_model

SCENARIO = Path(__file__).parent.parent / "natosim" / "scenarios" / "nato-2024-rutte.yaml"


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(SCENARIO)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a=0:0.2:11", [0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2]),
        ("a=0:0.3:4", [0.0, 0.1, 0.2, 0.3]),
        ("a=1:10:4", [1, 4, 7, 10]),
        ("a=0:1:3", [0.0, 0.5, 1.0]),
        ("a=0.05, 0.1 ,0.2", [0.05, 0.1, 0.2]),
        ("a=support,acquiesce", ["support", "acquiesce"]),
        ("a=object,{object: 0.5, acquiesce: 0.5}", ["object", {"object": 0.5, "acquiesce": 0.5}]),
        ("a=2024-03-01:2024-03-31:3", [dt.date(2024, 3, d) for d in (1, 16, 31)]),
        ("a=2024-04-01", [dt.date(2024, 4, 1)]),
    ],
)
def test_vary_reads_lists_and_inclusive_ranges(text: str, values: list[object]) -> None:
    path, found = parse_vary(text)
    assert path == "a" and found == values
    assert [type(v) for v in found] == [type(v) for v in values]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a", "expected PATH=V1,V2,"),
        ("a=", "expected PATH=V1,V2,"),
        ("a=0:1:1", "COUNT of START:STOP:COUNT must be from 2 to 10,000"),
        ("a=0:2024-01-01:3", "both be numbers or both dates"),
        ("a=x:y:3", "both be numbers or both dates"),
        ("a={x: 1", "cannot read"),
    ],
)
def test_a_bad_vary_is_a_user_error(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_vary(text)


def test_commas_inside_brackets_and_quotes_do_not_split() -> None:
    assert split_values("a,[b, c],'d, e',{f: 1, g: 2}") == ["a", "[b, c]", "'d, e'", "{f: 1, g: 2}"]


def test_the_grid_varies_the_last_path_fastest() -> None:
    assert grid([("a", [1, 2]), ("b", ["x", "y", "z"])]) == [
        (1, "x"),
        (1, "y"),
        (1, "z"),
        (2, "x"),
        (2, "y"),
        (2, "z"),
    ]


def test_a_batch_run_is_the_runners_run(prepared: Prepared) -> None:
    (batch,) = run_models([prepared.model], seed=4, trials=700, workers=1)
    alone = run_model(prepared.model, seed=4, trials=700, workers=1)
    assert np.array_equal(batch.run.outcome, alone.outcome)
    assert np.array_equal(batch.run.tally.outcome_round, alone.tally.outcome_round)
    members = prepared.model.n_members
    counts = np.bincount(batch.last_holdout + 1, minlength=members + 1)[1:]
    assert np.array_equal(counts, alone.tally.last_holdout)


def test_parallel_and_serial_sweeps_are_identical(prepared: Prepared) -> None:
    varies = [("members.HUN.lift_rate", [0.0, 0.05]), ("dynamics.influence", [0.5, 1, 2])]
    serial = run_sweep(prepared, varies, trials=1500, seed=8, workers=1)
    parallel = run_sweep(prepared, varies, trials=1500, seed=8, workers=2)
    assert parallel.workers == 2 and serial.points == parallel.points
    assert len(serial.reports) == 6
    for one, two in zip(serial.reports, parallel.reports, strict=True):
        assert np.array_equal(one.run.outcome, two.run.outcome)
        assert np.array_equal(one.run.tally.outcome_round, two.run.tally.outcome_round)
        assert one.scenario_sha256 == two.scenario_sha256


def test_a_faster_lift_never_lowers_the_chance_of_a_summit_decision(prepared: Prepared) -> None:
    rates = [0.0, 0.03, 0.1, 0.3]
    result = run_sweep(prepared, [("defaults.lift_rate", rates)], 3000, seed=6, workers=1)
    (by_summit,) = choose_measures(prepared.model, ["by-washington-summit"])
    chances = [v for v in result.values(by_summit) if isinstance(v, Estimate)]
    for lower, higher in itertools.pairwise(chances):
        noise = 3 * math.sqrt(2 * lower.p * (1 - lower.p) / lower.n)
        assert higher.p >= lower.p - noise


def test_every_point_is_checked_and_each_problem_named_once(prepared: Prepared) -> None:
    with pytest.raises(ScenarioError) as caught:
        run_sweep(prepared, [("members.HUN.lift_rate", [0.1, 2, 3])], 100, workers=1)
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        "--vary members.HUN.lift_rate  must be between 0 and 1 (got 2)",
        "--vary members.HUN.lift_rate  must be between 0 and 1 (got 3)",
    ]
    with pytest.raises(UserError, match="one or two paths"):
        run_sweep(prepared, [("a", [1]), ("b", [1]), ("c", [1])], 100, workers=1)


def test_measures_default_and_unknown(prepared: Prepared) -> None:
    ids = [m.id for m in default_measures(prepared.model)]
    assert ids == [
        "rutte",
        "iohannis",
        "by-washington-summit",
        "by-end-of-stoltenberg-s-term",
        "median",
    ]
    with pytest.raises(UserError, match="choose from rutte, iohannis, extension"):
        choose_measures(prepared.model, ["ruttte"])


def test_the_command_prints_a_table_and_a_chart() -> None:
    args = ["sweep", str(SCENARIO), "--vary", "members.HUN.lift_rate=0:0.06:3"]
    args += ["--trials", "500", "--workers", "1", "--measure", "rutte", "--measure", "median"]
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "Sweep of members.HUN.lift_rate" in result.output
    assert "P(Mark Rutte) by members.HUN.lift_rate" in result.output
    assert result.output.count("│█") == 3
    args = ["sweep", str(SCENARIO), "--vary", "members.HUN.lift_rate=0,0.1"]
    args += ["--vary", "dynamics.isolation=0,2", "--trials", "300", "--workers", "1"]
    two = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert two.exit_code == 0, two.output
    assert "members.HUN.lift_rate (rows) × dynamics.isolation (columns)" in two.output

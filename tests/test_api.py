"""The public Python API: its namespace, and that it gives what the command line gives."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import natosim
from natosim.cli import app

ROOT = Path(__file__).parent.parent
VOLATILE = ("seconds", "workers")
"""Keys of a run's document that depend on the machine, not on the scenario and seed."""

PUBLIC = [
    "BacktestResult",
    "ComparisonResult",
    "ExplainResult",
    "Result",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SensitivityResult",
    "SweepResult",
    "UserError",
    "WhatIfResult",
    "__version__",
    "backtest",
    "compare",
    "copy_scenario",
    "explain",
    "load",
    "run",
    "scenarios",
    "sensitivity",
    "sweep",
    "whatif",
]


def stable(document: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in document.items() if key not in VOLATILE}


def cli_json(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_the_public_namespace_is_pinned() -> None:
    assert sorted(natosim.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(natosim, name) is not None
    assert set(dir(natosim)) == set(PUBLIC)
    with pytest.raises(AttributeError):
        natosim.pipeline  # noqa: B018


def test_run_gives_the_document_the_command_prints() -> None:
    result = natosim.run("nato-2024-rutte", trials=3000, seed=7, workers=1)
    printed = cli_json("run", "nato-2024-rutte", "--trials", "3000", "--seed", "7")
    assert stable(result.to_dict()) == stable(printed)
    assert json.loads(result.to_json()) == result.to_dict()


def test_compare_gives_the_document_the_command_prints() -> None:
    variant = ROOT / "tests" / "golden" / "hungary-supports.yaml"
    both = natosim.compare(["nato-2024-rutte", variant], trials=2000, seed=3, workers=1)
    printed = cli_json("run", "nato-2024-rutte", str(variant), "--trials", "2000", "--seed", "3")
    document = both.to_dict()
    assert document["comparison"] == printed["comparison"]
    runs = printed["runs"]
    assert isinstance(runs, list)
    assert [stable(r) for r in document["runs"]] == [stable(r) for r in runs]


def test_whatif_gives_the_document_the_command_prints() -> None:
    edit = "members.HUN.stance.rutte=object"
    found = natosim.whatif("nato-2024-rutte", [edit], trials=2000, seed=5, workers=1)
    printed = cli_json(
        "whatif", "nato-2024-rutte", "--set", edit, "--trials", "2000", "--seed", "5"
    )
    document = found.to_dict()
    assert document["differences"] == printed["differences"]
    assert stable(document["variant"]) == stable(printed["variant"])  # type: ignore[arg-type]


def test_an_edited_scenario_runs_like_the_whatif_variant() -> None:
    scenario = natosim.load("nato-2024-rutte")
    harder = scenario.with_value("members.HUN.stance.rutte", "object")
    assert harder.sha256 != scenario.sha256 and scenario.edits == ()
    alone = natosim.run(harder, trials=2000, seed=5, workers=1).to_dict()
    paired = natosim.whatif(scenario, {"members.HUN.stance.rutte": "object"}, trials=2000, seed=5)
    assert stable(alone) == stable(paired.to_dict()["variant"])


def test_edits_share_the_set_grammar_and_its_errors() -> None:
    scenario = natosim.load("nato-2024-rutte")
    as_text = scenario.with_values(["members.HUN.stance.rutte=object"])
    as_value = scenario.with_value("members.HUN.stance.rutte", "object")
    assert as_text.sha256 == as_value.sha256
    with pytest.raises(natosim.ScenarioError) as error:
        scenario.with_value("members.XYZ.stance.rutte", "object")
    assert "members.XYZ" in str(error.value.problems[0])


def test_frames_hold_numbers_and_match_the_document() -> None:
    pd = pytest.importorskip("pandas")
    result = natosim.run("nato-2024-rutte", trials=2000, seed=1, workers=1)
    outcomes = result.frame("outcomes")
    assert pd.api.types.is_float_dtype(outcomes["probability"])
    assert list(outcomes["probability"]) == [o["probability"] for o in result.to_dict()["outcomes"]]
    holdouts = result.frame("holdouts")
    assert {"member", "label", "p_last_holdout"} <= set(holdouts.columns)
    assert set(result.frames()) == set(result.tables())
    with pytest.raises(KeyError, match="this result has"):
        result.frame("nothing")


def test_a_frame_without_pandas_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    result = natosim.run("nato-2024-rutte", trials=500, seed=1, workers=1)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(natosim.UserError, match=r"pip install 'natosim\[pandas\]'"):
        result.frame("outcomes")
    assert result.tables()["outcomes"][0]["row"] == "rutte"


def test_a_result_shows_the_terminal_tables_in_text_and_in_jupyter() -> None:
    result = natosim.run("nato-2024-rutte", trials=500, seed=1, workers=1)
    text = str(result)
    assert "Repeat: natosim run nato-2024-rutte --seed 1 --trials 500" in text
    html = result._repr_html_()
    assert html.startswith("<!DOCTYPE html>") or "<pre" in html
    assert "Mark Rutte" in html


def test_sweep_sensitivity_explain_and_backtest_are_data_too() -> None:
    grid = natosim.sweep("nato-2024-rutte", {"dynamics.deadline_pressure": "0:3.5:2"}, trials=500)
    points = grid.tables()["points"]
    assert [p["dynamics.deadline_pressure"] for p in points] == [0.0, 3.5]
    assert 0 <= points[0]["rutte"] <= 1
    story = natosim.explain("nato-2024-rutte", trial=3, seed=2024)
    assert story.to_dict()["trial"] == 3 and story.tables()["events"]
    with pytest.raises(natosim.UserError, match="no range"):
        natosim.sensitivity("nato-2024-rutte", samples=2)


def test_a_study_past_the_limits_needs_confirmation() -> None:
    vary = {"dynamics.deadline_pressure": "0:3.5:2000"}
    with pytest.raises(natosim.UserError, match="confirm=True"):
        natosim.sweep("nato-2024-rutte", vary, trials=4096)


def test_scenarios_lists_the_library_and_copies_a_file_with_its_bases(tmp_path: Path) -> None:
    found = {s.name: s for s in natosim.scenarios()}
    assert found["nato-2024-rutte"].has_outcome
    assert not found["nato-2024-rutte-ranges"].has_outcome  # only inherits its outcome
    written = natosim.copy_scenario("nato-2024-rutte-june", tmp_path / "mine")
    assert [p.name for p in written] == [
        "nato-2024-rutte-june.yaml",
        "nato-2024-rutte-april.yaml",
        "nato-2024-rutte.yaml",
    ]
    assert natosim.load(written[0]).sha256 == natosim.load("nato-2024-rutte-june").sha256
    with pytest.raises(natosim.UserError, match="exists"):
        natosim.copy_scenario("nato-2024-rutte-june", tmp_path / "mine")


def test_the_scenarios_command_lists_and_copies(tmp_path: Path) -> None:
    listing = CliRunner().invoke(app, ["scenarios"], env={"COLUMNS": "160"})
    assert listing.exit_code == 0 and "nato-2024-rutte-june" in listing.output
    copied = CliRunner().invoke(app, ["scenarios", "copy", "finland-accession", str(tmp_path)])
    assert copied.exit_code == 0, copied.output
    assert (tmp_path / "finland-accession.yaml").is_file()
    unknown = CliRunner().invoke(app, ["scenarios", "copy", "atlantis", str(tmp_path)])
    assert unknown.exit_code == 1
    assert "no bundled scenario 'atlantis'" in str(unknown.exception)


def test_the_library_ships_inside_the_package_and_works_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from natosim.scenario.library import library_folder

    package = Path(natosim.__file__).parent
    assert library_folder().parent == package
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["backtest", "--trials", "200", "--format", "json"])
    assert result.exit_code == 0, result.output
    cases = [case["file"] for case in json.loads(result.stdout)["cases"]]
    expected = [found.name for found in natosim.scenarios() if found.has_outcome]
    assert len(cases) >= 11 and sorted(cases) == sorted(expected)

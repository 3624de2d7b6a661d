"""What-if edits: ``PATH=VALUE`` parsing, path editing and errors that name the ``--set``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from natosim.errors import ScenarioError, UserError
from natosim.scenario.edit import edit_scenario, parse_assignment, set_path
from natosim.scenario.loader import LoadedScenario, load_scenario

SCENARIO = Path(__file__).parent.parent / "natosim" / "scenarios" / "nato-2024-rutte.yaml"


@pytest.fixture(scope="module")
def loaded() -> LoadedScenario:
    return load_scenario(SCENARIO)


def messages(loaded: LoadedScenario, *texts: str) -> list[str]:
    """The printed problems of applying ``--set TEXT`` for each text."""
    with pytest.raises(ScenarioError) as caught:
        edit_scenario(loaded, [parse_assignment(text) for text in texts])
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("members.HUN.stance.rutte=support", "members.HUN.stance.rutte", "support"),
        ("dynamics.deadline_pressure=0", "dynamics.deadline_pressure", 0),
        ("members.HUN.lift_rate=0.1", "members.HUN.lift_rate", 0.1),
        ("events.0.date=2024-04-01", "events.0.date", dt.date(2024, 4, 1)),
        (" a.b = {object: 0.5, acquiesce: 0.5}", "a.b", {"object": 0.5, "acquiesce": 0.5}),
        ("a=[USA, DEU]", "a", ["USA", "DEU"]),
        ("a='0.5'", "a", "0.5"),
        ("a=", "a", None),
        ("a.description=x=y", "a.description", "x=y"),
    ],
)
def test_an_assignment_reads_its_value_as_yaml(text: str, path: str, value: object) -> None:
    assert parse_assignment(text) == (path, value)


@pytest.mark.parametrize("text", ["no-equals", "=support", "a=b: c", "a={x: 1", "a=1\nb: 2"])
def test_a_malformed_assignment_is_a_user_error(text: str) -> None:
    with pytest.raises(UserError, match="--set"):
        parse_assignment(text)


def test_set_path_returns_a_new_dict_and_leaves_the_input_alone(loaded: LoadedScenario) -> None:
    before = loaded.data["members"]["HUN"]["stance"]["rutte"]
    edited = set_path(loaded.data, "members.HUN.stance.rutte", "support")
    assert edited["members"]["HUN"]["stance"]["rutte"] == "support"
    assert loaded.data["members"]["HUN"]["stance"]["rutte"] == before
    assert edited["members"]["TUR"] == loaded.data["members"]["TUR"]


def test_set_path_creates_a_member_not_yet_listed() -> None:
    edited = set_path({"candidates": {"a": {}}}, "members.POL.stance.a", "object")
    assert edited["members"] == {"POL": {"stance": {"a": "object"}}}


def test_a_stance_for_every_candidate_is_spread_when_one_is_named() -> None:
    data = {"candidates": {"a": {}, "b": {}}, "defaults": {"stance": "acquiesce"}}
    edited = set_path(data, "defaults.stance.b", "support")
    assert edited["defaults"]["stance"] == {"a": "acquiesce", "b": "support"}
    dist = {"support": 0.5, "acquiesce": 0.5}
    edited = set_path({**data, "defaults": {"stance": dist}}, "defaults.stance.a", "object")
    assert edited["defaults"]["stance"] == {"a": "object", "b": dist}


def test_list_items_are_set_by_index_and_a_list_may_grow_by_one() -> None:
    data = {"deadlines": [{"name": "x"}]}
    assert set_path(data, "deadlines.0.name", "y")["deadlines"] == [{"name": "y"}]
    grown = set_path(data, "deadlines.1", {"name": "z"})["deadlines"]
    assert grown == [{"name": "x"}, {"name": "z"}]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("deadlines.3.name", "--set deadlines.3.name  deadlines  has 1 item(s), so no item 3"),
        ("deadlines.x", "--set deadlines.x  deadlines  is a list: use an item number 0 to 1"),
        ("deadlines.0.name.x", "deadlines.0.name  is a single value, so it has no 'x'"),
        ("members..x", "--set members..x  every part of the path must be a key or an index"),
    ],
)
def test_a_bad_path_is_a_problem_that_names_the_set(path: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        set_path({"deadlines": [{"name": "x"}]}, path, 1)
    assert expected in str(caught.value)


def test_a_valid_edit_changes_the_scenario_and_its_hash(loaded: LoadedScenario) -> None:
    edited = edit_scenario(loaded, [("members.HUN.stance.rutte", "support")])
    assert edited.scenario.members["HUN"].stance == {"rutte": "support"}
    assert edited.sha256 != loaded.sha256
    assert edited.path == loaded.path and loaded.scenario.members["HUN"].stance != "support"


def test_an_edit_that_changes_nothing_keeps_the_hash(loaded: LoadedScenario) -> None:
    assert edit_scenario(loaded, [("dynamics.isolation", 1.0)]).sha256 == loaded.sha256


def test_a_bad_value_names_the_set_and_what_would_be_valid(loaded: LoadedScenario) -> None:
    assert messages(loaded, "members.HUN.stance.rutte=supprt") == [
        "--set members.HUN.stance.rutte  must be one of support, acquiesce, conditional, "
        "object; did you mean 'support'? (got 'supprt')"
    ]
    assert messages(loaded, "members.HUN.lift_rate=2") == [
        "--set members.HUN.lift_rate  must be between 0 and 1 (got 2)"
    ]


def test_a_typo_in_a_key_suggests_the_right_one(loaded: LoadedScenario) -> None:
    assert messages(loaded, "dynamics.deadline_presure=0") == [
        "--set dynamics.deadline_presure  unknown key 'deadline_presure'; "
        "did you mean 'deadline_pressure'?"
    ]


def test_a_problem_below_the_edit_names_the_set_and_the_field(loaded: LoadedScenario) -> None:
    found = messages(loaded, "members.HUN.stance.rutte={objet: 1}")
    assert found[0].startswith("--set members.HUN.stance.rutte  members.HUN.stance.rutte.objet")
    assert "did you mean 'object'" in found[0]


def test_a_problem_elsewhere_keeps_its_place_and_names_the_edit(loaded: LoadedScenario) -> None:
    found = messages(loaded, "start=2025-01-01")
    assert found[0].startswith(f"{SCENARIO}:")
    assert "end  must be after start (2025-01-01) (after --set start)" in found[0]


def test_every_bad_edit_is_reported_at_once(loaded: LoadedScenario) -> None:
    found = messages(loaded, "members.XYZ.lift_rate=0.1", "events.5.date=2024-01-01")
    assert len(found) == 1 and found[0].startswith("--set events.5.date")
    found = messages(loaded, "members.XYZ.lift_rate=0.1", "members.HUN.lift_rate=-1")
    assert sorted(f.split("  ")[0] for f in found) == [
        "--set members.HUN.lift_rate",
        "--set members.XYZ.lift_rate",
    ]

"""Loading scenarios: merging extends chains, hashing, and mapping every error to a place."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from natosim.errors import Problem, ScenarioError, UserError, describe
from natosim.scenario.loader import (
    MAX_LISTED,
    LoadedScenario,
    load_scenario,
    sort_problems,
    validate_data,
)
from natosim.scenario.validate import validate_files

ROOT = Path(__file__).parent.parent
MINIMAL = """\
name: test
start: 2024-02-23
end: 2024-12-31
candidates:
  rutte: {name: Mark Rutte, home: NLD}
  iohannis:
    {name: Klaus Iohannis, home: ROU, enters: 2024-03-12, withdraws: {rate: 0.1, endorses: rutte}}
defaults: {stance: {support: 0.6, acquiesce: 0.4}, lift_rate: 0.05}
members:
  HUN:
    stance: {rutte: {object: 0.8, conditional: 0.2}, iohannis: acquiesce}
    demands: [{candidate: rutte, description: opt-out, granted_by: rutte, grant_rate: 0.05}]
events:
  - {date: 2024-02-22, kind: endorse, members: [USA, GBR, DEU, FRA], candidate: rutte}
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a temporary directory, so problem paths are short and stable."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_scenario_loads(in_tmp: Path) -> None:
    loaded = load_scenario(write("s.yaml", MINIMAL))
    assert isinstance(loaded, LoadedScenario)
    assert loaded.scenario.name == "test"
    assert loaded.files == (Path("s.yaml"),)
    assert loaded.data["members"]["HUN"]["demands"][0]["grant_rate"] == 0.05


def test_sha256_is_of_the_canonical_json_without_extends(in_tmp: Path) -> None:
    loaded = load_scenario(write("s.yaml", MINIMAL))
    # Unset sources, roster, rule and decisions_from are left out, so older files keep their
    # hash.
    left_out = {"extends", "sources", "roster", "rule", "decisions_from"}
    dumped = loaded.scenario.model_dump(mode="json", exclude=left_out, warnings=False)
    canonical = json.dumps(dumped, sort_keys=True, separators=(",", ":"))
    assert loaded.sha256 == hashlib.sha256(canonical.encode()).hexdigest()


def test_sha256_counts_sources_when_there_are_some(in_tmp: Path) -> None:
    first = load_scenario(write("a.yaml", MINIMAL)).sha256
    cited = MINIMAL + "sources:\n  - {title: NATO, url: 'https://www.nato.int/'}\n"
    assert load_scenario(write("b.yaml", cited)).sha256 != first


def test_sha256_counts_decisions_from_when_it_is_set(in_tmp: Path) -> None:
    first = load_scenario(write("a.yaml", MINIMAL)).sha256
    later = MINIMAL + "decisions_from: 2024-05-01\n"
    assert load_scenario(write("b.yaml", later)).sha256 != first


def test_sha256_ignores_layout_but_not_content(in_tmp: Path) -> None:
    first = load_scenario(write("a.yaml", MINIMAL)).sha256
    relaid = "# a comment\n" + MINIMAL.replace("name: test", "name:   'test'  # same")
    assert load_scenario(write("b.yaml", relaid)).sha256 == first
    changed = MINIMAL.replace("lift_rate: 0.05", "lift_rate: 0.06")
    assert load_scenario(write("c.yaml", changed)).sha256 != first


def test_shipped_scenarios_load() -> None:
    for path in sorted((ROOT / "natosim" / "scenarios").glob("*.yaml")):
        assert load_scenario(path).scenario.name


def test_extends_merges_maps_and_replaces_lists_and_scalars(in_tmp: Path) -> None:
    write("base/base.yaml", MINIMAL)
    top = write(
        "top.yaml",
        "extends: base/base.yaml\nname: top\ndefaults: {lift_rate: 0.1}\n"
        "events: []\nmembers:\n  HUN: {lift_rate: 0.2}\n",
    )
    loaded = load_scenario(top)
    scenario = loaded.scenario
    assert loaded.files == (Path("top.yaml"), Path("base/base.yaml"))
    assert scenario.name == "top"
    assert scenario.defaults.lift_rate == 0.1
    assert scenario.defaults.stance == {"support": 0.6, "acquiesce": 0.4}
    assert scenario.events == []
    assert scenario.members["HUN"].lift_rate == 0.2
    assert len(scenario.members["HUN"].demands) == 1
    assert scenario.extends == "base/base.yaml"
    assert loaded.sha256 == load_scenario(write("same.yaml", _merged_text())).sha256


def _merged_text() -> str:
    text = MINIMAL.replace("name: test", "name: top").replace("lift_rate: 0.05}", "lift_rate: 0.1}")
    text = text.replace("  HUN:\n", "  HUN:\n    lift_rate: 0.2\n")
    return text.split("events:")[0] + "events: []\n"


def test_extends_replaces_a_stance_distribution_whole(in_tmp: Path) -> None:
    write("base.yaml", MINIMAL)
    top = write(
        "top.yaml",
        "extends: base.yaml\nname: top\n"
        "members:\n  HUN:\n    stance: {rutte: {object: 0.5, acquiesce: 0.5}}\n",
    )
    stance = load_scenario(top).scenario.members["HUN"].stance
    assert stance == {"rutte": {"object": 0.5, "acquiesce": 0.5}, "iohannis": "acquiesce"}


def test_extends_chain_of_three(in_tmp: Path) -> None:
    write("a.yaml", MINIMAL)
    write("b.yaml", "extends: a.yaml\nname: b\n")
    loaded = load_scenario(write("c.yaml", "extends: b.yaml\ndescription: c\n"))
    assert loaded.files == (Path("c.yaml"), Path("b.yaml"), Path("a.yaml"))
    assert (loaded.scenario.name, loaded.scenario.description) == ("b", "c")


def test_problems_point_into_the_file_each_node_came_from(in_tmp: Path) -> None:
    write("base.yaml", MINIMAL.replace("lift_rate: 0.05}", "lift_rate: 5}"))
    top = write("top.yaml", "extends: base.yaml\nmembers:\n  HUN: {silence_break: 2}\n")
    assert problems_of(top) == [
        "top.yaml:3:24  members.HUN.silence_break  must be between 0 and 1 (got 2)",
        "base.yaml:8:63  defaults.lift_rate  must be between 0 and 1 (got 5)",
    ]


def test_overridden_base_value_is_not_reported(in_tmp: Path) -> None:
    write("base.yaml", MINIMAL.replace("lift_rate: 0.05}", "lift_rate: 5}"))
    top = write("top.yaml", "extends: base.yaml\ndefaults: {lift_rate: 0.5}\n")
    assert load_scenario(top).scenario.defaults.lift_rate == 0.5


@pytest.mark.parametrize(
    ("extends", "expected"),
    [
        ("self.yaml", "self.yaml:1:10  extends  extends cycle: self.yaml → self.yaml"),
        (
            "nowhere.yaml",
            "self.yaml:1:10  extends  base file not found: nowhere.yaml "
            "(paths are relative to this file)",
        ),
        (
            "[a, b]",
            "self.yaml:1:10  extends  must be a scenario file, "
            "relative to this one, or a bundled scenario's name (got ['a', 'b'])",
        ),
    ],
)
def test_broken_extends_is_reported_at_its_value(in_tmp: Path, extends: str, expected: str) -> None:
    path = write("self.yaml", f"extends: {extends}\nname: x\n")
    assert problems_of(path) == [expected]


def test_extends_cycle_names_the_whole_cycle(in_tmp: Path) -> None:
    write("sub/b.yaml", "extends: ../a.yaml\n")
    path = write("a.yaml", "extends: sub/b.yaml\n")
    assert problems_of(path) == [
        "sub/b.yaml:1:10  extends  extends cycle: a.yaml → sub/b.yaml → a.yaml"
    ]


def test_problems_in_base_and_top_are_reported_together(in_tmp: Path) -> None:
    write("base.yaml", "name: base\nname: again\n")
    path = write("top.yaml", "extends: base.yaml\nstart: [\n")
    assert problems_of(path) == [
        "top.yaml:3:1  YAML syntax error: expected the node content, but found '<stream end>' "
        "(while parsing a flow node)"
    ]
    write("top.yaml", MINIMAL.replace("name: test", "extends: base.yaml\nend: 2024-12-30"))
    assert problems_of(path) == [
        "top.yaml:4:1  end  duplicate key 'end' (first at line 2)",
        "base.yaml:2:1  name  duplicate key 'name' (first at line 1)",
    ]


def test_union_tags_are_dropped_from_field_paths(in_tmp: Path) -> None:
    text = MINIMAL.replace("{object: 0.8, conditional: 0.2}", "{object: 1.8, conditional: -0.8}")
    text = text.replace("[USA, GBR, DEU, FRA]", "[USA, gbr]")
    assert problems_of(write("s.yaml", text)) == [
        "s.yaml:11:30  members.HUN.stance.rutte.object  must be between 0 and 1 (got 1.8)",
        "s.yaml:11:48  members.HUN.stance.rutte.conditional  must be between 0 and 1 (got -0.8)",
        "s.yaml:14:54  events.0.members.1  must be a member code of three upper-case letters, "
        "e.g. 'HUN' (got 'gbr')",
    ]


def test_messages_say_what_would_be_valid(in_tmp: Path) -> None:
    text = MINIMAL.replace("iohannis: acquiesce}", "iohannis: maybe}").replace(
        "name: test\n", "name: test\non_hard_deadline: vacancies\nfrobnicate: 1\n"
    )
    assert problems_of(write("s.yaml", text)) == [
        "s.yaml:2:19  on_hard_deadline  must be one of extension, vacancy; "
        "did you mean 'vacancy'? (got 'vacancies')",
        "s.yaml:3:1  frobnicate  unknown key 'frobnicate'; valid keys: name, description, "
        "sources, extends, body, roster, rule, start, end, round_days, deadlines, "
        "decisions_from, on_hard_deadline, candidates, "
        "defaults, members, events, blocs, dynamics, simulation, outcome",
        "s.yaml:13:64  members.HUN.stance.iohannis  must be one of support, acquiesce, "
        "conditional, object (got 'maybe')",
    ]


def test_long_values_are_cut_in_got(in_tmp: Path) -> None:
    text = MINIMAL.replace("lift_rate: 0.05}", f"lift_rate: '{'x' * 100}'}}")
    (line,) = problems_of(write("s.yaml", text))
    assert line.endswith(f"(got '{'x' * 38}…)")
    assert len(describe("x" * 100)) == 40


def test_what_if_edits_are_validated_with_positions(in_tmp: Path) -> None:
    loaded = load_scenario(write("s.yaml", MINIMAL))
    data = {**loaded.data, "defaults": {**loaded.data["defaults"], "lift_rate": 3}}
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, loaded.sources)
    assert [str(p) for p in caught.value.problems] == [
        "s.yaml:8:63  defaults.lift_rate  must be between 0 and 1 (got 3)"
    ]
    data["members"] = {"HUN": {"stance": "conditional"}}
    with pytest.raises(ScenarioError) as caught:
        validate_data(data)
    assert str(caught.value.problems[-1]).startswith("<data>:1:1  members.HUN.stance  condit")


def test_valid_what_if_edit_returns_the_scenario(in_tmp: Path) -> None:
    loaded = load_scenario(write("s.yaml", MINIMAL))
    edited = {**loaded.data, "name": "what if"}
    assert validate_data(edited, loaded.sources).name == "what if"


def test_validate_files_reports_each_file(in_tmp: Path) -> None:
    good, bad = write("good.yaml", MINIMAL), write("bad.yaml", "name: x\n")
    (first, second) = validate_files([good, bad])
    assert first[0] == good and first[1] is not None and first[2] == ()
    assert second[0] == bad and second[1] is None
    assert [p.message for p in second[2]] == [
        "missing required key 'candidates'",
        "missing required key 'end'",
        "missing required key 'start'",
    ]


def test_problem_format() -> None:
    problem = Problem(Path("a.yaml"), 3, 5, "members.HUN", "unknown member", "'HNU'")
    assert str(problem) == "a.yaml:3:5  members.HUN  unknown member (got 'HNU')"
    whole = Problem(Path("a.yaml"), 1, 1, "", "the file is empty")
    assert str(whole) == "a.yaml:1:1  the file is empty"


def test_scenario_error_is_a_user_error_listing_problems() -> None:
    problems = (Problem(Path("a"), 1, 1, "", "x"), Problem(Path("a"), 2, 1, "f", "y", "1"))
    error = ScenarioError(problems)
    assert isinstance(error, UserError)
    assert str(error) == "a:1:1  x\na:2:1  f  y (got 1)"


def test_sort_problems_orders_by_chain_then_position_and_caps() -> None:
    top, base = Path("top.yaml"), Path("base.yaml")
    problems = [
        Problem(base, 1, 1, "", "b"),
        Problem(top, 9, 1, "", "t"),
        Problem(top, 2, 4, "", "u"),
    ]
    ordered = sort_problems([*problems, problems[0]], [top, base])
    assert [p.message for p in ordered] == ["u", "t", "b"]
    many = [Problem(top, line, 1, "", "m") for line in range(1, MAX_LISTED + 10)]
    capped = sort_problems(many)
    assert len(capped) == MAX_LISTED + 1
    assert capped[-1].message.startswith("more problems not listed")

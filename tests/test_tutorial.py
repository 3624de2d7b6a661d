"""The tutorial's scenario, assembled from its YAML blocks, behaves as the tutorial says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import printed

TUTORIAL = Path(__file__).parent.parent / "docs" / "tutorial.md"
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def assembled(text: str) -> str:
    """The YAML blocks of ``text`` in order, a blank line between them, as a reader's file."""
    return "\n".join(m[1] for m in YAML_BLOCK.finditer(text))


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_mistake_is_reported_as_shown(in_tmp: Path) -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    before, after = text.split("### Make a mistake on purpose")
    yaml = assembled(before).replace("grant_rate: 0.10", "grant_rte: 0.10")
    (in_tmp / "first.yaml").write_text(yaml, encoding="utf-8")
    shown = re.search(r"```\n(first\.yaml:.*?)```", after, re.DOTALL)
    assert shown, "the tutorial lost its error example"
    assert printed("natosim validate first.yaml", cwd=in_tmp).startswith(shown[1])


def test_the_finished_scenario_runs_as_described(in_tmp: Path) -> None:
    (in_tmp / "first.yaml").write_text(assembled(TUTORIAL.read_text("utf-8")), "utf-8")
    valid = printed("natosim validate first.yaml", cwd=in_tmp)
    assert "valid (A fictional race for Secretary General)" in valid
    report = json.loads(
        printed("natosim run first.yaml --trials 2000 --format json", False, in_tmp)
    )
    assert [m["member"] for m in report["members"]] == ["PRT"]
    assert report["seed"] == 1


def test_the_format_reference_shows_the_same_errors() -> None:
    """docs/scenario-format.md quotes the tutorial's error example, which is checked above."""
    tutorial = TUTORIAL.read_text(encoding="utf-8").split("### Make a mistake on purpose")[1]
    reference = (TUTORIAL.parent / "scenario-format.md").read_text(encoding="utf-8")
    example = re.search(r"```\n(first\.yaml:.*?)```", tutorial, re.DOTALL)
    assert example and example[1] in reference


FILE_BLOCK = re.compile(r"```(?:csv|yaml) (\S+)\n(.*?)```", re.DOTALL)
COMMAND_BLOCK = re.compile(r"```console\n\$ (natosim [^\n]*)\n(.*?)```", re.DOTALL)


def test_your_own_body_prints_what_the_section_shows(in_tmp: Path) -> None:
    text = TUTORIAL.read_text(encoding="utf-8").split("## 10. Your own body")[1]
    section = text.split("\n## ")[0]
    files = FILE_BLOCK.findall(section)
    assert [name for name, _ in files] == ["board.csv", "board.yaml"]
    for name, body in files:
        (in_tmp / name).write_text(body, encoding="utf-8")
    commands = COMMAND_BLOCK.findall(section)
    assert len(commands) == 4
    for command, shown in commands:
        assert shown in printed(command, cwd=in_tmp), f"`{command}` prints something else"

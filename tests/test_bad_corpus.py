"""Golden tests: every file in tests/bad gives exactly the problems in its .expected file.

Run ``pytest tests/test_bad_corpus.py --update-golden`` to rewrite the .expected files after an
intended change of wording, then review the diff. Paths in the .expected files are relative
to tests/bad and use ``/``, so they read the same on every machine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from natosim.errors import ScenarioError
from natosim.scenario.loader import load_scenario
from natosim.scenario.yamlio import MAX_FILE_BYTES

BAD = Path(__file__).parent / "bad"
CASES = sorted(path.name for path in BAD.glob("*.yaml"))


def problem_lines(name: str) -> str:
    """The problems of tests/bad/NAME, one per line, as the CLI prints them."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(Path(name))
    lines = [str(problem).replace(os.sep, "/") for problem in caught.value.problems]
    return "".join(line + "\n" for line in lines)


@pytest.mark.parametrize("name", CASES)
def test_bad_file_gives_expected_problems(
    name: str, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    monkeypatch.chdir(BAD)
    actual = problem_lines(name)
    expected = BAD / name.replace(".yaml", ".expected")
    if update_golden:
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def test_every_expected_file_has_a_case() -> None:
    expected = sorted(path.name.replace(".expected", ".yaml") for path in BAD.glob("*.expected"))
    assert expected == CASES


def test_several_mistakes_are_reported_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(Path("several_mistakes.yaml"))
    lines = {problem.line for problem in caught.value.problems}
    assert len(caught.value.problems) >= 10
    assert len(lines) >= 8


def test_too_large_file_is_refused_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("large.yaml").write_text("a: 1\n" * (MAX_FILE_BYTES // 5 + 1), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(Path("large.yaml"))
    assert time.perf_counter() - started < 2.0
    assert [str(p) for p in caught.value.problems] == [
        "large.yaml:1:1  the file is larger than 1024 KiB (1 MiB)"
    ]


def test_alias_bomb_is_refused_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    started = time.perf_counter()
    with pytest.raises(ScenarioError):
        load_scenario(Path("alias_bomb.yaml"))
    assert time.perf_counter() - started < 2.0

"""The README's commands are the ones CI runs, and its example output is what natosim prints."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import run_natosim

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
MARKER = re.compile(
    r"<!-- output of: natosim (?P<args>.+?) \(first (?P<lines>\d+) lines\) -->\n```text\n"
    r"(?P<body>.*?)```",
    re.DOTALL,
)


def quick_start() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Quick start")[1].split("\n## ")[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_command_lines() -> None:
    commands = quick_start()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert commands[0].endswith("natosim run nato-2024-rutte")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start()[1] in ci.splitlines()


def test_example_output_is_what_natosim_prints(update_golden: bool) -> None:
    text = README.read_text(encoding="utf-8")
    found = MARKER.search(text)
    assert found, "README lost its example output block"
    result = run_natosim(*found["args"].split(), "--workers", "1", columns=None)
    assert result.returncode == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()[: int(found["lines"])]]
    printed = "\n".join(lines) + "\n"
    if update_golden:
        start, end = found.span("body")
        README.write_text(text[:start] + printed + text[end:], encoding="utf-8")
    else:
        assert found["body"] == printed, "README example is stale: pytest --update-golden"


def test_the_python_example_runs() -> None:
    section = README.read_text(encoding="utf-8").split("## From Python")[1].split("\n## ")[0]
    code = re.findall(r"```python\n(.+?)```", section, re.DOTALL)
    assert len(code) == 1
    namespace: dict[str, object] = {}
    exec(compile(code[0], "README.md", "exec"), namespace)
    assert namespace["result"].probability("rutte") > 0.5  # type: ignore[attr-defined]

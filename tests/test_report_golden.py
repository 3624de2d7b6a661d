"""Golden files of ``natosim run`` (table, narrow table, Markdown, CSV, comparison), checked
against the JSON of the same run, and the docs page that shows them.

Rewrite them with ``pytest tests/test_report_golden.py --update-golden`` after a change to
the report, the engine or the 2024 scenario, and read the diff before committing it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from helpers import outward, shown
from typer.testing import CliRunner

from natosim.cli import app

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden"
DOC = ROOT / "docs" / "reading-the-report.md"
SCENARIO = "nato-2024-rutte"
VARIANT = "tests/golden/hungary-supports.yaml"
FIXED = ("--seed", "2024", "--trials", "8192", "--workers", "1", "--quiet")

CASES: dict[str, tuple[str, ...]] = {
    "run-2024.txt": (SCENARIO, *FIXED, "--width", "100"),
    "run-2024-narrow.txt": (SCENARIO, *FIXED, "--width", "60"),
    "run-2024.md": (SCENARIO, *FIXED, "--format", "markdown"),
    "run-2024.csv": (SCENARIO, *FIXED, "--format", "csv"),
    "compare-2024.txt": (SCENARIO, VARIANT, *FIXED, "--width", "100"),
    "compare-2024.md": (SCENARIO, VARIANT, *FIXED, "--format", "markdown"),
}

_SECONDS = re.compile(r"\d+\.\d\d s\b")


def run_cli(*args: str) -> str:
    """``natosim run ARGS`` in this process, from the repository root, without colour."""
    result = CliRunner().invoke(app, ["run", *args], env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stdout


def normalise(text: str) -> str:
    """Wall times vary from run to run: they read ``N.NN s``; trailing spaces are dropped."""
    lines = (_SECONDS.sub("N.NN s", line).rstrip() for line in text.splitlines())
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module", autouse=True)
def _at_root() -> object:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        yield


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return {name: normalise(run_cli(*args)) for name, args in CASES.items()}


@pytest.fixture(scope="module")
def doc_json() -> dict[str, object]:
    return json.loads(run_cli(SCENARIO, *FIXED, "--format", "json"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", CASES)
def test_output_matches_its_golden_file(name: str, outputs: dict[str, str], update_golden: bool):  # type: ignore[no-untyped-def]
    path = GOLDEN / name
    if update_golden:
        path.write_text(outputs[name], encoding="utf-8")
    assert outputs[name] == path.read_text(encoding="utf-8"), f"run with --update-golden: {name}"


# --- the numbers in the golden files are those of the JSON -----------------------------------


def line_with(text: str, start: str) -> str:
    """The first table row of ``text`` whose first cell starts with ``start``."""
    for line in text.splitlines():
        if line[:1] in "│|" and line.lstrip("│| ").startswith(start):
            return line
    raise AssertionError(f"no line starts with {start!r}")


def after(text: str, title: str) -> str:
    """``text`` from the line that is the table title ``title`` (or its Markdown heading)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip("# ") == title)
    return "\n".join(lines[start:])


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"[│|]", line) if cell.strip()]


@pytest.mark.parametrize("name", ["run-2024.txt", "run-2024.md"])
def test_table_numbers_are_the_json_numbers(name: str, doc_json: dict, update_golden: bool) -> None:  # type: ignore[type-arg]
    text = (GOLDEN / name).read_text(encoding="utf-8")
    for o in doc_json["outcomes"]:
        row = cells(line_with(after(text, "Outcomes"), o["label"]))
        assert row[1:3] == [shown(o["probability"]), outward(o["ci_low"], o["ci_high"])], row
    for d in doc_json["deadlines"]:
        row = cells(line_with(after(text, "Deadlines"), d["name"] + " "))
        assert row[1] == d["date"] and row[-2:] == [
            shown(d["p_decided_by"]),
            outward(d["ci_low"], d["ci_high"]),
        ], row
    for m in doc_json["members"]:
        row = cells(line_with(after(text, "Holdouts"), f"{m['member']} {m['name']}"))
        expected = [
            shown(m["p_ever_blocks_winner"]),
            shown(m["p_ever_blocks"]),
            shown(m["p_last_holdout"]),
            f"{m['mean_rounds_blocking']:.1f}",
            shown(m["p_sole_blocker_at_hard_deadline"]),
        ]
        assert row[1:] == expected, row
    for c in doc_json["candidates"]:
        row = cells(line_with(after(text, "Candidates"), c["name"] + " "))
        assert row[1:3] == [shown(c["p_appointed"]), shown(c["p_withdrawn"])], row
    timing = doc_json["timing"]
    assert " ".join(timing.values()) in " ".join(cells(line_with(text, timing["p10_date"])))
    best = max(doc_json["outcomes"], key=lambda o: o["probability"])
    value = f"{shown(best['probability'])} ({outward(best['ci_low'], best['ci_high'])})"
    assert re.search(rf"{re.escape(best['label'])}:? +{re.escape(value)}", text)


def test_csv_numbers_are_the_json_numbers(doc_json: dict) -> None:  # type: ignore[type-arg]
    rows = list(csv.DictReader(io.StringIO((GOLDEN / "run-2024.csv").read_text(encoding="utf-8"))))
    by_table: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_table.setdefault(row["table"], []).append(row)
        assert (row["seed"], row["trials"]) == ("2024", "8192")
    pairs = [
        ("outcomes", "outcomes", "probability", "probability"),
        ("deadlines", "deadlines", "probability", "p_decided_by"),
        ("cumulative", "cumulative", "probability", "p_appointed_by"),
        ("holdouts", "members", "p_last_holdout", "p_last_holdout"),
        ("holdouts", "members", "p_ever_blocks_winner", "p_ever_blocks_winner"),
        ("holdouts", "members", "mean_rounds_blocking", "mean_rounds_blocking"),
        ("demands", "demands", "p_granted", "p_granted"),
        ("candidates", "candidates", "p_withdrawn", "p_withdrawn"),
    ]
    for table, key, column, field in pairs:
        assert [float(r[column]) for r in by_table[table]] == [
            item[field] for item in doc_json[key]
        ], table
    needed = by_table["needed_demand"][0]
    assert float(needed["probability"]) == doc_json["p_appointment_needed_demand"]
    assert [r["date"] for r in by_table["timing"]] == list(doc_json["timing"].values())


def test_comparison_golden_shows_both_scenarios_and_a_paired_difference() -> None:
    text = (GOLDEN / "compare-2024.txt").read_text(encoding="utf-8")
    assert "B − A" in text and "paired trial by trial over the first 8,192 trials" in text
    assert SCENARIO in text and VARIANT in text


# --- the docs page shows the golden files ---------------------------------------------------

_BLOCK = re.compile(
    r"<!-- golden: (?P<name>[\w.-]+)(?:#(?P<part>\d+))? -->\n```(?P<lang>\w*)\n(?P<body>.*?)```",
    re.DOTALL,
)


def golden_part(name: str, part: str | None) -> str:
    """A golden file, or its ``part``-th block of lines separated by blank lines (from 1)."""
    text = (GOLDEN / name).read_text(encoding="utf-8")
    if part is None:
        return text
    blocks = [b.strip("\n") + "\n" for b in re.split(r"\n\s*\n", text) if b.strip()]
    return blocks[int(part) - 1]


def test_the_docs_show_the_golden_output(update_golden: bool) -> None:
    doc = DOC.read_text(encoding="utf-8")
    found = list(_BLOCK.finditer(doc))
    assert len(found) >= 8, "docs/reading-the-report.md should show the report, table by table"
    if update_golden:
        doc = _BLOCK.sub(
            lambda m: m.group(0).replace(
                m.group("body"), golden_part(m.group("name"), m.group("part"))
            ),
            doc,
        )
        DOC.write_text(doc, encoding="utf-8")
        found = list(_BLOCK.finditer(doc))
    for match in found:
        expected = golden_part(match.group("name"), match.group("part"))
        assert match.group("body") == expected, (
            f"docs/reading-the-report.md is stale at {match.group('name')}"
            f"#{match.group('part')}: run pytest --update-golden"
        )

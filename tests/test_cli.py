"""The command line, run as a real subprocess: exit codes, outputs, no tracebacks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers import run_natosim

ROOT = Path(__file__).parent.parent
SCENARIO = ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml"


def natosim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m natosim ARGS`` with plain output at a fixed width."""
    return run_natosim(*args, columns=160, cwd=cwd)


def test_validate_accepts_every_bundled_scenario() -> None:
    files = sorted(str(p) for p in (ROOT / "natosim" / "scenarios").glob("*.yaml"))
    result = natosim("validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": valid") == len(files)


def test_validate_reports_problems_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nstart: 2024-02-23\nend: 2024-01-01\ncandidates: {rutte: {name: R}}\n"
        "members: {HNU: {lift_rat: 2}}\n"
    )
    result = natosim("validate", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:5:" in result.stderr and "HUN" in result.stderr
    assert "lift_rate" in result.stderr


def test_a_directory_or_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    for target in (tmp_path, tmp_path / "missing.yaml"):
        result = natosim("show", str(target))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and result.stderr.strip()


def test_usage_errors_exit_2() -> None:
    assert natosim("run").returncode == 2
    assert natosim("run", str(SCENARIO), "--trials", "0").returncode == 2
    assert natosim("run", str(SCENARIO), "--engine", "warp").returncode == 2
    assert natosim("no-such-command").returncode == 2


def test_show_prints_the_stance_matrix_with_sweden_joining() -> None:
    result = natosim("show", str(SCENARIO))
    assert result.returncode == 0, result.stderr
    assert "31 members at the start, 32 by the end" in result.stdout
    lines = [line for line in result.stdout.splitlines() if line.startswith("│ SWE")]
    assert lines and "2024-03-08" in lines[0]


def test_show_prints_the_mechanisms_ties_blocs_and_settling_deadlines() -> None:
    result = natosim("show", str(ROOT / "natosim" / "scenarios" / "nato-2024-rutte-april.yaml"))
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "deadline pressure 3.5, isolation 1, influence 1, package 0, following 0.25" in out
    assert "Following: HUN follows ROU; SVK follows ROU" in out
    assert "Bloc: baltic (EST, LVA, LTU), correlation 0.5" in out
    summit = [line for line in result.stdout.splitlines() if line.startswith("│ Washington")]
    assert summit and summit[0].rstrip("│ ").endswith("0.5")


def test_schema_prints_the_committed_schema() -> None:
    result = natosim("schema")
    assert result.returncode == 0
    assert result.stdout == (ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8")


def test_run_json_is_identical_for_one_and_two_workers() -> None:
    docs = []
    for workers in ("1", "2"):
        result = natosim(
            "run", str(SCENARIO), "--format", "json", "--trials", "6000", "--workers", workers
        )
        assert result.returncode == 0, result.stderr
        doc = json.loads(result.stdout)
        assert doc["workers"] == int(workers)
        docs.append({k: v for k, v in doc.items() if k not in ("workers", "seconds")})
    assert docs[0] == docs[1]


def test_run_table_has_headline_and_footer() -> None:
    result = natosim("run", str(SCENARIO), "--trials", "2000", "--seed", "3", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "Mark Rutte appointed:" in result.stdout
    assert "seed 3 · 2,000 trials · engine fast" in result.stdout


def test_reference_engine_runs_from_the_command_line() -> None:
    result = natosim(
        "run",
        str(SCENARIO),
        "--engine",
        "reference",
        "--trials",
        "200",
        "--format",
        "json",
        "--workers",
        "1",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["engine"] == "reference"


def test_version() -> None:
    result = natosim("--version")
    assert result.returncode == 0 and result.stdout.startswith("natosim ")


def test_problem_text_is_printed_verbatim(tmp_path: Path) -> None:
    """Text from the user's file is never read as rich markup or emoji codes."""
    bad = tmp_path / "odd.yaml"
    bad.write_text("root:x:0:[bold]0[/bold]\n")
    result = natosim("validate", str(bad))
    assert result.returncode == 1
    assert "root:x:0:[bold]0[/bold]" in result.stderr

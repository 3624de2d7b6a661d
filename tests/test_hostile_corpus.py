"""The hostile-input corpus of issue 10: each case's exit status and first line of stderr.

The cases are in ``tests/hostile/cases.txt``, with the files they use beside it; each runs
``python -m natosim`` as a real subprocess, in a temporary copy of that directory, with a
timeout (a hang fails the case). Files outside the temporary directory are never named.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
HOSTILE = Path(__file__).parent / "hostile"
LONG = "a" * 300 + ".yaml"
TIMEOUT = 60
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
"""Run this checkout's natosim even from another directory (not an installed copy)."""


@dataclass(frozen=True)
class Case:
    """One command of the corpus and what it must give."""

    name: str
    status: int
    args: str
    first_line: str


def read_cases() -> list[Case]:
    """The cases of ``cases.txt``, in file order."""
    cases = []
    for line in (HOSTILE / "cases.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, status, args, first = (part.strip() for part in line.split(" | ", 3))
            cases.append(Case(name, int(status), args, first))
    return cases


def arena(where: Path) -> Path:
    """A copy of the corpus with the special files the cases need."""
    work = where / "arena"
    shutil.copytree(HOSTILE, work)
    shutil.copy(ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml", work / "S.yaml")
    shutil.copy(
        ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml", work / "nato-2024-rutte.yaml"
    )
    shutil.copy(
        ROOT / "natosim" / "scenarios" / "nato-2024-rutte-ranges.yaml", work / "R.yaml"
    )  # extends it
    os.mkfifo(work / "fifo")
    (work / "loop1").symlink_to("loop2")
    (work / "loop2").symlink_to("loop1")
    (work / "read-only.txt").write_text("keep", encoding="utf-8")
    (work / "read-only.txt").chmod(0o444)
    return work


def natosim(work: Path, args: str) -> subprocess.CompletedProcess[str]:
    """Run one case's command in ``work``."""
    argv = [part.replace("{LONG}", LONG) for part in args.split()]
    return subprocess.run(
        [sys.executable, "-m", "natosim", *argv],
        capture_output=True,
        text=True,
        cwd=work,
        env={**ENV, "NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"},
        timeout=TIMEOUT,
        check=False,
    )


CASES = read_cases()


def test_case_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    work = arena(tmp_path)
    result = natosim(work, case.args)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    first = lines[0] if lines else "-"
    assert (result.returncode, first) == (case.status, case.first_line.replace("{LONG}", LONG))

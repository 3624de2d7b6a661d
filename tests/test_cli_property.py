"""Property test of the command line: random arguments and mutated scenarios never crash it.

Each example runs ``python -m natosim`` as a real subprocess, in a temporary directory, with
a command, options and files drawn by hypothesis (a small valid scenario, a copy with one
line's value replaced by a hostile one, a missing file, a directory). Whatever comes, the
exit status is 0, 1, 2 or 130, stderr has no traceback, the process stays under 1 GiB, and
no file outside the temporary directory changes. Twelve fixed examples, so CI stays quick;
``NATOSIM_PROPERTY_EXAMPLES=200`` runs that many random ones.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).parent.parent
SMALL = (Path(__file__).parent / "hostile" / "small.yaml").read_text(encoding="utf-8")
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    "NO_COLOR": "1",
    "COLUMNS": "100",
}
GIB_KB = 1024 * 1024

HOSTILE_VALUES = [
    "true",
    "-1",
    "0",
    "1e309",
    ".nan",
    "''",
    "'   '",
    "[]",
    "{}",
    "~",
    "2**70",
    "99999999999999999999999",
    "0001-01-01",
    "9999-12-31",
    '"\\e[2J"',
    "x" * 300,
    "{low: 1, high: 0}",
    "!!python/object:os.system ls",
    "*alias",
    "&a 1",
]
COMMANDS = ["validate", "show", "run", "explain", "whatif", "sweep", "schema", "bogus"]
OPTIONS = st.sampled_from(
    [
        ["--trials", "100"],
        ["--trials", "0"],
        ["--trials", "-5"],
        ["--trials", "1000000000000000"],
        ["--seed", "1180591620717411303424"],
        ["--seed", "3"],
        ["--workers", "2"],
        ["--workers", "0"],
        ["--precision", "1e-300"],
        ["--precision", "0.05"],
        ["--max-trials", "8192"],
        ["--format", "json"],
        ["--format", "csv"],
        ["--format", "xml"],
        ["-o", "out.json"],
        ["-o", "-"],
        ["-o", "scenario.yaml"],
        ["-o", "newdir/"],
        ["--set", "extends=x.yaml"],
        ["--set", "deadlines=[]"],
        ["--set", "simulation.trials=true"],
        ["--vary", "defaults.lift_rate=0:0.1:3"],
        ["--vary", "defaults.lift_rate=0:0.1:1"],
        ["--outcome", "nobody"],
        ["--trial", "5"],
        ["-q"],
        ["--detail"],
        ["--width", "20"],
    ]
)
FILES = st.sampled_from(["scenario.yaml", "mutant.yaml", "missing.yaml", "adir", "."])


def mutate(text: str, line: int, value: str) -> str:
    """``text`` with the value of one ``key: value`` line replaced."""
    lines = text.splitlines()
    index = line % len(lines)
    key, colon, _ = lines[index].partition(":")
    if colon:
        lines[index] = f"{key}: {value}"
    return "\n".join(lines) + "\n"


def tree_digest(root: Path) -> str:
    """A digest of every file under the repository's scenarios/, docs/ and tests/ folders."""
    digest = hashlib.sha256()
    for folder in ("scenarios", "docs", "tests/hostile", "tests/bad"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.skipif(sys.platform != "linux", reason="measures memory with getrusage")
@settings(
    max_examples=int(os.environ.get("NATOSIM_PROPERTY_EXAMPLES", "12")),
    deadline=None,
    derandomize="NATOSIM_PROPERTY_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(COMMANDS),
    options=st.lists(OPTIONS, max_size=3),
    files=st.lists(FILES, min_size=0, max_size=2),
    line=st.integers(0, 20),
    value=st.sampled_from(HOSTILE_VALUES),
)
def test_random_command_lines_end_cleanly(
    command: str, options: list[list[str]], files: list[str], line: int, value: str
) -> None:
    before = tree_digest(ROOT)
    with tempfile.TemporaryDirectory() as work:
        here = Path(work)
        (here / "scenario.yaml").write_text(SMALL, encoding="utf-8")
        (here / "mutant.yaml").write_text(mutate(SMALL, line, value), encoding="utf-8")
        (here / "adir").mkdir()
        argv = [command, *files, *(part for option in options for part in option)]
        result = subprocess.run(
            [sys.executable, "-m", "natosim", *argv],
            capture_output=True,
            text=True,
            cwd=here,
            env=ENV,
            timeout=120,
            check=False,
        )
        assert (here / "scenario.yaml").read_text(encoding="utf-8") == SMALL, argv
    assert result.returncode in (0, 1, 2, 130), (argv, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, (argv, result.stderr[-2000:])
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < GIB_KB
    assert tree_digest(ROOT) == before

"""Lint, format and strict typing are part of the suite, so CI enforces them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )


def test_ruff_lint() -> None:
    result = tool("ruff", "check", "natosim", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = tool("ruff", "format", "--check", "natosim", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = tool("mypy", "natosim")
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_point_one_way() -> None:
    """The engine, model, trials and results never import YAML, rich or typer.

    (tests/test_layers.py checks every import against the layers; this adds the libraries.)
    """
    inner = ["engine", "engine/fast", "engine/reference", "model", "trials", "results"]
    forbidden = ("import typer", "from typer", "import rich", "from rich", "ruamel", "yaml")
    for name in inner:
        path = ROOT / "natosim" / name
        for source in [path] if path.is_file() else sorted(path.glob("*.py")):
            text = source.read_text(encoding="utf-8")
            for word in forbidden:
                assert word not in text, f"{source} mentions {word!r}"

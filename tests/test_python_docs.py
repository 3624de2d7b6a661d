"""docs/python.md is a tested artifact: its snippets run in order, and each output shown is
what the snippet before it printed.

A ```python block is run in one namespace shared by the whole page, in a temporary folder;
when the next block is an ```output block, it must equal what the snippet printed.
``pytest --update-golden tests/test_python_docs.py`` rewrites the outputs instead.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "python.md"
BLOCK = re.compile(r"```python\n(.*?)```\n(?:\n```output\n(.*?)```\n)?", re.DOTALL)


def run_page(folder: Path) -> list[tuple[re.Match[str], str]]:
    """Run every snippet; return each block with what it printed."""
    namespace: dict[str, Any] = {"__name__": "docs_python"}
    printed = []
    before = Path.cwd()
    os.chdir(folder)
    try:
        for block in BLOCK.finditer(PAGE.read_text(encoding="utf-8")):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(block[1], str(PAGE), "exec"), namespace)
            printed.append((block, out.getvalue()))
    finally:
        os.chdir(before)
    return printed


def test_every_snippet_runs_and_prints_what_the_page_shows(
    tmp_path: Path, update_golden: bool
) -> None:
    pytest.importorskip("pandas")
    results = run_page(tmp_path)
    assert len(results) >= 8, "docs/python.md lost its snippets"
    if update_golden:
        text = PAGE.read_text(encoding="utf-8")
        for block, out in reversed(results):
            if block[2] is not None:
                start, end = block.span(2)
                text = text[:start] + out + text[end:]
        PAGE.write_text(text, encoding="utf-8")
        return
    for block, out in results:
        if block[2] is not None:
            assert out == block[2], (
                f"docs/python.md: this snippet prints something else:\n{block[1]}"
            )
    assert (tmp_path / "cdf.png").stat().st_size > 10_000

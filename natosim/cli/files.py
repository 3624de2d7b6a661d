"""The scenario files a report covers: glob patterns expanded, every file loaded up front."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from natosim.errors import Problem, ScenarioError, UserError
from natosim.model.prepared import Prepared, prepare

_MAGIC = "*?["


def expand_patterns(files: Sequence[Path]) -> list[Path]:
    """Expand the glob patterns a shell left alone (quoted, or on Windows), in sorted order.

    A path that exists, or has no pattern characters, is kept as given.

    Raises:
        UserError: When a pattern matches no file.
    """
    paths: list[Path] = []
    for file in files:
        if file.exists() or not any(char in str(file) for char in _MAGIC):
            paths.append(file)
            continue
        matches = sorted(glob.glob(str(file), recursive=True))  # noqa: PTH207 (absolute patterns)
        if not matches:
            raise UserError(f"no file matches {file}")
        paths.extend(Path(match) for match in matches)
    return paths


def prepare_all(paths: Sequence[Path]) -> list[Prepared]:
    """Load and compile every file before running any.

    Why: a typo in the third file should stop the command at once, with the problems of every
    file listed together, not after the first two have run.

    Raises:
        ScenarioError: With every problem of every file that does not load.
    """
    prepared: list[Prepared] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            prepared.append(prepare(path))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    return prepared

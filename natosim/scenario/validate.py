"""Check scenario files for ``natosim validate FILE...``: every problem of every file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from natosim.errors import Problem, ScenarioError
from natosim.scenario.loader import LoadedScenario, load_scenario


def validate_files(
    paths: Sequence[Path],
) -> list[tuple[Path, LoadedScenario | None, tuple[Problem, ...]]]:
    """Load each file; ``(path, scenario, ())`` when valid, ``(path, None, problems)`` if not.

    Why: one bad file must not hide the problems of the next, so each file's
    :class:`ScenarioError` is caught and returned rather than raised.
    """
    results: list[tuple[Path, LoadedScenario | None, tuple[Problem, ...]]] = []
    for path in paths:
        try:
            results.append((path, load_scenario(path), ()))
        except ScenarioError as error:
            results.append((path, None, error.problems))
    return results

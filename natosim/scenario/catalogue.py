"""The bundled scenarios listed: names, titles, as-of dates and whether each is a back-test case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natosim.errors import ScenarioError
from natosim.scenario.extends import read_chain
from natosim.scenario.library import bundled_names, bundled_path
from natosim.scenario.sourcemap import Position


@dataclass(frozen=True)
class BundledScenario:
    """One file of the bundled library.

    Attributes:
        name: What to type on the command line: the file name without ``.yaml``.
        path: Where the file is installed.
        title: The scenario's ``name``.
        as_of: The scenario's ``start``: what was public then is all it uses.
        has_outcome: Whether the file itself records what happened (not only a file it
            extends): such a file is a back-test case.
        files: The file and the files it extends, which a copy needs too.
    """

    name: str
    path: Path
    title: str
    as_of: dt.date
    has_outcome: bool
    files: tuple[Path, ...]


def describe(name: str) -> BundledScenario:
    """Read one bundled file far enough to list it (its ``extends`` chain merged, not validated).

    Raises:
        ScenarioError: If the file cannot be read (a broken installation).
    """
    path = bundled_path(name)
    if path is None:
        raise KeyError(name)
    chain = read_chain(path)
    if chain.data is None:
        raise ScenarioError(chain.problems)
    start = chain.data.get("start")
    return BundledScenario(
        name=path.stem,
        path=path,
        title=str(chain.data.get("name", "")),
        as_of=start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start)),
        has_outcome=_own_outcome(chain.data, chain.sources.keys.get(("outcome",)), path),
        files=chain.files,
    )


def catalogue() -> list[BundledScenario]:
    """Every bundled scenario, in name order."""
    return [describe(name) for name in bundled_names()]


def _own_outcome(data: dict[str, Any], where: Position | None, path: Path) -> bool:
    """Whether ``path`` writes an ``outcome`` block itself."""
    return data.get("outcome") is not None and where is not None and where.file == path

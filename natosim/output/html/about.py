"""What a page says about a scenario beyond its numbers: description, sources, the real outcome.

Why apart from the report: a :class:`~natosim.results.report.RunReport` holds what the run produced;
these are words from the scenario file, read once by the command that loaded it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from natosim.model.prepared import Prepared
from natosim.scenario.schema import NON_APPOINTMENTS, Source


@dataclass(frozen=True)
class About:
    """The scenario's own words, and where its file is.

    Attributes:
        description: The file's ``description``, if any.
        sources: The file's ``sources`` list.
        actual: The date of the real appointment, when the file records one.
        path: The scenario file.
    """

    description: str | None
    sources: tuple[Source, ...]
    actual: dt.date | None
    path: Path


def about(prepared: Prepared) -> About:
    """The words of a loaded scenario that its page shows."""
    scenario = prepared.loaded.scenario
    outcome = scenario.outcome
    appointed = outcome is not None and outcome.appointed not in NON_APPOINTMENTS
    return About(
        scenario.description,
        tuple(scenario.sources),
        outcome.date if outcome is not None and appointed else None,
        prepared.loaded.path,
    )


def file_link(path: Path, page: Path | None) -> str:
    """The address of the scenario file as seen from the page's folder (or the current one).

    Why relative: the page and the scenario usually travel together (a folder, an archive), and
    an absolute ``file:`` address would only work on the machine that wrote the page.
    """
    folder = page.parent if page is not None else Path.cwd()
    try:
        relative = os.path.relpath(path.resolve(), folder.resolve())
    except ValueError:  # another drive, on Windows
        relative = str(path.resolve())
    return quote(Path(relative).as_posix())

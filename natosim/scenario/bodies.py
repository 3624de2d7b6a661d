"""Which roster a scenario uses: a built-in body, a roster file, or a roster written inline.

Why here: a roster file is read relative to the scenario that names it, and its problems
are placed in the roster file (``file:line:col  column  message``). A file's rows are then
written into the scenario as an inline ``roster``, so that everything after loading (the
schema, the hash, ``natosim show``, the compiled model) sees one roster, whatever its origin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from natosim.errors import Problem
from natosim.roster.builtin import BODIES, DEFAULT_RULES, load_roster
from natosim.roster.members import Roster, RosterMember
from natosim.roster.table import check_columns, read_csv, read_rows
from natosim.scenario.schema import Scenario
from natosim.scenario.sourcemap import Finding, NodePath, SourceMap
from natosim.scenario.yamlio import read_text, read_yaml

ROSTER_SUFFIXES = (".csv", ".yaml", ".yml")


def attach_roster_file(
    data: dict[str, Any], sources: SourceMap
) -> tuple[dict[str, Any], list[Problem]]:
    """``data`` with the roster file its ``body`` names written in as ``roster``.

    A built-in body, an inline roster or a body that is not text leave ``data`` as it is.
    """
    body = data.get("body")
    if not isinstance(body, str) or body in BODIES or "roster" in data:
        return data, []
    where = sources.value(("body",))
    path = where.file.parent / body
    if path.suffix.lower() not in ROSTER_SUFFIXES or not path.is_file():
        known = ", ".join(BODIES)
        message = f"not a built-in body ({known}) nor a roster file (.csv, .yaml) found"
        return data, [Problem(where.file, where.line, where.column, "body", message, body)]
    roster, problems = _read_file(path)
    if problems:
        return data, problems
    return {**data, "roster": roster_rows(roster)}, []


def _read_file(path: Path) -> tuple[Roster, list[Problem]]:
    if path.suffix.lower() == ".csv":
        text = read_text(path)
        if isinstance(text, Problem):
            return Roster(path.stem, ()), [text]
        roster, found = read_csv(path.stem, text)
        return roster, [Problem(path, p.line, p.col, p.column, p.message, p.got) for p in found]
    return _read_yaml_roster(path)


def _read_yaml_roster(path: Path) -> tuple[Roster, list[Problem]]:
    document = read_yaml(path)
    rows = (document.data or {}).get("members")
    if document.problems or not isinstance(rows, list):
        message = "a YAML roster is a mapping with a list 'members' of rows"
        return Roster(path.stem, ()), list(document.problems) or [Problem(path, 1, 1, "", message)]
    mappings = [row if isinstance(row, Mapping) else {} for row in rows]
    columns = sorted({str(key) for row in mappings for key in row})
    found: list[tuple[NodePath, str, str, str | None]] = [
        (("members",), p.column, p.message, p.got) for p in check_columns(columns)
    ]
    roster, row_problems = read_rows(path.stem, mappings)
    found += [(("members", p.row, p.column), p.column, p.message, p.got) for p in row_problems]
    problems = []
    for node, column, message, got in found:
        at = document.sources.value(node)
        problems.append(Problem(path, at.line, at.column, column, message, got))
    return roster, problems


def roster_rows(roster: Roster) -> list[dict[str, Any]]:
    """The inline ``roster`` rows of a roster: one per member and term."""
    return [
        _row(member, first, last) for member in roster.members for first, last in member.periods
    ]


def _row(member: RosterMember, first: dt.date, last: dt.date | None) -> dict[str, Any]:
    row: dict[str, Any] = {"code": member.code, "name": member.name, "accession": first}
    optional = {
        "leaves": last,
        "population_m": member.population_m,
        "permanent": member.permanent or None,
        "clout": member.weight,
    }
    return row | {key: value for key, value in optional.items() if value is not None}


def raw_roster(data: Mapping[str, Any]) -> tuple[Roster, list[Finding]]:
    """The roster that raw scenario ``data`` names, and the problems of an inline roster.

    A body that is neither built in nor written inline (a roster file that could not be
    read) gives an empty roster: its problems are reported where the file is read.
    """
    rows = data.get("roster")
    body = data.get("body", "nato")
    if isinstance(rows, list):
        mappings = [row for row in rows if isinstance(row, Mapping)]
        roster, problems = read_rows(str(body), mappings)
        findings = [
            Finding(("roster", p.row, p.column), p.message, p.got)
            for p in problems
            if "overlaps" in p.message or p.message.startswith("must not come before")
        ]
        return roster, findings
    if isinstance(body, str) and body in BODIES:
        return load_roster(body), []
    return Roster(str(body), ()), []


def scenario_roster(scenario: Scenario) -> Roster:
    """The roster of a validated scenario: its inline roster, else the built-in body's."""
    if scenario.roster is None:
        return load_roster(scenario.body)
    rows = [entry.model_dump(exclude_none=True) for entry in scenario.roster]
    roster, problems = read_rows(scenario.body, rows)
    if problems:
        raise ValueError(f"roster: {problems[0].message}")
    return roster


def default_rule(scenario: Scenario) -> str:
    """The name of the rule a scenario uses when it names none: its built-in body's own."""
    return DEFAULT_RULES.get(scenario.body, "unanimity")

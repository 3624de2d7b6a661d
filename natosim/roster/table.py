"""Read a roster from rows of named values: the built-in CSV files, a roster file, inline.

Why one reader for all three: a roster written by a user has the columns of the built-in
data (docs/roster.md, "Columns"), and the same checks apply to both. Problems are returned
with their row and column, so that the caller can place them in the file they came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from natosim.roster.members import Roster, RosterMember, Term

REQUIRED: tuple[str, ...] = ("code", "name", "accession")
"""Columns every roster has."""

_CODE = re.compile(r"[A-Z]{3}")
_MAX_CLOUT = 1000.0


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise ValueError("expected a date, YYYY-MM-DD")


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except ValueError:
        raise ValueError("expected a number") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError("expected a number of at least 0")
    return number


def _whole(value: Any) -> int:
    if isinstance(value, (bool, float)):
        raise ValueError("expected a whole number")
    return int(value.strip()) if isinstance(value, str) else int(value)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ValueError("expected true or false")
    return text == "true"


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected text that is not empty")
    return value.strip()


OPTIONAL: dict[str, Callable[[Any], Any]] = {
    "leaves": _date,
    "gdp_usd_bn": _number,
    "gdp_year": _whole,
    "population_m": _number,
    "population_year": _whole,
    "defence_pct_gdp": _number,
    "defence_year": _whole,
    "eu_member": _flag,
    "permanent": _flag,
    "clout": _number,
}
"""Columns a roster may have, each with its reader; ``*_source`` columns are free text."""

_FIELDS = {"code": _text, "name": _text, "accession": _date, **OPTIONAL}


@dataclass(frozen=True)
class RowProblem:
    """A problem in one row (0-based; -1 for the header) and column of a roster table."""

    row: int
    column: str
    message: str
    got: str | None = None


def check_columns(columns: Sequence[str]) -> list[RowProblem]:
    """Problems with a table's columns: required ones missing, unknown ones present."""
    missing = [
        RowProblem(-1, name, f"missing column '{name}'; a roster needs {', '.join(REQUIRED)}")
        for name in REQUIRED
        if name not in columns
    ]
    unknown = [
        RowProblem(-1, name, f"unknown column '{name}'; see docs/roster.md for the columns")
        for name in columns
        if name not in _FIELDS and not name.endswith("source")
    ]
    return missing + unknown


def read_rows(body: str, rows: Sequence[Mapping[str, Any]]) -> tuple[Roster, list[RowProblem]]:
    """A roster from rows of column → value; rows with problems are left out.

    Several rows with one code are the terms of one member (an elected seat held twice);
    the first row gives the member's name and figures.
    """
    problems: list[RowProblem] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    for index, row in enumerate(rows):
        values, found = _read_row(index, row)
        problems += found
        if not found:
            parsed.append((index, values))
    members, found = _merge_terms(parsed)
    return Roster(body, tuple(sorted(members, key=lambda m: m.code))), problems + found


def _read_row(index: int, row: Mapping[str, Any]) -> tuple[dict[str, Any], list[RowProblem]]:
    values: dict[str, Any] = {}
    problems: list[RowProblem] = []
    for column, reader in _FIELDS.items():
        raw = row.get(column)
        if raw is None or (isinstance(raw, str) and not raw.strip() and column in OPTIONAL):
            if column in REQUIRED:
                problems.append(RowProblem(index, column, f"missing value of '{column}'"))
            continue
        try:
            values[column] = reader(raw)
        except (ValueError, TypeError) as error:
            problems.append(RowProblem(index, column, str(error), repr(raw)))
    problems += _check_values(index, values)
    return values, problems


def _check_values(index: int, values: Mapping[str, Any]) -> list[RowProblem]:
    problems: list[RowProblem] = []
    code = values.get("code")
    if isinstance(code, str) and not _CODE.fullmatch(code):
        message = "must be three upper-case letters, e.g. HUN"
        problems.append(RowProblem(index, "code", message, repr(code)))
    first, last = values.get("accession"), values.get("leaves")
    if first is not None and last is not None and last < first:
        message = f"must not come before accession ({first})"
        problems.append(RowProblem(index, "leaves", message, str(last)))
    if values.get("clout", 0.0) > _MAX_CLOUT:
        problems.append(RowProblem(index, "clout", "must be at most 1000", str(values["clout"])))
    return problems


def _merge_terms(
    parsed: Sequence[tuple[int, dict[str, Any]]],
) -> tuple[list[RosterMember], list[RowProblem]]:
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, values in parsed:
        groups.setdefault(values["code"], []).append((index, values))
    members: list[RosterMember] = []
    problems: list[RowProblem] = []
    for rows in groups.values():
        terms = sorted((v["accession"], v.get("leaves")) for _, v in rows)
        clash = _overlap(terms)
        if clash is not None:
            index = rows[-1][0]
            message = f"a term of {rows[0][1]['code']} overlaps another, from {clash}"
            problems.append(RowProblem(index, "accession", message))
            continue
        members.append(_member(rows[0][1], tuple(terms)))
    return members, problems


def _overlap(terms: Sequence[Term]) -> dt.date | None:
    """The start of a term that begins before the previous one ends, or None."""
    for (_, last), (first, _) in itertools.pairwise(terms):
        if last is None or first <= last:
            return first
    return None


def _member(values: Mapping[str, Any], terms: tuple[Term, ...]) -> RosterMember:
    figures: dict[str, Any] = {
        name: values.get(name) for name in OPTIONAL if name not in ("leaves", "clout")
    }
    figures["permanent"] = bool(figures["permanent"])
    return RosterMember(
        code=values["code"],
        name=values["name"],
        accession=terms[0][0],
        weight=values.get("clout"),
        terms=terms,
        **figures,
    )


@dataclass(frozen=True)
class CsvProblem:
    """A problem at a line and character column (both from 1) of a CSV roster."""

    line: int
    col: int
    column: str
    message: str
    got: str | None = None


def read_csv(body: str, text: str) -> tuple[Roster, list[CsvProblem]]:
    """A roster from CSV text with a header line; problems carry their line and column."""
    lines = text.splitlines()
    records = list(csv.reader(lines))
    header = [name.strip() for name in records[0]] if records else []
    starts = {i + 2: _field_starts(line) for i, line in enumerate(lines[1:])}
    header_starts = _field_starts(lines[0]) if lines else [1]
    problems = [
        CsvProblem(1, _at(header_starts, header, p.column), p.column, p.message)
        for p in check_columns(header)
    ]
    numbered = [(n, r) for n, r in enumerate(records[1:], start=2) if any(f.strip() for f in r)]
    rows = [dict(zip(header, r, strict=False)) for _, r in numbered]
    roster, found = read_rows(body, rows)
    for p in found:
        line = numbered[p.row][0]
        col = _at(starts.get(line, [1]), header, p.column)
        problems.append(CsvProblem(line, col, p.column, p.message, p.got))
    return roster, problems


def _at(starts: Sequence[int], header: Sequence[str], column: str) -> int:
    """The character column at which ``column``'s field starts (1 if unknown)."""
    if column not in header:
        return 1
    position = list(header).index(column)
    return starts[position] if position < len(starts) else 1


def _field_starts(line: str) -> list[int]:
    """The 1-based character column at which each field of a CSV line starts."""
    starts, quoted = [1], False
    for offset, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(offset + 2)
    return starts

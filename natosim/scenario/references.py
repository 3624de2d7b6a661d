"""Cross-field checks: member codes, candidate ids and dates that must agree across a file.

The checks read the raw merged data defensively (see :mod:`natosim.scenario.rawdata`), so
they run even when the schema found errors and one pass reports every problem. Values of
the wrong type or shape are skipped here: the schema reports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from natosim.errors import describe
from natosim.roster.builtin import Roster
from natosim.scenario.conditional import check_conditionals
from natosim.scenario.limits import check_limits
from natosim.scenario.rawdata import (
    CANDIDATE_ID,
    MEMBER_CODE,
    Raw,
    as_date,
    dig,
    entries,
    keys,
    stance_kind,
)
from natosim.scenario.rule_checks import absent_message, check_rule
from natosim.scenario.schema import NON_APPOINTMENTS, STANCE_WORDS
from natosim.scenario.schema_errors import did_you_mean
from natosim.scenario.sourcemap import Finding, NodePath

_MemberRef = tuple[NodePath, Any, bool, dt.date | None]
"""Where a member code is named, the code, whether it is a key, and the event's date
(None outside events, or when the date is unreadable: then the scenario's end applies)."""


def check_references(data: Mapping[str, Any], roster: Roster) -> list[Finding]:
    """Every cross-field problem of raw scenario ``data`` checked against ``roster``."""
    raw = Raw.of(data, roster)
    return [
        *_check_dates(raw),
        *check_limits(raw),
        *_check_members(raw),
        *_check_candidate_ids(raw),
        *_check_candidate_refs(raw),
        *_check_follows(raw),
        *_check_blocs(raw),
        *check_conditionals(raw),
        *check_rule(raw),
    ]


def _check_dates(raw: Raw) -> Iterator[Finding]:
    if raw.start and raw.end and raw.start >= raw.end:
        yield Finding(("end",), f"must be after start ({raw.start})", describe(raw.end))
        return
    for index, deadline in entries(raw.data.get("deadlines")):
        yield from _within(raw, ("deadlines", index, "date"), deadline.get("date"))
    for cid, candidate in raw.candidates.items():
        yield from _within(raw, ("candidates", cid, "enters"), candidate.get("enters"))
    yield from _check_decisions_from(raw)
    for index, event in raw.events():
        when = as_date(event.get("date"))
        if when and raw.end and when > raw.end:
            message = f"is after the scenario ends ({raw.end}); events may precede the start"
            yield Finding(("events", index, "date"), message, describe(when))


def _check_decisions_from(raw: Raw) -> Iterator[Finding]:
    """``decisions_from`` lies within the scenario and before every deadline that forces an
    outcome (a hard or a settling deadline), which could not be met without a decision."""
    when = as_date(raw.data.get("decisions_from"))
    yield from _within(raw, ("decisions_from",), when)
    for index, deadline in entries(raw.data.get("deadlines")):
        due = as_date(deadline.get("date"))
        forcing = deadline.get("hard") is True or deadline.get("settles") is not None
        if when and due and forcing and due < when:
            name = deadline.get("name", f"deadline {index + 1}")
            message = (
                f"must be on or before {name} ({due}), which ends the decision; "
                "move decisions_from earlier or the deadline later"
            )
            yield Finding(("decisions_from",), message, describe(when))


def _within(raw: Raw, path: NodePath, value: Any) -> Iterator[Finding]:
    when = as_date(value)
    early = when is not None and raw.start is not None and when < raw.start
    late = when is not None and raw.end is not None and when > raw.end
    if early or late:
        message = f"must be between start ({raw.start}) and end ({raw.end})"
        yield Finding(path, message, describe(when))


def _check_members(raw: Raw) -> Iterator[Finding]:
    if not raw.roster.members:
        return  # a roster file that could not be read: its own problems say why
    body = raw.roster.body.upper()
    for path, code, at_key, when in _member_refs(raw):
        if not isinstance(code, str) or not MEMBER_CODE.fullmatch(code):
            continue
        member = raw.roster.get(code)
        if member is None:
            suggestion = raw.roster.suggest(code)
            hint = f"; did you mean '{suggestion}'?" if suggestion else f"; not a {body} member"
            yield Finding(path, f"unknown member '{code}'{hint}", None, at_key)
            continue
        if any(last is not None for _, last in member.periods):
            absent = absent_message(raw, member, when)
            if absent:
                yield Finding(path, absent, None, at_key)
            continue
        too_late = _joined_too_late(raw, member.accession, when)
        if too_late:
            message = f"{code} joined {body} on {member.accession}, {too_late}"
            yield Finding(path, message, None, at_key)


def _member_refs(raw: Raw) -> Iterator[_MemberRef]:
    for code in keys(raw.data.get("members")):
        yield ("members", code), code, True, None
    for cid, candidate in raw.candidates.items():
        yield ("candidates", cid, "home"), candidate.get("home"), False, None
    for index, event in raw.events():
        when = as_date(event.get("date"))
        yield ("events", index, "member"), event.get("member"), False, when
        listed = event.get("members")
        for position, code in enumerate(listed if isinstance(listed, list) else []):
            yield ("events", index, "members", position), code, False, when
    for code, member in raw.members.items():
        for position, leader in enumerate(_listed(member.get("follows"))):
            yield ("members", code, "follows", position), leader, False, None
    for name, bloc in _blocs(raw):
        for position, code in enumerate(_listed(bloc.get("members"))):
            yield ("blocs", name, "members", position), code, False, None
    outcome = raw.data.get("outcome")
    if isinstance(outcome, Mapping):
        yield ("outcome", "last_holdout"), outcome.get("last_holdout"), False, None


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _blocs(raw: Raw) -> Iterator[tuple[str, Mapping[str, Any]]]:
    blocs = raw.data.get("blocs")
    if isinstance(blocs, Mapping):
        yield from ((n, b) for n, b in blocs.items() if isinstance(b, Mapping))


def _check_follows(raw: Raw) -> Iterator[Finding]:
    for code, member in raw.members.items():
        for position, leader in enumerate(_listed(member.get("follows"))):
            if leader == code:
                message = "a member cannot follow itself; name the members it will not outlast"
                yield Finding(("members", code, "follows", position), message, describe(leader))


def _check_blocs(raw: Raw) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for name, bloc in _blocs(raw):
        for position, code in enumerate(_listed(bloc.get("members"))):
            if not isinstance(code, str):
                continue
            if code in seen:
                message = f"{code} is already in bloc '{seen[code]}'; a member is in one bloc"
                yield Finding(("blocs", name, "members", position), message, describe(code))
            seen.setdefault(code, name)


def _joined_too_late(raw: Raw, accession: dt.date, when: dt.date | None) -> str | None:
    """Why a member that joined on ``accession`` cannot act, or None if it can."""
    if when is None:
        if raw.end and accession > raw.end:
            return f"after this scenario ends ({raw.end})"
        return None
    if raw.start and when < raw.start:
        if accession > raw.start:
            return f"after the start ({raw.start}), when this earlier event takes effect"
        return None
    return f"after the date of this event ({when})" if accession > when else None


def _check_candidate_ids(raw: Raw) -> Iterator[Finding]:
    for cid in keys(raw.data.get("candidates")):
        if cid in STANCE_WORDS:
            message = f"'{cid}' is a stance word and cannot be a candidate id"
            yield Finding(("candidates", cid), message, None, True)
        elif cid in NON_APPOINTMENTS:
            outcomes = ", ".join(NON_APPOINTMENTS)
            message = f"'{cid}' names an outcome ({outcomes}), not a candidate id"
            yield Finding(("candidates", cid), message, None, True)


def _check_candidate_refs(raw: Raw) -> Iterator[Finding]:
    for path, cid, at_key in _candidate_refs(raw):
        if isinstance(cid, str) and CANDIDATE_ID.fullmatch(cid) and cid not in raw.candidates:
            message = f"unknown candidate '{cid}'{_candidate_hint(raw, cid)}"
            yield Finding(path, message, None, at_key)
    for cid, candidate in raw.candidates.items():
        withdraws = candidate.get("withdraws")
        if isinstance(withdraws, Mapping) and withdraws.get("endorses") == cid:
            message = "must name another candidate: a candidate cannot endorse itself"
            yield Finding(("candidates", cid, "withdraws", "endorses"), message, describe(cid))
    yield from _check_appointed(raw)


def _candidate_refs(raw: Raw) -> Iterator[tuple[NodePath, Any, bool]]:
    """Every place that names a candidate: ``(path, id, whether the id is a key)``."""
    stances: list[tuple[NodePath, Any]] = [
        (("defaults", "stance"), dig(raw.data, "defaults", "stance"))
    ]
    stances += [(("members", code, "stance"), m.get("stance")) for code, m in raw.members.items()]
    for path, stance in stances:
        if stance_kind(stance) == "by_candidate":
            yield from (((*path, cid), cid, True) for cid in stance)
    for code, member in raw.members.items():
        for index, demand in entries(member.get("demands")):
            yield ("members", code, "demands", index, "candidate"), demand.get("candidate"), False
    for index, event in raw.events():
        yield ("events", index, "candidate"), event.get("candidate"), False
    for cid, candidate in raw.candidates.items():
        endorses = dig(candidate, "withdraws", "endorses")
        yield ("candidates", cid, "withdraws", "endorses"), endorses, False


def _check_appointed(raw: Raw) -> Iterator[Finding]:
    appointed = dig(raw.data, "outcome", "appointed")
    if isinstance(appointed, str) and appointed not in (*raw.candidates, *NON_APPOINTMENTS):
        choices = [*raw.candidates, *NON_APPOINTMENTS]
        hint = did_you_mean(appointed, choices) or "; use one of " + ", ".join(choices)
        yield Finding(("outcome", "appointed"), f"unknown candidate '{appointed}'{hint}")


def _candidate_hint(raw: Raw, cid: str) -> str:
    if not raw.candidates:
        return "; no candidates are defined"
    return did_you_mean(cid, raw.candidates) or "; candidates are " + ", ".join(raw.candidates)

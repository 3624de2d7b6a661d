"""Cross-field checks of bodies and rules: terms of membership, and what a rule needs.

Why apart from :mod:`natosim.scenario.references`: these checks exist only for rosters whose
members come and go (an elected seat, a withdrawal) and for rules that count votes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from natosim.errors import describe
from natosim.roster.builtin import DEFAULT_RULES
from natosim.roster.members import RosterMember
from natosim.scenario.rawdata import Raw
from natosim.scenario.sourcemap import Finding

_FIELDS_OF: dict[str, frozenset[str]] = {
    "unanimity": frozenset(),
    "qualified_majority": frozenset({"members", "population", "blocking_minority"}),
    "majority_with_vetoes": frozenset({"votes"}),
}
"""The thresholds each rule reads; any other given is an error."""


def absent_message(raw: Raw, member: RosterMember, when: dt.date | None) -> str | None:
    """Why a member with terms cannot act in the scenario (or at an event), or None."""
    terms = "; ".join(f"{a} to {b or 'now'}" for a, b in member.periods)
    body = raw.roster.body.upper()
    if when is None:
        if raw.start and raw.end and not member.member_between(raw.start, raw.end):
            return f"{member.code} does not sit on {body} from {raw.start} to {raw.end} ({terms})"
        return None
    day = max(when, raw.start) if raw.start else when
    if member.member_on(day):
        return None
    return f"{member.code} does not sit on {body} on {day}, when this event takes effect ({terms})"


def _rule(raw: Raw) -> tuple[str | None, Mapping[str, object]]:
    rule = raw.data.get("rule")
    if isinstance(rule, str):
        return rule, {}
    if isinstance(rule, Mapping):
        kind = rule.get("kind")
        return (kind if isinstance(kind, str) else None), rule
    body = raw.data.get("body", "nato")
    return DEFAULT_RULES.get(body if isinstance(body, str) else "", "unanimity"), {}


def check_rule(raw: Raw) -> Iterator[Finding]:
    """A rule's thresholds must be its own, and the roster must have what it counts."""
    kind, given = _rule(raw)
    if kind not in _FIELDS_OF:
        return
    for name in given:
        if name != "kind" and name not in _FIELDS_OF[kind]:
            message = f"'{name}' is not a threshold of {kind}"
            yield Finding(("rule", name), message, describe(given[name]), True)
    sitting = [m for m in raw.roster.members if _sits(raw, m)]
    if kind == "qualified_majority":
        lacking = [m.code for m in sitting if m.population_m is None]
        if lacking:
            missing = ", ".join(lacking)
            message = f"qualified_majority needs every member's population_m; {missing} lack it"
            yield Finding(("rule",), message)
    votes = given.get("votes", 9)
    if kind == "majority_with_vetoes" and isinstance(votes, int) and raw.start:
        seated = len(raw.roster.in_force(raw.start))
        if raw.roster.members and seated < votes:
            message = f"needs {votes} votes yes but only {seated} members sit on {raw.start}"
            yield Finding(("rule",), message)


def _sits(raw: Raw, member: RosterMember) -> bool:
    if raw.start is None or raw.end is None:
        return False
    return member.member_between(raw.start, raw.end)

"""Defensive reading of raw (unvalidated) scenario data for the cross-field checks.

Why: the cross-field checks run even when the schema found errors, so that one pass reports
everything. Every accessor here therefore accepts any shape and answers "nothing" for data
of the wrong type, which the schema reports on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from natosim.roster.builtin import Roster
from natosim.scenario.schema import STANCE_WORDS

MEMBER_CODE = re.compile(r"[A-Z]{3}")
CANDIDATE_ID = re.compile(r"[a-z][a-z0-9_-]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Raw:
    """The parts of raw scenario data that many checks need, read once."""

    data: Mapping[str, Any]
    roster: Roster
    start: dt.date | None
    end: dt.date | None
    candidates: Mapping[str, Mapping[str, Any]]
    members: Mapping[str, Mapping[str, Any]]

    @classmethod
    def of(cls, data: Mapping[str, Any], roster: Roster) -> Raw:
        """Read the dates, candidates and members of ``data``, ignoring malformed parts."""
        start, end = as_date(data.get("start")), as_date(data.get("end"))
        candidates = dict(mappings(data.get("candidates")))
        return cls(data, roster, start, end, candidates, dict(mappings(data.get("members"))))

    def events(self) -> Iterator[tuple[int, Mapping[str, Any]]]:
        """``(index, event)`` for every event that is a mapping."""
        return entries(self.data.get("events"))

    def home(self, candidate: str) -> Any:
        """The ``home`` of a candidate, or None."""
        return self.candidates.get(candidate, {}).get("home")

    def demanded(self, code: str) -> set[str]:
        """The candidates on which member ``code`` has at least one demand."""
        demands = entries(self.members.get(code, {}).get("demands"))
        named = (demand.get("candidate") for _, demand in demands)
        return {cid for cid in named if isinstance(cid, str)}


def as_date(value: Any) -> dt.date | None:
    """A date from a YAML date or an ISO ``YYYY-MM-DD`` string; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def dig(data: Any, *path: str) -> Any:
    """``data[path[0]][path[1]]…``, or None as soon as a step is missing or not a mapping."""
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def keys(value: Any) -> list[str]:
    """The string keys of a mapping; ``[]`` for anything else."""
    return [key for key in value if isinstance(key, str)] if isinstance(value, Mapping) else []


def mappings(value: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(key, value)`` of a mapping for each string key whose value is a mapping."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and isinstance(item, Mapping):
                yield key, item


def entries(value: Any) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """``(index, item)`` of a list for each item that is a mapping."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, Mapping):
                yield index, item


def stance_kind(value: Any) -> str | None:
    """``word``, ``distribution`` or ``by_candidate`` for a well-formed stance, else None.

    Why: unlike the schema's discriminator, a map that mixes stance words and other keys is
    neither (it is reported as a typo), so no check treats its keys as candidate ids.
    """
    if isinstance(value, str):
        return "word"
    if not isinstance(value, Mapping) or not value:
        return None
    words = sum(key in STANCE_WORDS for key in value)
    if words == len(value):
        return "distribution"
    return "by_candidate" if words == 0 else None


def can_be_conditional(stance: Any) -> bool:
    """Whether a single stance (a word or a distribution) may come out ``conditional``."""
    if stance == "conditional":
        return True
    if stance_kind(stance) != "distribution":
        return False
    chance = stance.get("conditional")
    if isinstance(chance, Mapping):  # a range: conditional is possible if its high is
        chance = chance.get("high")
    return isinstance(chance, (int, float)) and not isinstance(chance, bool) and chance > 0

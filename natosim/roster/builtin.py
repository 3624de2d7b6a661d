"""The built-in rosters of member states, with the data behind each member's default clout.

Why: a scenario names members by code and may leave their clout unset. The roster supplies,
for every member, its terms of membership (so a member takes part only while it sits on the
body) and the figures from which the default clout and the rule's weights are derived. The
data ship with the package as ``natosim/roster/data/<body>_members.csv``; ``docs/roster.md``
documents each column, its unit, year and source.
"""

from __future__ import annotations

import functools
from importlib import resources

from natosim.roster.members import DEFENCE_FLOOR_PCT, Roster, RosterMember, Term
from natosim.roster.table import read_csv

__all__ = [
    "BODIES",
    "DEFAULT_RULES",
    "DEFENCE_FLOOR_PCT",
    "Roster",
    "RosterMember",
    "Term",
    "load_roster",
]

BODIES: tuple[str, ...] = ("nato", "eu", "unsc")
"""The bodies whose rosters ship with natosim."""

DEFAULT_RULES: dict[str, str] = {
    "nato": "unanimity",
    "eu": "qualified_majority",
    "unsc": "majority_with_vetoes",
}
"""Each built-in body's own rule; a roster of the user's decides by unanimity by default."""


def load_roster(body: str = "nato") -> Roster:
    """Load a built-in roster from the package data.

    The result is cached per body (``load_roster()`` and ``load_roster("nato")`` return the
    same object), so callers may load it freely.

    Args:
        body: Name of the body; one of :data:`BODIES`.

    Returns:
        The roster, members sorted by code.

    Raises:
        ValueError: If the body is unknown or its data file is malformed.
    """
    if body not in BODIES:
        raise ValueError(f"unknown body {body!r}; known bodies: {', '.join(BODIES)}")
    return _load_roster(body)


@functools.cache
def _load_roster(body: str) -> Roster:
    resource = resources.files("natosim.roster") / "data" / f"{body}_members.csv"
    roster, problems = read_csv(body, resource.read_text(encoding="utf-8"))
    if problems:
        first = problems[0]
        raise ValueError(f"{body} roster, line {first.line}: {first.column}: {first.message}")
    return roster

"""The built-in rosters of member states, with the data behind each member's default clout.

Why: a scenario names members by ISO 3166-1 alpha-3 code and may leave their clout unset. The
roster supplies, for every member, the accession date (so a member takes part only once it has
joined) and the economic and defence figures from which the default clout is derived. The data
ship with the package as ``natosim/roster/data/<body>_members.csv``; ``docs/roster.md``
documents each column, its unit, year and source.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import math
from dataclasses import dataclass
from importlib import resources

BODIES: tuple[str, ...] = ("nato",)
"""The bodies whose rosters ship with natosim."""

DEFENCE_FLOOR_PCT = 0.5
"""Floor, in % of GDP, on defence spending in the clout rule (gives Iceland a small voice)."""

_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "accession",
    "gdp_usd_bn",
    "gdp_year",
    "gdp_source",
    "population_m",
    "population_year",
    "population_source",
    "defence_pct_gdp",
    "defence_year",
    "defence_source",
    "eu_member",
)
_BOOLEANS: dict[str, bool] = {"true": True, "false": False}
_SUGGEST_CUTOFF = 0.5


@dataclass(frozen=True)
class RosterMember:
    """One member state of a roster.

    Attributes:
        code: ISO 3166-1 alpha-3 code, e.g. ``"HUN"``.
        name: English short name, e.g. ``"Hungary"``.
        accession: Date on which the member joined the body.
        gdp_usd_bn: Gross domestic product in billions of current US dollars.
        gdp_year: Year of the GDP figure.
        population_m: Population in millions.
        population_year: Year of the population figure.
        defence_pct_gdp: Defence expenditure as a percentage of GDP (0.0 for Iceland, which
            has no armed forces).
        defence_year: Year of the defence figure.
        eu_member: Whether the member belongs to the European Union.
    """

    code: str
    name: str
    accession: dt.date
    gdp_usd_bn: float
    gdp_year: int
    population_m: float
    population_year: int
    defence_pct_gdp: float
    defence_year: int
    eu_member: bool

    @property
    def defence_usd_bn(self) -> float:
        """Defence expenditure in billions of US dollars, with the 0.5 % of GDP floor applied.

        Returns:
            ``gdp_usd_bn * max(defence_pct_gdp, 0.5) / 100``.
        """
        return self.gdp_usd_bn * max(self.defence_pct_gdp, DEFENCE_FLOOR_PCT) / 100.0

    @property
    def clout(self) -> float:
        """The default clout: the square root of defence expenditure in billions of US dollars.

        Defence expenditure is ``gdp_usd_bn * max(defence_pct_gdp, 0.5) / 100``; the 0.5 %
        floor gives members with tiny or no armed forces, like Iceland, a small voice. The
        square root reflects that influence in the Council grows with military weight but far
        less than proportionally: the United States carries about 30 times Luxembourg's weight
        rather than 900 times. A scenario may override it per member.

        Returns:
            ``sqrt(defence_usd_bn)``.
        """
        return math.sqrt(self.defence_usd_bn)


@dataclass(frozen=True)
class Roster:
    """The members of one body, in alphabetical order of code.

    Attributes:
        body: Name of the body, e.g. ``"nato"``.
        members: The members, sorted by code.
    """

    body: str
    members: tuple[RosterMember, ...]

    def get(self, code: str) -> RosterMember | None:
        """Find a member by code.

        Args:
            code: ISO 3166-1 alpha-3 code (exact, upper case).

        Returns:
            The member, or None if the code is not on the roster.
        """
        for member in self.members:
            if member.code == code:
                return member
        return None

    def codes(self) -> tuple[str, ...]:
        """Return the codes of all members, in alphabetical order."""
        return tuple(member.code for member in self.members)

    def in_force(self, on: dt.date) -> tuple[RosterMember, ...]:
        """Return the members that had joined on a date (accession on or before it).

        Args:
            on: The date.

        Returns:
            The members with ``accession <= on``, in alphabetical order of code.
        """
        return tuple(member for member in self.members if member.accession <= on)

    def suggest(self, code: str) -> str | None:
        """Find the closest known code, for a "did you mean" message.

        Args:
            code: A possibly mistyped code; compared in upper case.

        Returns:
            The most similar code on the roster (by :mod:`difflib`), or None if none is close.
        """
        matches = difflib.get_close_matches(
            code.strip().upper(), self.codes(), n=1, cutoff=_SUGGEST_CUTOFF
        )
        return matches[0] if matches else None


def _parse_bool(text: str) -> bool:
    try:
        return _BOOLEANS[text.strip().lower()]
    except KeyError:
        raise ValueError(f"expected true or false, got {text!r}") from None


def _parse_member(row: dict[str, str]) -> RosterMember:
    return RosterMember(
        code=row["code"].strip(),
        name=row["name"].strip(),
        accession=dt.date.fromisoformat(row["accession"].strip()),
        gdp_usd_bn=float(row["gdp_usd_bn"]),
        gdp_year=int(row["gdp_year"]),
        population_m=float(row["population_m"]),
        population_year=int(row["population_year"]),
        defence_pct_gdp=float(row["defence_pct_gdp"]),
        defence_year=int(row["defence_year"]),
        eu_member=_parse_bool(row["eu_member"]),
    )


def _parse_roster(body: str, text: str) -> Roster:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise ValueError(f"{body} roster: columns {reader.fieldnames} differ from {_COLUMNS}")
    members: list[RosterMember] = []
    for line, row in enumerate(reader, start=2):
        try:
            members.append(_parse_member(row))
        except (ValueError, TypeError, AttributeError) as error:
            raise ValueError(f"{body} roster, line {line}: {error}") from error
    codes = [member.code for member in members]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{body} roster: duplicate member codes")
    return Roster(body=body, members=tuple(sorted(members, key=lambda member: member.code)))


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
    return _parse_roster(body, resource.read_text(encoding="utf-8"))

"""Members and rosters: who sits on a body, in which terms, with the figures behind clout."""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass

DEFENCE_FLOOR_PCT = 0.5
"""Floor, in % of GDP, on defence spending in the clout rule (gives Iceland a small voice)."""

_SUGGEST_CUTOFF = 0.5


Term = tuple[dt.date, dt.date | None]
"""A term of membership: its first day and its last (None: still a member)."""


@dataclass(frozen=True)
class RosterMember:
    """One member of a roster.

    Attributes:
        code: An upper-case code of three letters, e.g. ``"HUN"`` (ISO 3166-1 alpha-3 for the
            built-in rosters).
        name: English short name, e.g. ``"Hungary"``.
        accession: The first day of the member's first term.
        gdp_usd_bn: Gross domestic product in billions of current US dollars (NATO).
        gdp_year: Year of the GDP figure.
        population_m: Population in millions (the qualified majority's weight).
        population_year: Year of the population figure.
        defence_pct_gdp: Defence expenditure as a percentage of GDP (0.0 for Iceland, which
            has no armed forces).
        defence_year: Year of the defence figure.
        eu_member: Whether the member belongs to the European Union (NATO).
        permanent: Whether the member holds a permanent seat with a veto (UN Security Council).
        weight: A clout given in the roster itself, which the default rule then does not set.
        terms: The member's terms, in date order; empty means one term from ``accession``.
    """

    code: str
    name: str
    accession: dt.date
    gdp_usd_bn: float | None = None
    gdp_year: int | None = None
    population_m: float | None = None
    population_year: int | None = None
    defence_pct_gdp: float | None = None
    defence_year: int | None = None
    eu_member: bool | None = None
    permanent: bool = False
    weight: float | None = None
    terms: tuple[Term, ...] = ()

    @property
    def periods(self) -> tuple[Term, ...]:
        """The member's terms: ``terms``, or one open term from ``accession``."""
        return self.terms or ((self.accession, None),)

    def member_on(self, day: dt.date) -> bool:
        """Whether the member sits on the body on ``day``."""
        return any(first <= day and (last is None or day <= last) for first, last in self.periods)

    def member_between(self, first: dt.date, last: dt.date) -> bool:
        """Whether the member sits on the body on some day from ``first`` to ``last``."""
        return any(a <= last and (b is None or b >= first) for a, b in self.periods)

    @property
    def defence_usd_bn(self) -> float | None:
        """Defence expenditure in billions of US dollars, with the 0.5 % of GDP floor applied.

        Returns:
            ``gdp_usd_bn * max(defence_pct_gdp, 0.5) / 100``, or None without these figures.
        """
        if self.gdp_usd_bn is None or self.defence_pct_gdp is None:
            return None
        return self.gdp_usd_bn * max(self.defence_pct_gdp, DEFENCE_FLOOR_PCT) / 100.0

    @property
    def clout(self) -> float:
        """The default clout (docs/roster.md, "The default clout rule").

        The roster's own ``clout`` if it gives one; else, with defence figures (NATO), the
        square root of defence expenditure in billions of US dollars, with the 0.5 % of GDP
        floor that gives members with tiny or no armed forces, like Iceland, a small voice;
        else, with a population, its square root (Penrose's rule for a member representing
        its people); else 1. The square roots reflect that influence grows with weight but
        far less than proportionally. A scenario may override it per member.
        """
        if self.weight is not None:
            return self.weight
        defence = self.defence_usd_bn
        if defence is not None:
            return math.sqrt(defence)
        return math.sqrt(self.population_m) if self.population_m is not None else 1.0


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
        """Return the members that sit on the body on a date (within one of their terms).

        Args:
            on: The date.

        Returns:
            The members in a term on ``on``, in alphabetical order of code.
        """
        return tuple(member for member in self.members if member.member_on(on))

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

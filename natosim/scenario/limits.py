"""The size limits of a scenario, checked before anything is compiled or simulated.

Why: the engine keeps rounds in 16-bit integers and allocates, per chunk of trials, arrays
of members × candidates; a valid-looking file with daily rounds over two centuries or two
thousand candidates would overflow or take gigabytes. Every limit is documented in
``docs/limits.md`` and named in its error message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from natosim.errors import describe
from natosim.scenario.rawdata import Raw
from natosim.scenario.sourcemap import Finding

MAX_ROUNDS = 10_000
"""Most rounds from ``start`` to ``end`` (daily rounds over 27 years, weekly over 190)."""

MAX_CANDIDATES = 50
"""Most candidates: a chunk of 4,096 trials of 32 members × 50 candidates takes ~450 MB."""

MAX_CELLS = 1_000_000
"""Most members × candidates × rounds: bounds the time of a chunk and of ``explain``."""

LIMITS_DOC = "see docs/limits.md"


def rounds_of(start: dt.date, end: dt.date, round_days: int) -> int:
    """Rounds from ``start`` to ``end`` every ``round_days`` days (as the model counts them)."""
    return (end - start).days // round_days + 1


def check_limits(raw: Raw) -> Iterator[Finding]:
    """Findings for a scenario that exceeds a size limit or starts before its body existed."""
    yield from _check_body_exists(raw)
    candidates = len(raw.candidates)
    if candidates > MAX_CANDIDATES:
        message = f"at most {MAX_CANDIDATES} candidates are allowed ({LIMITS_DOC})"
        yield Finding(("candidates",), message, f"{candidates} candidates")
    rounds = _rounds(raw)
    if rounds is None:
        return
    if rounds > MAX_ROUNDS:
        message = (
            f"the scenario has {rounds:,} rounds from start to end; at most {MAX_ROUNDS:,} are "
            f"allowed: shorten it or raise round_days ({LIMITS_DOC})"
        )
        yield Finding(("end",), message, describe(raw.end))
        return
    members = len(raw.roster.in_force(raw.end)) if raw.end else 0
    cells = members * max(candidates, 1) * rounds
    if cells > MAX_CELLS:
        message = (
            f"{members} members × {candidates} candidates × {rounds:,} rounds = {cells:,}; "
            f"at most {MAX_CELLS:,} are allowed: fewer candidates or rounds ({LIMITS_DOC})"
        )
        yield Finding(("end",), message, describe(raw.end))


def _rounds(raw: Raw) -> int | None:
    step = raw.data.get("round_days", 7)
    if not raw.start or not raw.end or raw.start >= raw.end:
        return None
    if not isinstance(step, int) or isinstance(step, bool) or step < 1:
        return None
    return rounds_of(raw.start, raw.end, step)


def _check_body_exists(raw: Raw) -> Iterator[Finding]:
    """A scenario must start when the body has members: a Council of nobody decides nothing."""
    if raw.start is None or not raw.roster.members or raw.roster.in_force(raw.start):
        return
    first = min(member.accession for member in raw.roster.members)
    body = raw.roster.body.upper()
    message = f"{body} had no members on this date; its first members joined on {first}"
    yield Finding(("start",), message, describe(raw.start))

"""Check that every stance that can come out ``conditional`` has a demand to meet.

Why: a conditional member supports a candidate once all its demands on that candidate are
granted. Without a demand, conditional would silently mean "supports at once" (nothing to
wait for) or "never" (nothing can be granted); either way the file is wrong, so we say so.

The checks follow the precedence of :func:`natosim.scenario.resolve.resolve_stance`: a
member's own entry for a candidate, then being the candidate's home, then its blanket
stance, then the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from natosim.scenario.rawdata import MEMBER_CODE, Raw, can_be_conditional, dig, stance_kind
from natosim.scenario.sourcemap import Finding, NodePath

_LISTED = 5
"""How many members a message about the defaults names before saying "and N more"."""


def check_conditionals(raw: Raw) -> Iterator[Finding]:
    """Findings for conditional stances and events without a matching demand."""
    for code in raw.members:
        yield from _member_stance(raw, code)
    yield from _default_stance(raw)
    yield from _events(raw)


def _member_stance(raw: Raw, code: str) -> Iterator[Finding]:
    stance = raw.members[code].get("stance")
    for path, cid in _conditional_targets(raw, ("members", code, "stance"), stance):
        skip = stance_kind(stance) != "by_candidate" and raw.home(cid) == code
        if not skip and cid not in raw.demanded(code):
            message = f"conditional on '{cid}' needs at least one demand on '{cid}'"
            yield Finding(path, f"{message} under members.{code}.demands")


def _default_stance(raw: Raw) -> Iterator[Finding]:
    stance = dig(raw.data, "defaults", "stance")
    for path, cid in _conditional_targets(raw, ("defaults", "stance"), stance):
        lacking = [code for code in _in_scenario(raw) if _needs_default_demand(raw, code, cid)]
        if lacking:
            shown = ", ".join(lacking[:_LISTED])
            more = f" and {len(lacking) - _LISTED} more" if len(lacking) > _LISTED else ""
            message = f"conditional on '{cid}' needs a demand on '{cid}' from every member"
            yield Finding(path, f"{message} that takes this default; missing for {shown}{more}")


def _conditional_targets(raw: Raw, path: NodePath, stance: Any) -> Iterator[tuple[NodePath, str]]:
    """``(path, candidate)`` for each known candidate the stance at ``path`` may condition."""
    if stance_kind(stance) == "by_candidate":
        for cid, single in stance.items():
            if cid in raw.candidates and can_be_conditional(single):
                yield (*path, cid), cid
    elif can_be_conditional(stance):
        yield from ((path, cid) for cid in raw.candidates)


def _in_scenario(raw: Raw) -> list[str]:
    """Codes of the roster members that take part on some round date."""
    return [m.code for m in raw.roster.members if raw.end is None or m.accession <= raw.end]


def _needs_default_demand(raw: Raw, code: str, cid: str) -> bool:
    """Whether member ``code`` falls through to the defaults for ``cid`` and has no demand."""
    own = raw.members.get(code, {}).get("stance")
    kind = stance_kind(own)
    if own is not None and kind is None:
        return False  # a malformed stance is reported by the schema
    overridden = kind in ("word", "distribution") or (kind == "by_candidate" and cid in (own or {}))
    return not overridden and raw.home(cid) != code and cid not in raw.demanded(code)


def _events(raw: Raw) -> Iterator[Finding]:
    for index, event in raw.events():
        code, cid, kind = event.get("member"), event.get("candidate"), event.get("kind")
        if not (isinstance(code, str) and MEMBER_CODE.fullmatch(code) and raw.roster.get(code)):
            continue
        if not isinstance(cid, str) or cid not in raw.candidates or cid in raw.demanded(code):
            continue
        where = f"a demand by {code} on '{cid}' under members.{code}.demands"
        if kind == "stance" and event.get("stance") == "conditional":
            message = f"a stance event setting conditional needs {where}"
            yield Finding(("events", index, "stance"), message)
        elif kind == "grant":
            yield Finding(("events", index), f"a grant event needs {where}")

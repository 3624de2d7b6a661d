"""Resolve what a validated scenario says about one member: its stance and its parameters.

Stance precedence, from strongest to weakest:

1. the member's own entry for the candidate (``members.X.stance.<candidate>``);
2. the member is the candidate's home (``candidates.<candidate>.home``): it supports;
3. the member's blanket stance (a word or distribution directly under ``members.X.stance``);
4. the defaults' entry for the candidate (``defaults.stance.<candidate>``);
5. the defaults' blanket stance (``defaults.stance``);
6. ``acquiesce``.
"""

from __future__ import annotations

from typing import NamedTuple

from natosim.scenario.schema import STANCE_WORDS, Scenario, midpoint


class MemberParameters(NamedTuple):
    """A member's behaviour with its own values over the defaults."""

    lift_rate: float
    silence_break: float
    clout_override: float | None


def resolve_stance(scenario: Scenario, member: str, candidate: str) -> dict[str, float]:
    """Probabilities of ``member``'s initial stance towards ``candidate``.

    Returns:
        Stance word to probability, in the order of ``STANCE_WORDS``, words with
        probability 0 left out; the probabilities sum to 1.
    """
    own = scenario.members.get(member)
    own_stance = own.stance if own is not None else None
    home = scenario.candidates[candidate].home if candidate in scenario.candidates else None
    steps = (
        _for_candidate(own_stance, candidate),
        "support" if home == member else None,
        _blanket(own_stance),
        _for_candidate(scenario.defaults.stance, candidate),
        _blanket(scenario.defaults.stance),
    )
    chosen = next((step for step in steps if step is not None), "acquiesce")
    return _probabilities(chosen)


def resolve_member(scenario: Scenario, code: str) -> MemberParameters:
    """``(lift_rate, silence_break, clout_override)`` of a member; values over defaults.

    A range counts at its midpoint, the value ``natosim run`` uses.
    """
    own = scenario.members.get(code)
    defaults = scenario.defaults
    if own is None:
        return MemberParameters(
            midpoint(defaults.lift_rate), midpoint(defaults.silence_break), None
        )
    return MemberParameters(
        midpoint(defaults.lift_rate if own.lift_rate is None else own.lift_rate),
        midpoint(defaults.silence_break if own.silence_break is None else own.silence_break),
        None if own.clout is None else midpoint(own.clout),
    )


def _is_distribution(stance: object) -> bool:
    return isinstance(stance, dict) and all(key in STANCE_WORDS for key in stance)


def _for_candidate(stance: object, candidate: str) -> str | dict[str, float] | None:
    """The entry for ``candidate`` of a per-candidate stance map, or None."""
    if not isinstance(stance, dict) or _is_distribution(stance):
        return None
    return _blanket(stance.get(candidate))


def _blanket(stance: object) -> str | dict[str, float] | None:
    """A stance that applies to every candidate (a word or a distribution), or None."""
    if isinstance(stance, str):
        return stance
    if isinstance(stance, dict) and _is_distribution(stance):
        return {str(word): midpoint(p) for word, p in stance.items()}
    return None


def _probabilities(stance: str | dict[str, float]) -> dict[str, float]:
    if isinstance(stance, str):
        return {stance: 1.0}
    return {word: float(stance[word]) for word in STANCE_WORDS if stance.get(word, 0.0) > 0.0}

"""Stance and parameter resolution: each rung of the precedence ladder, checked by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from natosim.scenario.resolve import MemberParameters, resolve_member, resolve_stance
from natosim.scenario.schema import Scenario


def scenario(
    defaults: dict[str, Any] | None = None, members: dict[str, Any] | None = None
) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "t",
            "start": dt.date(2024, 2, 23),
            "end": dt.date(2024, 12, 31),
            "candidates": {"rutte": {"name": "R", "home": "NLD"}, "iohannis": {"name": "I"}},
            "defaults": defaults or {},
            "members": members or {},
        }
    )


def test_fallback_is_acquiesce() -> None:
    assert resolve_stance(scenario(), "HUN", "iohannis") == {"acquiesce": 1.0}


def test_defaults_blanket_stance() -> None:
    s = scenario(defaults={"stance": {"support": 0.25, "object": 0.75}})
    assert resolve_stance(s, "HUN", "iohannis") == {"support": 0.25, "object": 0.75}


def test_defaults_per_candidate_entry_and_fallback_for_others() -> None:
    s = scenario(defaults={"stance": {"iohannis": "object"}})
    assert resolve_stance(s, "HUN", "iohannis") == {"object": 1.0}
    assert resolve_stance(s, "HUN", "rutte") == {"acquiesce": 1.0}


def test_member_blanket_beats_defaults_per_candidate() -> None:
    s = scenario(
        defaults={"stance": {"iohannis": "object"}}, members={"HUN": {"stance": "support"}}
    )
    assert resolve_stance(s, "HUN", "iohannis") == {"support": 1.0}


def test_home_beats_member_blanket_and_defaults() -> None:
    s = scenario(defaults={"stance": "object"}, members={"NLD": {"stance": "object"}})
    assert resolve_stance(s, "NLD", "rutte") == {"support": 1.0}
    assert resolve_stance(s, "NLD", "iohannis") == {"object": 1.0}


def test_member_per_candidate_entry_beats_home() -> None:
    s = scenario(members={"NLD": {"stance": {"rutte": {"conditional": 0.5, "object": 0.5}}}})
    assert resolve_stance(s, "NLD", "rutte") == {"conditional": 0.5, "object": 0.5}
    assert resolve_stance(s, "NLD", "iohannis") == {"acquiesce": 1.0}


def test_zero_probabilities_are_left_out_in_word_order() -> None:
    s = scenario(defaults={"stance": {"object": 0.5, "support": 0.5, "conditional": 0.0}})
    assert list(resolve_stance(s, "HUN", "rutte").items()) == [("support", 0.5), ("object", 0.5)]


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ({}, MemberParameters(0.05, 0.002, None)),
        ({"lift_rate": 0.0}, MemberParameters(0.0, 0.002, None)),
        ({"silence_break": 0.5, "clout": 3.0}, MemberParameters(0.05, 0.5, 3.0)),
    ],
)
def test_member_values_over_defaults(member: dict[str, Any], expected: MemberParameters) -> None:
    s = scenario(defaults={"lift_rate": 0.05, "silence_break": 0.002}, members={"HUN": member})
    assert resolve_member(s, "HUN") == expected
    lift_rate, silence_break, clout = resolve_member(s, "HUN")
    assert (lift_rate, silence_break, clout) == tuple(expected)


def test_member_not_listed_takes_the_defaults() -> None:
    assert resolve_member(scenario(), "POL") == (0.00012, 0.0, None)

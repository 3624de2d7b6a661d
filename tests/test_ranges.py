"""Ranges ``{low, high}``: where the language accepts them, what a run does, substitution."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from natosim.errors import ScenarioError
from natosim.model.compile import compile_model
from natosim.model.prepared import prepare
from natosim.output.terminal.show import render_show
from natosim.roster.builtin import load_roster
from natosim.scenario.loader import validate_data
from natosim.scenario.ranges import at_midpoints, list_ranges, substitute
from natosim.scenario.resolve import resolve_stance
from natosim.scenario.schema import ProbabilityRange, Scenario, midpoint
from natosim.scenario.schema_file import schema_text

ROOT = Path(__file__).parent.parent
BASE: dict[str, Any] = {
    "name": "ranges",
    "start": "2030-01-07",
    "end": "2030-06-30",
    "deadlines": [{"name": "Summit", "date": "2030-04-01", "pressure": 2.0}],
    "candidates": {
        "berg": {"name": "Anna Berg", "home": "DEU", "withdraws": {"rate": 0.1}},
        "cruz": {"name": "Ana Cruz", "home": "ESP"},
    },
    "defaults": {"lift_rate": 0.05, "silence_break": 0.01},
    "members": {
        "HUN": {
            "stance": {"berg": {"object": 0.4, "conditional": 0.4, "acquiesce": 0.2}},
            "lift_rate": 0.03,
            "silence_break": 0.005,
            "clout": 2.0,
            "demands": [{"candidate": "berg", "description": "x", "grant_rate": 0.04}],
        }
    },
    "events": [
        {
            "kind": "endorse",
            "date": "2030-02-01",
            "members": ["USA"],
            "candidate": "berg",
            "probability": 0.75,
        }
    ],
    "dynamics": {"deadline_pressure": 1.0, "isolation": 1.0, "influence": 1.0},
}
NUMBERS = [
    ("deadlines.0.pressure", 1.5, 2.5),
    ("candidates.berg.withdraws.rate", 0.05, 0.15),
    ("defaults.lift_rate", 0.02, 0.08),
    ("defaults.silence_break", 0.0, 0.02),
    ("members.HUN.stance.berg.object", 0.2, 0.6),
    ("members.HUN.lift_rate", 0.01, 0.05),
    ("members.HUN.silence_break", 0.0, 0.01),
    ("members.HUN.clout", 1.0, 3.0),
    ("members.HUN.demands.0.grant_rate", 0.02, 0.06),
    ("events.0.probability", 0.5, 1.0),
    ("dynamics.deadline_pressure", 0.5, 1.5),
    ("dynamics.isolation", 0.0, 2.0),
    ("dynamics.influence", 0.5, 1.5),
]
"""Every kind of number that takes a range, with a range centred on the value in BASE."""


def with_values(**paths: Any) -> dict[str, Any]:
    """BASE with the value at each dotted path (``__`` for ``.``) replaced."""
    data = copy.deepcopy(BASE)
    for dotted, value in paths.items():
        *parents, last = [int(p) if p.isdigit() else p for p in dotted.split("__")]
        node: Any = data
        for step in parents:
            node = node[step]
        node[last] = value
    return data


def ranged(path: str, low: float, high: float) -> Scenario:
    return validate_data(with_values(**{path.replace(".", "__"): {"low": low, "high": high}}))


@pytest.mark.parametrize(("path", "low", "high"), NUMBERS)
def test_every_behavioural_number_takes_a_range(path: str, low: float, high: float) -> None:
    found = list_ranges(ranged(path, low, high))
    assert [(r.name, r.low, r.high) for r in found] == [(path, low, high)]


@pytest.mark.parametrize(("path", "low", "high"), NUMBERS)
def test_a_range_runs_at_its_midpoint(path: str, low: float, high: float) -> None:
    roster = load_roster("nato")
    plain = compile_model(validate_data(BASE), roster)
    model = compile_model(ranged(path, low, high), roster)
    for field in ("stance_prob", "lift_rate", "silence_break", "clout", "grant_rate"):
        assert np.allclose(getattr(model, field), getattr(plain, field)), field
    assert np.allclose(model.withdraw_rate, plain.withdraw_rate)
    assert np.allclose(model.pressure, plain.pressure)
    assert [e.probability for e in model.events] == pytest.approx(
        [e.probability for e in plain.events]
    )
    assert (model.deadline_pressure, model.isolation, model.influence) == pytest.approx(
        (plain.deadline_pressure, plain.isolation, plain.influence)
    )


def test_substitute_sets_each_named_range_and_leaves_the_others() -> None:
    scenario = validate_data(
        with_values(
            defaults__lift_rate={"low": 0.02, "high": 0.08},
            deadlines__0__pressure={"low": 1.5, "high": 2.5},
        )
    )
    changed = substitute(scenario, {"defaults.lift_rate": 0.02})
    assert changed.defaults.lift_rate == 0.02
    assert [r.name for r in list_ranges(changed)] == ["deadlines.0.pressure"]
    assert list_ranges(at_midpoints(scenario)) == ()
    assert at_midpoints(scenario).deadlines[0].pressure == pytest.approx(2.0)


def test_substitute_refuses_unknown_paths_and_values_outside_the_range() -> None:
    scenario = ranged("defaults.lift_rate", 0.02, 0.08)
    with pytest.raises(KeyError):
        substitute(scenario, {"defaults.silence_break": 0.01})
    with pytest.raises(ValueError, match="outside"):
        substitute(scenario, {"defaults.lift_rate": 0.09})


def test_a_stance_range_scales_the_plain_words_to_make_up_the_rest() -> None:
    scenario = ranged("members.HUN.stance.berg.object", 0.2, 0.6)
    at_high = substitute(scenario, {"members.HUN.stance.berg.object": 0.6})
    probabilities = resolve_stance(at_high, "HUN", "berg")
    # The remaining 0.4 is shared by conditional and acquiesce in their written ratio 2:1.
    assert probabilities == pytest.approx(
        {"acquiesce": 0.4 / 3, "conditional": 0.8 / 3, "object": 0.6}
    )
    assert resolve_stance(scenario, "HUN", "berg") == pytest.approx(
        {"acquiesce": 0.2, "conditional": 0.4, "object": 0.4}
    )


@given(st.floats(0.0, 0.5), st.floats(0.0, 0.5), st.floats(0.0, 1.0), st.floats(0.01, 1.0))
def test_substituted_distributions_stay_probabilities(
    low: float, width: float, where: float, plain: float
) -> None:
    high = low + width
    mid = (low + high) / 2
    others = {"acquiesce": (1 - mid) * plain, "support": (1 - mid) * (1 - plain)}
    data = with_values(members__HUN__stance={"object": {"low": low, "high": high}, **others})
    scenario = validate_data(data)
    value = low + where * (high - low)
    probabilities = resolve_stance(
        substitute(scenario, {"members.HUN.stance.object": value}), "HUN", "berg"
    )
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert all(p >= 0 for p in probabilities.values())
    assert probabilities.get("object", 0.0) == pytest.approx(value)


def test_range_errors_say_what_is_wrong() -> None:
    with pytest.raises(ScenarioError) as caught:
        validate_data(
            with_values(
                defaults__lift_rate={"low": 0.08, "high": 0.02},
                members__HUN__clout={"low": 1.0},
                dynamics__isolation="strong",
            )
        )
    lines = {(p.field, p.message) for p in caught.value.problems}
    assert ("defaults.lift_rate", "low (0.08) must not be above high (0.02)") in lines
    assert ("members.HUN.clout", "missing required key 'high'") in lines
    assert ("dynamics.isolation", "must be a number, or a range {low: …, high: …}") in lines


def test_a_conditional_range_needs_a_demand_like_a_number() -> None:
    data = with_values(
        members__SVK={
            "stance": {"berg": {"conditional": {"low": 0, "high": 0.4}, "acquiesce": 0.8}}
        }
    )
    with pytest.raises(ScenarioError, match="needs at least one demand"):
        validate_data(data)


def test_midpoint_of_a_number_is_the_number() -> None:
    assert midpoint(0.25) == 0.25
    assert midpoint(ProbabilityRange(low=0.2, high=0.4)) == pytest.approx(0.3)


def test_json_schema_takes_a_range_within_the_field_bounds() -> None:
    schema = json.loads(schema_text())
    validator = jsonschema.Draft202012Validator(schema)
    good = json.loads(json.dumps(ranged_data("defaults__lift_rate", 0.02, 0.08)))
    assert not list(validator.iter_errors(good))
    bad = json.loads(json.dumps(ranged_data("defaults__lift_rate", 0.02, 1.5)))
    assert list(validator.iter_errors(bad))


def ranged_data(path: str, low: float, high: float) -> dict[str, Any]:
    return with_values(**{path: {"low": low, "high": high}})


def test_the_bundled_ranges_file_runs_at_the_base_file_values() -> None:
    base = prepare(ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml").model
    ranges = prepare(ROOT / "natosim" / "scenarios" / "nato-2024-rutte-ranges.yaml")
    assert len(list_ranges(ranges.loaded.scenario)) >= 10
    for field in ("stance_prob", "lift_rate", "silence_break", "clout", "grant_rate"):
        assert np.allclose(getattr(ranges.model, field), getattr(base, field)), field
    assert np.allclose(ranges.model.withdraw_rate, base.withdraw_rate)
    assert np.allclose(ranges.model.pressure, base.pressure)


def test_show_lists_the_ranges_and_the_value_a_run_uses() -> None:
    prepared = prepare(ROOT / "natosim" / "scenarios" / "nato-2024-rutte-ranges.yaml")
    console = Console(width=120, record=True, color_system=None)
    console.print(render_show(prepared.loaded.scenario, prepared.model, "file"))
    text = console.export_text()
    assert "Ranges (a run uses each midpoint" in text
    assert "members.HUN.lift_rate" in text
    assert "3 (2–4)" in text  # the summit's pressure in the deadlines table

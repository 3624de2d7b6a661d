"""The scenario library: every file validates and runs, and keeps the shared parameters.

The calibration discipline of docs/validation.md: behavioural numbers (rates, pressures,
silence breaks, dynamics, clout) are set once, as the classes in that page's table, and every
bundled scenario uses only those values. The table is read from the page itself, so the page
and the files cannot drift apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from natosim.model.prepared import Prepared, prepare
from natosim.results.precision import simulate
from natosim.scenario.bodies import scenario_roster
from natosim.studies.backtest import bundled_scenarios, not_a_case

ROOT = Path(__file__).parent.parent
VALIDATION = ROOT / "docs" / "validation.md"
SCENARIOS = bundled_scenarios()
TABLE = re.compile(r"<!-- shared-parameters:begin -->\n(.*?)<!-- shared-parameters:end -->", re.S)


def shared_values() -> dict[str, set[float]]:
    """Parameter name → the values its classes allow, from the table in docs/validation.md."""
    match = TABLE.search(VALIDATION.read_text(encoding="utf-8"))
    assert match, "docs/validation.md lacks the shared-parameters table"
    allowed: dict[str, set[float]] = defaultdict(set)
    for line in match.group(1).splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not cells[2][:1].isdigit():
            continue  # not a number, such as clout's "the roster's"
        for name in re.findall(r"`([^`]+)`", cells[0]):
            allowed[name].add(float(cells[2]))
    return allowed


@pytest.fixture(scope="module")
def allowed() -> dict[str, set[float]]:
    return shared_values()


@pytest.fixture(scope="module", params=SCENARIOS, ids=[p.name for p in SCENARIOS])
def prepared(request: pytest.FixtureRequest) -> Prepared:
    path: Path = request.param
    return prepare(path)


def test_the_library_is_there() -> None:
    names = {p.name for p in SCENARIOS}
    assert "nato-2024-rutte.yaml" in names
    assert sum(1 for name in names if name.startswith("nato-2024-what-if-")) >= 2


def test_every_scenario_runs(prepared: Prepared) -> None:
    report = simulate(prepared, trials=4096, seed=1, workers=1)
    total = sum(e.p for _, e in report.summary.outcomes)
    assert total == pytest.approx(1.0, abs=1e-12)


def test_what_ifs_are_labelled_and_carry_no_outcome(prepared: Prepared) -> None:
    loaded = prepared.loaded
    if loaded.path.name.startswith("nato-2024-what-if-"):
        assert "hypothetical" in loaded.scenario.name.lower()
        assert loaded.scenario.outcome is None
        assert "# HYPOTHETICAL." in loaded.path.read_text(encoding="utf-8")


def test_cases_record_their_outcome_after_their_as_of_date(prepared: Prepared) -> None:
    scenario = prepared.loaded.scenario
    if not_a_case(prepared.loaded) is None:
        assert scenario.outcome is not None and scenario.outcome.date is not None
        assert scenario.outcome.date > scenario.start


def test_rates_come_from_the_shared_classes(
    prepared: Prepared, allowed: dict[str, set[float]]
) -> None:
    model = prepared.model
    assert _values(model.lift_rate) <= allowed["lift_rate"]
    assert _values(model.silence_break) <= allowed["silence_break"]
    assert _values(model.grant_rate) <= allowed["grant_rate"]
    withdrawing = model.withdraw_rate[model.withdraw_rate > 0]
    assert _values(withdrawing) <= allowed["withdraws.rate"]


def test_deadlines_and_dynamics_come_from_the_shared_classes(
    prepared: Prepared, allowed: dict[str, set[float]]
) -> None:
    scenario = prepared.loaded.scenario
    for deadline in scenario.deadlines:
        pressure = float(getattr(deadline.pressure, "midpoint", deadline.pressure))
        assert pressure in allowed["pressure"], deadline.name
        assert deadline.window_days in allowed["window_days"], deadline.name
    model = prepared.model
    assert round(model.deadline_pressure, 12) in allowed["dynamics.deadline_pressure"]
    assert round(model.isolation, 12) in allowed["dynamics.isolation"]
    assert round(model.influence, 12) in allowed["dynamics.influence"]
    assert round(model.package, 12) in allowed["dynamics.package"]
    assert round(model.following, 12) in allowed["dynamics.following"]


def test_new_mechanisms_come_from_the_shared_classes(
    prepared: Prepared, allowed: dict[str, set[float]]
) -> None:
    model = prepared.model
    assert _values(model.bloc_correlation) <= allowed["blocs"]
    assert {round(d.settles or 0.0, 12) for d in model.settling} <= allowed["settles"]
    if model.follows.any():
        assert model.following > 0, "a file that ties members needs dynamics.following"


def test_clout_is_the_rosters(prepared: Prepared) -> None:
    roster = scenario_roster(prepared.loaded.scenario)
    clout = {member.code: member.clout for member in roster.members}
    expected = np.array([clout[code] for code in prepared.model.members])
    assert np.allclose(prepared.model.clout, expected)


def test_the_shared_table_lists_every_parameter(allowed: dict[str, set[float]]) -> None:
    for name in (
        "lift_rate",
        "silence_break",
        "grant_rate",
        "withdraws.rate",
        "pressure",
        "window_days",
        "dynamics.deadline_pressure",
        "dynamics.isolation",
        "dynamics.influence",
        "dynamics.package",
        "dynamics.following",
        "settles",
        "blocs",
    ):
        assert allowed[name], name


def _values(array: np.ndarray) -> set[float]:
    return {round(float(x), 12) for x in np.unique(array)}

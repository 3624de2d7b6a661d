"""From a scenario file to a compiled model, and from a model to a report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from natosim.model.arrays import Model
from natosim.model.compile import compile_model
from natosim.scenario.bodies import scenario_roster
from natosim.scenario.loader import LoadedScenario, load_scenario


@dataclass(frozen=True)
class Prepared:
    """A loaded scenario and its compiled model."""

    loaded: LoadedScenario
    model: Model


def prepare(path: Path) -> Prepared:
    """Load, validate and compile a scenario file (raises ScenarioError for bad input)."""
    loaded = load_scenario(path)
    return Prepared(loaded, compile_model(loaded.scenario, scenario_roster(loaded.scenario)))

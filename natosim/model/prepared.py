"""From a scenario file to a compiled model, and from a model to a report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natosim.engine import EngineName
from natosim.model.arrays import Model
from natosim.model.compile import compile_model
from natosim.results.report import RunReport
from natosim.run.chunks import run_model
from natosim.scenario.bodies import scenario_roster
from natosim.scenario.loader import LoadedScenario, load_scenario
from natosim.scenario.schema import Scenario


@dataclass(frozen=True)
class Prepared:
    """A loaded scenario and its compiled model."""

    loaded: LoadedScenario
    model: Model


def prepare(path: Path) -> Prepared:
    """Load, validate and compile a scenario file (raises ScenarioError for bad input)."""
    loaded = load_scenario(path)
    return Prepared(loaded, compile_model(loaded.scenario, scenario_roster(loaded.scenario)))


def simulate(
    prepared: Prepared,
    trials: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    engine: EngineName = "fast",
) -> RunReport:
    """Run a prepared scenario; trials and seed default to the file's ``simulation`` block."""
    settings = prepared.loaded.scenario.simulation
    seed = settings.seed if seed is None else seed
    run = run_model(prepared.model, seed, trials or settings.trials, workers, engine)
    loaded = prepared.loaded
    return RunReport.of(run, loaded.scenario.name, loaded.label, loaded.sha256)


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario language, for editors and validators."""
    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def schema_text() -> str:
    """The schema as the text committed in docs/scenario.schema.json."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"

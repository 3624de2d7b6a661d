"""The JSON Schema of the scenario language, as committed in docs/scenario.schema.json."""

from __future__ import annotations

import json
from typing import Any

from natosim.scenario.schema import Scenario


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

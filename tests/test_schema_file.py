"""The committed JSON Schema is current and accepts every bundled scenario."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from natosim.scenario.loader import load_scenario
from natosim.scenario.schema_file import schema_text

ROOT = Path(__file__).parent.parent
SCHEMA = ROOT / "docs" / "scenario.schema.json"


def test_committed_schema_is_current() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "docs/scenario.schema.json is stale: run `natosim schema > docs/scenario.schema.json`"
    )


def test_schema_validates_every_bundled_scenario_independently() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in sorted((ROOT / "natosim" / "scenarios").glob("*.yaml")):
        # A file that extends another is checked as merged, the way natosim reads it.
        merged = load_scenario(path).data
        data = json.loads(json.dumps(merged, default=str))
        errors = list(validator.iter_errors(data))
        assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].path)}"


def test_schema_rejects_a_bad_scenario() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    bad = {
        "name": "x",
        "start": "2024-01-01",
        "end": "2024-02-01",
        "candidates": {"a": {"name": "A"}},
        "defaults": {"lift_rate": 2},
    }
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))

"""Property tests: whatever a file holds, loading it gives a scenario or a ScenarioError.

Any other exception would be a traceback in front of a user. Three sources of input: arbitrary
text, arbitrary bytes, and valid scenarios with one part replaced by an arbitrary value.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from helpers import VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from natosim.errors import ScenarioError
from natosim.scenario.loader import LoadedScenario, load_scenario

FUZZ = settings(
    max_examples=200,
    deadline=dt.timedelta(seconds=2),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["support", "conditional", "HUN", "SWE", "rutte", "2024-05-01", "kind"]),
    st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2040, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node of nested dicts and lists, the top excluded."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


ALL_PATHS = paths(VALID)


def load_or_error(path: Path) -> LoadedScenario | None:
    """Load ``path``; None for a ScenarioError (anything else propagates and fails)."""
    try:
        return load_scenario(path)
    except ScenarioError as error:
        assert error.problems
        assert all(problem.line >= 1 and problem.column >= 1 for problem in error.problems)
        return None


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_loads_or_gives_problems(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    load_or_error(path)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes_load_or_give_problems(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(raw)
    load_or_error(path)


@FUZZ
@given(
    yaml_text=st.lists(
        st.sampled_from(
            [
                "a:",
                " b: 1",
                "- x",
                "  - {",
                "}",
                "[",
                "]",
                "&x",
                "*x",
                "!!str",
                "? ",
                ": ",
                "<<: *x",
                "'",
                '"',
                "#",
                "---",
                "...",
                "%YAML 1.1",
                "\t",
                "|",
                ">",
                "name: t",
            ]
        ),
        max_size=20,
    ).map(lambda parts: "\n".join(parts) if len(parts) % 2 else " ".join(parts))
)
def test_yaml_punctuation_loads_or_gives_problems(tmp_path: Path, yaml_text: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    load_or_error(path)


@FUZZ
@given(where=st.sampled_from(ALL_PATHS), value=values, drop=st.booleans())
def test_mutated_valid_scenario_loads_or_gives_problems(
    tmp_path: Path, where: tuple[Any, ...], value: Any, drop: bool
) -> None:
    data = copy.deepcopy(VALID)
    parent = data
    for step in where[:-1]:
        parent = parent[step]
    if drop:
        del parent[where[-1]]
    else:
        parent[where[-1]] = value
    path = tmp_path / "fuzz.yaml"
    with path.open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(data, stream)
    load_or_error(path)


def test_the_unmutated_scenario_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "valid.yaml"
    with path.open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(VALID, stream)
    assert load_or_error(path) is not None

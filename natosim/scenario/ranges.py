"""The ranges of a scenario: list them with their paths, and fix them at chosen values.

A range ``{low, high}`` stands for an uncertain number. ``natosim run`` compiles it at its
midpoint (:func:`~natosim.scenario.schema.midpoint`); ``natosim sensitivity`` varies it, and
:func:`substitute` gives the plain scenario for each choice of values, so the compiler and
the engines only ever see numbers.

Paths are tuples of keys and list indices, written with dots as in ``--set``:
``members.HUN.lift_rate``, ``deadlines.0.pressure``, ``members.HUN.stance.rutte.object``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from natosim.scenario.schema import STANCE_WORDS, Range, Scenario, midpoint
from natosim.scenario.sourcemap import NodePath

TOLERANCE = 1e-9
"""How far outside its range a substituted value may fall (rounding in samplers)."""


@dataclass(frozen=True)
class RangeAt:
    """A range and where it is in the scenario."""

    path: NodePath
    low: float
    high: float

    @property
    def name(self) -> str:
        """The dotted path, e.g. ``members.HUN.lift_rate``."""
        return ".".join(str(step) for step in self.path)

    @property
    def midpoint(self) -> float:
        """The value ``natosim run`` uses."""
        return (self.low + self.high) / 2


def list_ranges(scenario: Scenario) -> tuple[RangeAt, ...]:
    """Every range in ``scenario``, in the order of the schema and then of the file."""
    return tuple(RangeAt(path, value.low, value.high) for path, value in _walk(scenario, ()))


def substitute(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """``scenario`` with the ranges named in ``values`` (by dotted path) set to those numbers.

    In a stance distribution that has a value set, every other range is fixed at its
    midpoint and the words written as plain numbers are scaled, in proportion, so that the
    distribution still sums to 1. Ranges not named keep their place (and run at midpoints).

    Raises:
        KeyError: a path that is not a range of ``scenario``.
        ValueError: a value outside its range.
    """
    found = {item.name: item for item in list_ranges(scenario)}
    edits: dict[NodePath, Any] = {}
    for name, value in values.items():
        item = found[name]
        if not item.low - TOLERANCE <= value <= item.high + TOLERANCE:
            raise ValueError(f"{name}: {value:g} is outside {item.low:g}–{item.high:g}")
        edits[item.path] = min(max(float(value), item.low), item.high)
    rebuilt: Scenario = _apply(scenario, _whole_distributions(scenario, edits))
    return rebuilt


def at_midpoints(scenario: Scenario) -> Scenario:
    """``scenario`` with every range replaced by its midpoint: what ``natosim run`` runs."""
    return substitute(scenario, {item.name: item.midpoint for item in list_ranges(scenario)})


def _walk(node: Any, path: NodePath) -> Iterator[tuple[NodePath, Range]]:
    if isinstance(node, Range):
        yield path, node
    elif isinstance(node, BaseModel):
        for key in type(node).model_fields:
            yield from _walk(getattr(node, key), (*path, key))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _walk(item, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, (*path, index))


def _whole_distributions(scenario: Scenario, edits: dict[NodePath, Any]) -> dict[NodePath, Any]:
    """Edits with each edited stance-distribution entry widened to its whole distribution."""
    whole: dict[NodePath, Any] = {}
    for path, value in edits.items():
        parent = _get(scenario, path[:-1])
        if _is_distribution(parent):
            chosen = {path[-1]: value, **whole.get(path[:-1], {})}
            whole[path[:-1]] = chosen
        else:
            whole[path] = value
    return {
        path: _rescaled(_get(scenario, path), value) if isinstance(value, dict) else value
        for path, value in whole.items()
    }


def _is_distribution(node: Any) -> bool:
    return isinstance(node, dict) and bool(node) and all(key in STANCE_WORDS for key in node)


def _rescaled(distribution: dict[str, Any], chosen: dict[Any, float]) -> dict[str, float]:
    """A plain distribution: ranged words at their chosen values (else midpoints), plain words
    scaled to make up the rest."""
    ranged = {
        word: chosen.get(word, midpoint(p))
        for word, p in distribution.items()
        if isinstance(p, Range)
    }
    plain = {word: float(p) for word, p in distribution.items() if not isinstance(p, Range)}
    rest, written = 1.0 - sum(ranged.values()), sum(plain.values())
    scale = rest / written if written > 0 else 0.0
    scaled = {word: p * scale for word, p in plain.items()}
    return {word: ranged[word] if word in ranged else scaled[word] for word in distribution}


def _get(node: Any, path: NodePath) -> Any:
    for step in path:
        node = getattr(node, str(step)) if isinstance(node, BaseModel) else node[step]
    return node


def _apply(node: Any, edits: Mapping[NodePath, Any]) -> Any:
    """``node`` rebuilt with each path in ``edits`` replaced; untouched parts are shared."""
    if () in edits:
        return edits[()]
    heads: dict[Any, dict[NodePath, Any]] = {}
    for path, value in edits.items():
        heads.setdefault(path[0], {})[path[1:]] = value
    if isinstance(node, BaseModel):
        update = {key: _apply(getattr(node, str(key)), rest) for key, rest in heads.items()}
        return node.model_copy(update=update)
    if isinstance(node, dict):
        return {
            key: _apply(item, heads[key]) if key in heads else item for key, item in node.items()
        }
    return [_apply(item, heads[i]) if i in heads else item for i, item in enumerate(node)]

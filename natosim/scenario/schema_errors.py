"""Validate plain data against :class:`Scenario` and explain each error in the user's terms.

Every pydantic error becomes a :class:`Finding` whose path names real keys and indices of
the data (pydantic's union tags such as ``by_candidate`` or ``endorse`` are dropped) and
whose message says what would be valid.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from natosim.errors import describe
from natosim.scenario.schema import NUMBER_HELP, STANCE_WORDS, Scenario
from natosim.scenario.schema_walk import bounds_at, model_at
from natosim.scenario.sourcemap import Finding, NodePath

MAX_EXPLAINED = 1000
"""Errors explained per validation; beyond that a file is not worth reading line by line."""
_EVENT_KINDS = ("endorse", "stance", "withdraw", "grant")
_PATTERNS = {
    r"^[A-Z]{3}$": "must be a member code of three upper-case letters, e.g. 'HUN'",
    r"^[a-z][a-z0-9_-]*$": "must be a lower-case id of letters, digits, _ and -, e.g. 'rutte'",
}
_BY_TYPE: dict[str, str] = {
    "date_type": "must be a date written YYYY-MM-DD, e.g. 2024-02-23",
    "date_parsing": "must be a date written YYYY-MM-DD, e.g. 2024-02-23",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD, e.g. 2024-02-23",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_parsing_size": "must be a whole number of reasonable size",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "dict_type": "must be a mapping of keys to values",
    "list_type": "must be a list ('- item' lines, or [a, b])",
    "string_too_short": "must not be empty",
}


def check_schema(data: Mapping[str, Any]) -> tuple[Scenario | None, list[Finding]]:
    """Validate ``data``: the scenario, or None and a finding for every error."""
    try:
        return Scenario.model_validate(data), []
    except ValidationError as error:
        details = error.errors(include_url=False)
        found = [item for detail in details[:MAX_EXPLAINED] for item in explain(detail, data)]
        return None, list(dict.fromkeys(found)) or [Finding((), details[0]["msg"])]


def explain(detail: ErrorDetails, data: Mapping[str, Any]) -> list[Finding]:
    """One pydantic error as findings at the right nodes (usually one)."""
    path, at_key = data_path(detail["loc"], data)
    mixed = _mixed_stance_map(path, data)
    if mixed is not None:
        return [_unknown_stance_word((*path[:-1], key)) for key in mixed if key not in STANCE_WORDS]
    return [_finding(detail, path, at_key)]


def _finding(detail: ErrorDetails, path: NodePath, at_key: bool) -> Finding:
    got = None if detail["type"] in ("missing", "extra_forbidden") else describe(detail["input"])
    special = _SPECIAL.get(detail["type"])
    if special is not None:
        return special(detail, path, at_key)
    return Finding(path, _message(detail), got, at_key)


def data_path(loc: tuple[str | int, ...], data: Any) -> tuple[NodePath, bool]:
    """The keys and indices of ``loc`` that exist in ``data``, and whether it names a key.

    Why: a location also holds union tags (``by_candidate``, ``distribution``, ``endorse``),
    ``[key]`` for errors in a mapping key, and the name of a missing key. Walking the data
    keeps only the steps a user can see, so a missing key points at the mapping lacking it.
    """
    node, path, at_key = data, [], False
    for step in loc:
        if step == "[key]":
            at_key = True
        elif _has(node, step):
            node = node[step]
            path.append(step)
    return tuple(path), at_key


def _has(node: Any, step: str | int) -> bool:
    if isinstance(node, Mapping):
        return step in node
    return isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)


def _message(detail: ErrorDetails) -> str:
    kind, ctx = detail["type"], detail.get("ctx", {})
    if kind in ("float_type", "float_parsing") and "number" in detail["loc"]:
        return NUMBER_HELP  # the field also takes a range
    if kind in _BY_TYPE:
        return _BY_TYPE[kind]
    if kind == "date_from_datetime_inexact":
        timed = isinstance(detail["input"], dt.datetime)
        return "must be a date without a time of day" if timed else _BY_TYPE["date_type"]
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _range(detail["loc"], ctx)
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(ctx.get("pattern", ""), detail["msg"])
    if kind == "literal_error":
        words = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return _one_of(words, detail["input"])
    if kind in ("model_type", "model_attributes_type"):
        model = model_at(detail["loc"])
        keys = ", ".join(list(model.model_fields)[:4]) if model else ""
        return f"must be a mapping with keys such as {keys}"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return f"needs at least {least} {'entry' if least == 1 else 'entries'}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    return str(detail["msg"]).removeprefix("Value error, ")


def _range(loc: tuple[str | int, ...], ctx: dict[str, Any]) -> str:
    lower, upper = bounds_at(loc)
    if lower is not None and upper is not None:
        return f"must be between {_number(lower)} and {_number(upper)}"
    if "ge" in ctx or "gt" in ctx:
        return f"must be at least {_number(ctx.get('ge', ctx.get('gt')))}"
    return f"must be at most {_number(ctx.get('le', ctx.get('lt')))}"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _one_of(words: list[str], value: Any) -> str:
    text = "must be one of " + ", ".join(words)
    return text + did_you_mean(value, words)


def did_you_mean(value: Any, choices: Any) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or ``""``."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _extra(detail: ErrorDetails, path: NodePath, at_key: bool) -> Finding:
    key = str(detail["loc"][-1])
    model = model_at(detail["loc"][:-1])
    fields = list(model.model_fields) if model else []
    hint = did_you_mean(key, fields) or (f"; valid keys: {', '.join(fields)}" if fields else "")
    return Finding(path, f"unknown key {describe(key)}{hint}", None, True)


def _missing(detail: ErrorDetails, path: NodePath, at_key: bool) -> Finding:
    return Finding(path, f"missing required key '{detail['loc'][-1]}'")


def _event_kind(detail: ErrorDetails, path: NodePath, at_key: bool) -> Finding:
    event = detail["input"]
    if not isinstance(event, Mapping):
        return Finding(path, "an event must be a mapping with keys date, kind, …", describe(event))
    if "kind" not in event:
        return Finding(path, "missing required key 'kind' (endorse, stance, withdraw or grant)")
    kind = event["kind"]
    return Finding((*path, "kind"), _one_of(list(_EVENT_KINDS), kind), describe(kind))


_SPECIAL: dict[str, Callable[[ErrorDetails, NodePath, bool], Finding]] = {
    "extra_forbidden": _extra,
    "missing": _missing,
    "event_kind": _event_kind,
}


def _mixed_stance_map(path: NodePath, data: Any) -> Mapping[str, Any] | None:
    """The stance map holding the key at ``path`` if it mixes stance words with other keys.

    Why: ``{suport: 0.6, acquiesce: 0.4}`` is a typo in a distribution, but the schema reads
    any map with a non-word key as a per-candidate map and would complain about every key.
    """
    if len(path) < 2 or path[-2] != "stance" or not isinstance(path[-1], str):
        return None
    parent: Any = data
    for step in path[:-1]:
        parent = parent[step]
    keys = set(parent) if isinstance(parent, Mapping) else set()
    mixed = bool(keys & set(STANCE_WORDS)) and bool(keys - set(STANCE_WORDS))
    return parent if mixed else None


def _unknown_stance_word(path: NodePath) -> Finding:
    key = str(path[-1])
    hint = did_you_mean(key, STANCE_WORDS)
    rule = "; a stance map uses only support, acquiesce, conditional and object"
    return Finding(path, f"unknown stance word {describe(key)}{hint or rule}", None, True)

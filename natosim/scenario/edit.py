"""What-if edits of a scenario: ``--set PATH=VALUE``, applied to the data and validated.

PATH names a node of the scenario language with dots: mapping keys by name, list items by
0-based index (``members.HUN.stance.rutte``, ``dynamics.deadline_pressure``,
``events.0.date``). VALUE is read as YAML by the loader's safe reader, so ``support``,
``0.1``, ``2024-04-01`` and ``{object: 0.5, acquiesce: 0.5}`` all work.

Missing mapping keys are created (a member not yet listed under ``members`` gets an entry),
and a list may grow by one item at its end (``deadlines.2={name: …, date: …}``). Whether the
result makes sense is then up to :func:`~natosim.scenario.loader.validate_data`, whose
problems are re-labelled with the option that caused them.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natosim.errors import Problem, ScenarioError, UserError, describe
from natosim.scenario.loader import LoadedScenario, scenario_hash, validate_data
from natosim.scenario.schema import STANCE_WORDS
from natosim.scenario.yamlio import parse_yaml

Assignment = tuple[str, Any]
"""A dotted path and the value to put there."""

_NOWHERE = Path("<command line>")
_EXAMPLE = "e.g. members.HUN.stance.rutte=support"
_NO_EXTENDS = (
    "cannot be set: the files a scenario extends are read before any edit; "
    "edit a copy of the file instead"
)


@dataclass(frozen=True)
class SetProblem(Problem):
    """A problem caused by an edit on the command line: shown by its option and path.

    Prints as ``--set PATH  [field  ]message (got VALUE)``; the field is left out when it is
    the edited path itself.
    """

    option: str = "--set"
    path: str = ""

    def __str__(self) -> str:
        parts = [f"{self.option} {self.path}"]
        if self.field and self.field != self.path:
            parts.append(self.field)
        text = "  ".join([*parts, self.message])
        return text if self.got is None else f"{text} (got {self.got})"


def parse_assignment(text: str, option: str = "--set") -> Assignment:
    """Split ``PATH=VALUE`` and read VALUE as YAML.

    Raises:
        UserError: when there is no ``=`` or no path, or VALUE is not readable YAML.
    """
    path, equals, raw = text.partition("=")
    if not equals or not path.strip():
        raise UserError(f"{option} {text!r}: expected PATH=VALUE, {_EXAMPLE}")
    return path.strip(), parse_value(raw, f"{option} {path.strip()}")


def parse_value(raw: str, where: str = "--set") -> Any:
    """One YAML scalar or flow value (``0.1``, ``support``, ``[a, b]``, ``{a: 1}``).

    Raises:
        UserError: when ``raw`` is not a single readable YAML value.
    """
    if "\n" in raw or "\r" in raw:
        raise UserError(f"{where}: a value must fit on one line (got {raw!r})")
    document = parse_yaml(_NOWHERE, f"value: {raw}\n")
    data = document.data
    if document.problems or data is None or list(data) != ["value"]:
        why = document.problems[0].message if document.problems else "not a single value"
        raise UserError(f"{where}: cannot read {raw!r} as a YAML value: {why}")
    return data["value"]


def set_path(data: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at the dotted ``path``; ``data`` is not changed.

    A stance written once for every candidate (``stance: acquiesce``) is spread into one
    entry per candidate when the path names a candidate below it.

    Raises:
        ScenarioError: with a :class:`SetProblem` when the path cannot lead anywhere: an
            empty part, a key below a plain value, a list index that is not a number or is
            past the end.
    """
    result = copy.deepcopy(dict(data))
    steps = path.split(".")
    if any(not step.strip() for step in steps):
        _fail(path, "", "every part of the path must be a key or an index; " + _EXAMPLE)
    if steps[0] == "extends":
        _fail(path, "", _NO_EXTENDS, describe(value))
    node: Any = result
    for depth in range(len(steps) - 1):
        node = _descend(result, node, steps, depth)
    _put(node, steps, value, path)
    return result


def _descend(top: dict[str, Any], node: Any, steps: list[str], depth: int) -> Any:
    """The child of ``node`` named ``steps[depth]``, created or spread out if need be."""
    step, path = steps[depth], ".".join(steps)
    if isinstance(node, list):
        index = _index(node, steps, depth, path, appending=False)
        return node[index]
    if not isinstance(node, dict):
        _not_a_container(node, steps, depth, path)
    child = node.get(step)
    if child is None:
        child = node[step] = {}
    if _is_stance(steps[: depth + 1]) and steps[depth + 1] not in STANCE_WORDS:
        child = node[step] = _per_candidate(top, child)
    return child


def _put(node: Any, steps: list[str], value: Any, path: str) -> None:
    depth = len(steps) - 1
    if isinstance(node, list):
        index = _index(node, steps, depth, path, appending=True)
        if index == len(node):
            node.append(None)
        node[index] = copy.deepcopy(value)
    elif isinstance(node, dict):
        node[steps[-1]] = copy.deepcopy(value)
    else:
        _not_a_container(node, steps, depth, path)


def _index(node: list[Any], steps: list[str], depth: int, path: str, *, appending: bool) -> int:
    """The list index named by ``steps[depth]``; one past the end only when appending."""
    step, where = steps[depth], ".".join(steps[:depth]) or "the top"
    last = len(node) if appending else len(node) - 1
    if not step.isdigit():
        _fail(path, where, f"is a list: use an item number 0 to {last}, not '{step}'")
    index = int(step)
    if index > last:
        extra = f"; to add an item, set {where}.{len(node)} to a whole item" if node else ""
        _fail(path, where, f"has {len(node)} item(s), so no item {index}{extra}")
    return index


def _not_a_container(node: Any, steps: list[str], depth: int, path: str) -> None:
    where = ".".join(steps[:depth])
    message = f"is a single value, so it has no '{steps[depth]}'; set {where} itself"
    _fail(path, where, message, describe(node))


def _is_stance(steps: Sequence[str]) -> bool:
    """Whether the path names a member's or the defaults' ``stance``."""
    as_tuple = tuple(steps)
    return as_tuple == ("defaults", "stance") or (
        len(as_tuple) == 3 and as_tuple[0] == "members" and as_tuple[2] == "stance"
    )


def _per_candidate(top: Mapping[str, Any], stance: Any) -> Any:
    """A stance for every candidate (a word or a distribution) as one entry per candidate."""
    single = isinstance(stance, str) or (
        isinstance(stance, dict) and bool(stance) and all(key in STANCE_WORDS for key in stance)
    )
    candidates = top.get("candidates")
    if not single or not isinstance(candidates, dict):
        return stance
    return {cid: copy.deepcopy(stance) for cid in candidates}


def _fail(path: str, field: str, message: str, got: str | None = None) -> None:
    raise ScenarioError([SetProblem(_NOWHERE, 1, 1, field, message, got, path=path)])


def edit_scenario(
    loaded: LoadedScenario, assignments: Sequence[Assignment], option: str = "--set"
) -> LoadedScenario:
    """``loaded`` with every assignment applied in order, validated like a file.

    Args:
        loaded: The scenario as read from its file.
        assignments: Paths and values; a later one wins over an earlier one on the same path.
        option: The command-line option named in problems (``--set``, ``--vary``).

    Raises:
        ScenarioError: every problem at once. A problem inside (or above) an edited node
            names the option and path; any other names its place in the file and the edits
            that caused it.
    """
    data, problems = loaded.data, list[Problem]()
    for path, value in assignments:
        try:
            data = set_path(data, path, value)
        except ScenarioError as error:
            problems.extend(dataclasses.replace(p, option=option) for p in _set(error))
    if problems:
        raise ScenarioError(problems)
    try:
        scenario = validate_data(data, loaded.sources, files=loaded.files)
    except ScenarioError as error:
        paths = [path for path, _ in assignments]
        raise ScenarioError([_blame(p, paths, option) for p in error.problems]) from None
    sha = scenario_hash(scenario)
    return LoadedScenario(scenario, loaded.path, loaded.files, sha, data, loaded.sources)


def _set(error: ScenarioError) -> list[SetProblem]:
    return [p for p in error.problems if isinstance(p, SetProblem)]


def _blame(problem: Problem, paths: Sequence[str], option: str) -> Problem:
    """The problem labelled with the edit it lies in or above, else with all the edits."""
    related = [path for path in paths if problem.field and _overlap(problem.field, path)]
    if related:
        path = max(related, key=len)
        fields = dataclasses.asdict(problem)
        return SetProblem(**fields, option=option, path=path)
    after = ", ".join(f"{option} {path}" for path in paths)
    return dataclasses.replace(problem, message=f"{problem.message} (after {after})")


def _overlap(field: str, path: str) -> bool:
    """Whether one dotted path lies inside the other (or they are the same)."""
    return field == path or field.startswith(path + ".") or path.startswith(field + ".")

"""A scenario as the API hands it out: loaded, validated, compiled, and editable by path."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natosim.model.compile import compile_model
from natosim.model.prepared import Prepared, prepare
from natosim.scenario.bodies import scenario_roster
from natosim.scenario.edit import Assignment, edit_scenario, parse_assignment
from natosim.scenario.schema import Scenario as Spec

Changes = Mapping[str, Any] | Iterable[str]
"""Edits of a scenario: ``{"members.HUN.stance.rutte": "object"}``, or ``PATH=VALUE`` texts
as ``--set`` takes them (the value read as YAML)."""


@dataclass(frozen=True)
class Scenario:
    """A validated scenario and its compiled model.

    Get one with :func:`natosim.load`; derive variants with :meth:`with_value`. Equal
    scenarios have equal :attr:`sha256`, however their files are laid out.
    """

    prepared: Prepared
    edits: tuple[Assignment, ...] = ()

    @property
    def spec(self) -> Spec:
        """The validated scenario language (pydantic model): every field of the file."""
        return self.prepared.loaded.scenario

    @property
    def name(self) -> str:
        """The scenario's ``name``."""
        return self.spec.name

    @property
    def path(self) -> Path:
        """The file it was loaded from."""
        return self.prepared.loaded.path

    @property
    def label(self) -> str:
        """How reports name the file: a bundled scenario's name, or the path as given."""
        return self.prepared.loaded.label

    @property
    def sha256(self) -> str:
        """Hash of the scenario's content, edits included."""
        return self.prepared.loaded.sha256

    @property
    def start(self) -> dt.date:
        """The as-of date: the scenario uses only what was public then."""
        return self.spec.start

    @property
    def members(self) -> tuple[str, ...]:
        """Codes of the members that take part."""
        return self.prepared.model.members

    @property
    def candidates(self) -> tuple[str, ...]:
        """Ids of the candidates."""
        return self.prepared.model.candidates

    def with_value(self, path: str, value: Any) -> Scenario:
        """A variant with one value changed, e.g. ``("members.HUN.stance.rutte", "object")``.

        The path grammar and its errors are those of ``natosim whatif --set``.

        Raises:
            ScenarioError: For a path or value the scenario language does not accept.
        """
        return self.with_values({path: value})

    def with_values(self, changes: Changes) -> Scenario:
        """A variant with several values changed at once (see :data:`Changes`)."""
        assignments = assignments_of(changes)
        loaded = edit_scenario(self.prepared.loaded, assignments)
        model = compile_model(loaded.scenario, scenario_roster(loaded.scenario))
        return Scenario(Prepared(loaded, model), (*self.edits, *assignments))

    def __repr__(self) -> str:
        """Name, file and hash."""
        edits = f", {len(self.edits)} edit(s)" if self.edits else ""
        return f"<Scenario {self.name!r} from {self.label}{edits} sha256 {self.sha256[:12]}>"


Source = Scenario | str | os.PathLike[str]
"""A scenario, a path to a scenario file, or a bundled scenario's name."""


def load(source: Source) -> Scenario:
    """Load, validate and compile a scenario file or a bundled scenario by name.

    Raises:
        ScenarioError: With every problem in the file, each at its line and column.
    """
    if isinstance(source, Scenario):
        return source
    return Scenario(prepare(Path(source)))


def assignments_of(changes: Changes) -> tuple[Assignment, ...]:
    """Edits as (path, value) pairs; ``PATH=VALUE`` texts parsed as ``--set`` parses them."""
    if isinstance(changes, Mapping):
        return tuple((str(path), value) for path, value in changes.items())
    if isinstance(changes, str):
        return (parse_assignment(changes),)
    return tuple(parse_assignment(text) for text in changes)

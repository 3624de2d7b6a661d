"""Build plain Python data and a source map from a stream of YAML parser events.

Why events and not ruamel's composer or constructor: working on events lets us refuse
anchors, aliases, merge keys and tags *before* anything is expanded or constructed (which
bounds alias bombs and rules out object construction), report every duplicate key rather
than the first, and record the position of every key and value on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.nodes import ScalarNode

from natosim.errors import Problem
from natosim.scenario.sourcemap import NodePath, Position, SourceMap, dotted

MAX_DEPTH = 50
"""Deepest nesting of mappings and lists accepted; scenarios need about six levels."""
MAX_PROBLEMS_PER_FILE = 50
"""Reading stops after this many problems, so that a hostile file cannot flood the output."""

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML + name for name in ("str", "int", "float", "bool", "null"))
_ALLOWED_TAGS = {
    ScalarEvent: _SCALAR_TAGS | {_YAML + "timestamp"},
    MappingStartEvent: frozenset({_YAML + "map"}),
    SequenceStartEvent: frozenset({_YAML + "seq"}),
}
_ANCHORS = "anchors and aliases (& and *) are not supported in scenario files; write the value out"
_PLAIN_KEYS = "keys must be plain text, without anchors or tags"
_MERGE = "merge keys (<<) are not supported in scenario files; write the keys out"


class ReadingAbortedError(Exception):
    """Raised inside the builder when the file cannot be read any further."""

    def __init__(self, problem: Problem) -> None:
        """Keep the problem that stopped reading."""
        super().__init__(problem.message)
        self.problem = problem


class TreeBuilder:
    """Turns the events of one YAML document into plain data, positions and problems."""

    def __init__(self, file: Path, yaml: YAML, events: Iterator[Event]) -> None:
        """Prepare to read ``events`` of ``file``, resolving scalars the way ``yaml`` does."""
        self.file = file
        self._problems: list[Problem] = []
        self._first_anchor: Problem | None = None
        self._anchors = 0
        self.sources = SourceMap(file)
        self._tainted: set[NodePath] = set()
        self._events = events
        self._resolver = yaml.resolver
        self._constructor = yaml.constructor

    def finish(self) -> SourceMap:
        """The source map, with the nodes that were reported as unreadable."""
        sources = self.sources
        return SourceMap(self.file, sources.values, sources.keys, frozenset(self._tainted))

    def document(self) -> tuple[bool, Any]:
        """Read the first document: ``(False, None)`` when the stream has none."""
        next(self._events)  # the stream start
        start = next(self._events)
        if isinstance(start, StreamEndEvent):
            return False, None
        data = self.node(next(self._events), (), 0)
        next(self._events)  # the document end
        extra = next(self._events)
        if isinstance(extra, DocumentStartEvent):
            self.report(extra, "", "a scenario file holds one YAML document; remove this '---'")
        return True, data

    @property
    def problems(self) -> list[Problem]:
        """The problems found so far; anchors and aliases count once, at the first of them."""
        if self._first_anchor is None:
            return list(self._problems)
        more = self._anchors - 1
        suffix = f" ({more} more in this file)" if more else ""
        first = self._first_anchor
        return [*self._problems, replace(first, message=first.message + suffix)]

    def report(self, event: Event, field: str, message: str, got: str | None = None) -> None:
        """Record a problem at ``event``; stop reading once there are too many."""
        self._problems.append(Problem(self.file, *self._line_col(event), field, message, got))
        if len(self._problems) >= MAX_PROBLEMS_PER_FILE:
            stop = f"stopped reading after {MAX_PROBLEMS_PER_FILE} problems"
            raise ReadingAbortedError(Problem(self.file, *self._line_col(event), "", stop))

    def node(self, event: Event, path: NodePath, depth: int) -> Any:
        """Read the node that starts with ``event``, found at ``path``."""
        if depth > MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels is not supported"
            raise ReadingAbortedError(
                Problem(self.file, *self._line_col(event), dotted(path), message)
            )
        self.sources.values[path] = self._position(event)
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            self._anchor(event, path)
            if isinstance(event, AliasEvent):
                return None
        self._check_tag(event, path)
        if isinstance(event, MappingStartEvent):
            return self._mapping(path, depth)
        if isinstance(event, SequenceStartEvent):
            return self._sequence(path, depth)
        return self._scalar(event) if isinstance(event, ScalarEvent) else None

    def _mapping(self, path: NodePath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        while not isinstance(key_event := next(self._events), MappingEndEvent):
            key = self._key(key_event, path)
            value_event = next(self._events)
            if key is None:
                self._skip(value_event)
            elif key in first_lines:
                message = f"duplicate key '{key}' (first at line {first_lines[key]})"
                self.report(key_event, dotted((*path, key)), message)
                self._skip(value_event)
            else:
                first_lines[key] = key_event.start_mark.line + 1
                self.sources.keys[(*path, key)] = self._position(key_event)
                result[key] = self.node(value_event, (*path, key), depth + 1)
        return result

    def _sequence(self, path: NodePath, depth: int) -> list[Any]:
        result: list[Any] = []
        while not isinstance(event := next(self._events), SequenceEndEvent):
            result.append(self.node(event, (*path, len(result)), depth + 1))
        return result

    def _key(self, event: Event, path: NodePath) -> str | None:
        """The text of a mapping key, or None (reported) when it cannot be used as one."""
        if not isinstance(event, ScalarEvent):
            self._refuse(event, path, "keys must be plain text, not lists or mappings")
            self._skip(event)
            return None
        if event.tag is None and event.implicit[0] and event.value == "<<":
            self._refuse(event, path, _MERGE)
            return None
        if event.anchor is not None or event.tag is not None:
            self._refuse(event, path, _PLAIN_KEYS, taint=False)
        return str(event.value)

    def _scalar(self, event: ScalarEvent) -> Any:
        tag = str(event.tag) if event.tag in _SCALAR_TAGS else None
        # Why str(): the resolver returns Tag objects, which do not hash like their text.
        tag = tag or str(self._resolver.resolve(ScalarNode, event.value, event.implicit))
        construct = self._constructor.yaml_constructors.get(tag)
        if tag == _YAML + "str" or construct is None:
            return event.value
        try:
            return construct(self._constructor, ScalarNode(tag, event.value))
        except (ValueError, KeyError, TypeError, ArithmeticError):
            # Why: text YAML cannot convert (2024-13-45, !!int abc, a 5000-digit number)
            # stays text, so that validation reports it at its field with what is expected.
            return event.value

    def _check_tag(self, event: Event, path: NodePath) -> None:
        tag = getattr(event, "tag", None)
        tag = None if tag is None else str(tag)
        if tag is None or tag in _ALLOWED_TAGS.get(type(event), ()):
            return
        shown = tag.replace(_YAML, "!!")
        message = f"YAML tags such as {shown} are not supported in scenario files; remove it"
        self._refuse(event, path, message)

    def _refuse(self, event: Event, path: NodePath, message: str, *, taint: bool = True) -> None:
        if taint:
            self._tainted.add(path)
        self.report(event, dotted(path), message)

    def _skip(self, event: Event) -> None:
        """Consume the events of a node without building it (no recursion, any depth)."""
        depth = 1 if isinstance(event, CollectionStartEvent) else 0
        while depth:
            event = next(self._events)
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                self._anchor(event, ())
            depth += isinstance(event, CollectionStartEvent)
            depth -= isinstance(event, CollectionEndEvent)

    def _anchor(self, event: Event, path: NodePath) -> None:
        """Note an anchor or alias; only the first is reported, with a count of the others.

        Why: an alias bomb holds hundreds of aliases; one line says all there is to say.
        """
        if isinstance(event, AliasEvent):
            self._tainted.add(path)
        self._anchors += 1
        if self._first_anchor is None:
            where = self._line_col(event)
            self._first_anchor = Problem(self.file, *where, dotted(path), _ANCHORS)

    def _position(self, event: Event) -> Position:
        return Position(self.file, *self._line_col(event))

    @staticmethod
    def _line_col(event: Event) -> tuple[int, int]:
        return event.start_mark.line + 1, event.start_mark.column + 1

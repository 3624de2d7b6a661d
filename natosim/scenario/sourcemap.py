"""Where each key and value of a scenario came from: file, line and column.

A node is named by its path from the top of the document: ``("members", "HUN", "stance",
"rutte")`` or ``("events", 0, "members", 1)``. A :class:`SourceMap` keeps, for every node, the
position of its value and, for mapping entries, the position of its key.

Convention used by every message: a wrong *value* points at the value, an unknown or
misplaced *key* points at the key, and a missing key points at the mapping that lacks it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from natosim.errors import Problem

NodePath = tuple[str | int, ...]
"""Keys (str) and list indices (int) from the top of a document to one node."""


class Finding(NamedTuple):
    """A problem found in plain data, before it is placed in a file.

    Attributes:
        path: The offending node.
        message: What is wrong and what would be valid.
        got: Short rendering of the offending value, if any.
        at_key: Point at the node's key (an unknown or misplaced key) rather than its value.
    """

    path: NodePath
    message: str
    got: str | None = None
    at_key: bool = False


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file."""

    file: Path
    line: int
    column: int


@dataclass(frozen=True)
class SourceMap:
    """Positions of the values and keys of one (possibly merged) document.

    Attributes:
        file: The file of last resort, used when no node on the path has a known position.
        values: Where the value of each node starts.
        keys: Where the key of each mapping entry starts.
        tainted: Nodes already reported as unreadable (aliases, custom tags); later checks
            stay silent about them and everything below them.
    """

    file: Path
    values: dict[NodePath, Position] = field(default_factory=dict)
    keys: dict[NodePath, Position] = field(default_factory=dict)
    tainted: frozenset[NodePath] = frozenset()

    def value(self, path: NodePath) -> Position:
        """Position of the value at ``path``, else of its nearest known ancestor."""
        for depth in range(len(path), -1, -1):
            found = self.values.get(path[:depth])
            if found is not None:
                return found
        return Position(self.file, 1, 1)

    def key(self, path: NodePath) -> Position:
        """Position of the key of ``path``; for list items and the top, of the value."""
        return self.keys.get(path) or self.value(path)

    def is_tainted(self, path: NodePath) -> bool:
        """Whether ``path`` is, or lies below, a node already reported as unreadable."""
        return any(path[:depth] in self.tainted for depth in range(len(path) + 1))


def place(finding: Finding, sources: SourceMap) -> Problem:
    """The problem a finding describes, at its position in the source files."""
    path = finding.path
    where = sources.key(path) if finding.at_key else sources.value(path)
    return Problem(where.file, where.line, where.column, dotted(path), finding.message, finding.got)


def dotted(path: NodePath) -> str:
    """The field path as users read it: ``members.HUN.stance.rutte``; ``""`` for the top."""
    return ".".join(str(part) for part in path)


def node_paths(data: Any, prefix: NodePath = ()) -> Iterator[NodePath]:
    """Every node path in plain data (dicts and lists), parents before children."""
    yield prefix
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from node_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from node_paths(value, (*prefix, index))


def overlay(base: SourceMap, top: SourceMap, merged: Any) -> SourceMap:
    """Positions for ``merged``, the result of merging ``top`` over ``base``.

    Why: after a merge, a node that exists in ``top`` came from ``top`` (it was either
    replaced or merged into a mapping that ``top`` also has); any other node came from
    ``base``. Walking the merged data drops positions of base nodes that were replaced.
    """
    values: dict[NodePath, Position] = {}
    keys: dict[NodePath, Position] = {}
    for path in node_paths(merged):
        source = top if path in top.values else base
        if path in source.values:
            values[path] = source.values[path]
        if path in source.keys:
            keys[path] = source.keys[path]
    live = set(values)
    tainted = frozenset(path for path in base.tainted | top.tainted if path in live)
    return SourceMap(top.file, values, keys, tainted)

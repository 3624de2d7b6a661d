"""Follow ``extends:`` from a scenario file to its bases and merge them.

Semantics: ``extends`` names another scenario file, relative to the extending file. Mappings
merge key by key, recursively; lists and scalars of the extending file replace the base's.
Chains are allowed; a cycle, a missing base file or a non-text ``extends`` is a problem at the
``extends`` value. Each merged node keeps the position (file, line, column) it came from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natosim.errors import Problem, describe, escape
from natosim.paths import not_a_regular_file, same_file
from natosim.scenario.library import bundled_path
from natosim.scenario.schema import STANCE_WORDS, Scenario
from natosim.scenario.sourcemap import Finding, SourceMap, overlay, place
from natosim.scenario.yamlio import YamlDocument, read_yaml


@dataclass(frozen=True)
class Chain:
    """A scenario file with everything it extends, merged.

    Attributes:
        files: The files read, the given one first, then its base, the base's base, ….
        data: The merged data, or None when a file could not be read or the chain is broken.
        sources: Positions of the merged nodes, each in the file it came from.
        problems: Every problem found while reading and following the chain.
    """

    files: tuple[Path, ...]
    data: dict[str, Any] | None
    sources: SourceMap
    problems: tuple[Problem, ...]


def read_chain(path: Path) -> Chain:
    """Read ``path`` and the files it extends, and merge them (the given file wins)."""
    documents = [read_yaml(path)]
    problems = list(documents[0].problems)
    broken = False
    while (data := documents[-1].data) is not None and "extends" in data:
        base = _base_path(documents, data["extends"])
        if isinstance(base, Problem):
            problems.append(base)
            broken = True
            break
        document = read_yaml(base)
        if _not_a_scenario(document):
            message = f"base file is not a scenario: {escape(str(base))} ({_SHAPE})"
            problems.append(_at_extends(documents[-1], message))
            broken = True
            break
        documents.append(document)
        problems.extend(document.problems)
    files = tuple(document.path for document in documents)
    readable = [document for document in documents if document.data is not None]
    if broken or len(readable) < len(documents):
        return Chain(files, None, SourceMap(path), tuple(problems))
    merged, sources = _merge_documents(readable)
    return Chain(files, merged, sources, tuple(problems))


def merge(base: Any, top: Any) -> Any:
    """``top`` merged over ``base``: mappings key by key, anything else replaced by ``top``.

    Why: a stance distribution is one value, not a set of settings; merging it word by word
    would leave words of the base behind and break its sum, so it replaces as a whole.
    """
    if not (isinstance(base, Mapping) and isinstance(top, Mapping)) or _is_distribution(top):
        return top
    merged = dict(base)
    for key, value in top.items():
        merged[key] = merge(base[key], value) if key in base else value
    return merged


def _is_distribution(value: Mapping[Any, Any]) -> bool:
    return bool(value) and all(key in STANCE_WORDS for key in value)


def _base_path(documents: list[YamlDocument], value: Any) -> Path | Problem:
    """The file that the last document extends, or the problem with its ``extends`` value."""
    document = documents[-1]
    if not isinstance(value, str) or not value.strip():
        message = "must be a scenario file, relative to this one, or a bundled scenario's name"
        return _at_extends(document, message, describe(value))
    base = Path(os.path.normpath(document.path.parent / value))
    if not os.path.exists(base) and Path(value).parent == Path():  # noqa: PTH110 (no OSError)
        base = bundled_path(value) or base
    seen = [doc.path for doc in documents]
    if any(same_file(base, earlier) for earlier in seen):
        cycle = " → ".join(str(p) for p in [*seen, base])
        return _at_extends(document, f"extends cycle: {cycle}")
    why = not_a_regular_file(base)
    if why is not None:
        what = _BASE_PROBLEMS.get(why, f"is {why}")
        shown = escape(str(base))
        return _at_extends(document, f"base file {what}: {shown} (paths are relative to this file)")
    return base


_SHAPE = "its top level is not a mapping of scenario keys such as name, start and end"
_TOP_LEVEL_PREFIX = "the top level of a scenario must be a mapping"
_BASE_PROBLEMS = {"not found": "not found", "a directory, not a regular file": "is a directory"}


def _not_a_scenario(document: YamlDocument) -> bool:
    """Whether a base file read as YAML is something else: a list, text, or foreign keys.

    Why: ``extends: /etc/shadow`` would otherwise list every line of that file as an
    unknown key; a file that is not a scenario gets one line, and none of its content.
    """
    if document.data is None:
        return any(p.message.startswith(_TOP_LEVEL_PREFIX) for p in document.problems)
    return not any(key in Scenario.model_fields for key in document.data)


def _at_extends(document: YamlDocument, message: str, got: str | None = None) -> Problem:
    return place(Finding(("extends",), message, got), document.sources)


def _merge_documents(documents: list[YamlDocument]) -> tuple[dict[str, Any], SourceMap]:
    """Merge from the deepest base up to the given file (all documents were read)."""
    data: dict[str, Any] = {}
    sources = SourceMap(documents[-1].path)
    for document in reversed(documents):
        data = merge(data, document.data or {})
        sources = overlay(sources, document.sources, data)
    return data, sources

"""Read one YAML file safely into plain data with the position of every key and value.

Hostile or broken input is refused in bounded time and memory with a :class:`Problem`,
never a traceback: files over :data:`MAX_FILE_BYTES`, binary or non-UTF-8 files, empty
files, directories, missing files, YAML syntax errors, tags that would construct objects,
anchors, aliases and merge keys (which bounds alias bombs), and a top level that is not a
mapping. Mapping keys are always strings (the key's text as written). Values are ``dict``,
``list``, ``str``, ``int``, ``float``, ``bool``, ``None``, ``datetime.date`` or
``datetime.datetime``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from natosim.errors import Problem, describe
from natosim.paths import kind_of, not_a_regular_file, reason
from natosim.scenario.sourcemap import SourceMap
from natosim.scenario.yamltree import ReadingAbortedError, TreeBuilder

MAX_FILE_BYTES = 1024 * 1024
"""Largest scenario file accepted (1 MiB); real scenarios are a few kilobytes."""

_HINTS = {
    "mapping values are not allowed here": "; check the indentation, or quote a value with ': '",
}
_UNREADABLE = {
    "not found": "file not found",
    "a directory, not a regular file": "this is a directory; give a scenario file (.yaml)",
}
_EMPTY = "the file is empty; a scenario needs at least name, start, end and candidates"
_TOP_LEVEL = "the top level of a scenario must be a mapping of keys such as name, start and end"


@dataclass(frozen=True)
class YamlDocument:
    """What reading one file gave.

    Attributes:
        path: The file, as given.
        data: The top-level mapping, or None when the file could not be read at all.
        sources: Positions of its keys and values.
        problems: Everything wrong found while reading, in file order.
    """

    path: Path
    data: dict[str, Any] | None
    sources: SourceMap
    problems: tuple[Problem, ...]


def read_yaml(path: Path) -> YamlDocument:
    """Read ``path`` as a scenario document; problems are returned, not raised."""
    raw = _read_bytes(path)
    if isinstance(raw, Problem):
        return _failed(path, [raw])
    text = _decode(path, raw)
    if isinstance(text, Problem):
        return _failed(path, [text])
    if not text.strip():
        return _failed(path, [_at_start(path, _EMPTY)])
    return parse_yaml(path, text)


def read_text(path: Path) -> str | Problem:
    """The text of a UTF-8 file of at most 1 MiB, or the problem that prevents reading it."""
    raw = _read_bytes(path)
    return raw if isinstance(raw, Problem) else _decode(path, raw)


def parse_yaml(path: Path, text: str) -> YamlDocument:
    """Parse YAML ``text`` that came from ``path`` (used for messages only)."""
    yaml = YAML(typ="safe", pure=True)
    builder = TreeBuilder(path, yaml, iter(yaml.parse(text)))
    try:
        found, data = builder.document()
    except ReadingAbortedError as stop:
        return _failed(path, [*builder.problems, stop.problem])
    except YAMLError as error:
        return _failed(path, [*builder.problems, _syntax_problem(path, text, error)])
    problems = list(builder.problems)
    if not found or data is None:
        problems.append(_at_start(path, "the file has no content, only comments or blank lines"))
    elif not isinstance(data, dict):
        top = builder.sources.value(())
        problems.append(Problem(path, top.line, top.column, "", _TOP_LEVEL, describe(data)))
    data = data if isinstance(data, dict) else None
    return YamlDocument(path, data, builder.finish(), tuple(problems))


def _read_bytes(path: Path) -> bytes | Problem:
    """The file's first bytes; anything but a regular file is refused before it is read.

    Why ``O_NONBLOCK`` and ``fstat`` on the open file: opening a FIFO would block until a
    writer came, and checking the path before opening it would race with a swap.
    """
    why = not_a_regular_file(path)
    if why is not None:
        return _at_start(path, _UNREADABLE.get(why, f"cannot read the file: it is {why}"))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        return _at_start(path, f"cannot read the file: {reason(error)}")
    try:
        kind = kind_of(os.fstat(fd).st_mode)
        if kind is not None:
            return _at_start(path, f"cannot read the file: {kind}, not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return _at_start(path, f"cannot read the file: {reason(error)}")
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        return _at_start(path, f"the file is larger than {MAX_FILE_BYTES // 1024} KiB (1 MiB)")
    return raw


def _decode(path: Path, raw: bytes) -> str | Problem:
    """UTF-8 text of ``raw`` (without a byte order mark), or a problem at the first bad byte."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        message = "the file contains NUL bytes: it is binary (or UTF-16), not UTF-8 text"
        return _at_byte(path, raw, nul, message)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = "the file is not valid UTF-8 text; save it as UTF-8"
        return _at_byte(path, raw, error.start, message, got=repr(raw[error.start : error.end]))


def _syntax_problem(path: Path, text: str, error: YAMLError) -> Problem:
    """A YAML syntax error as a problem at the place the parser stopped."""
    if isinstance(error, MarkedYAMLError) and error.problem_mark is not None:
        line, column = error.problem_mark.line + 1, error.problem_mark.column + 1
        context = f" ({error.context})" if error.context else ""
        hint = _HINTS.get(str(error.problem), "")
        return Problem(path, line, column, "", f"YAML syntax error: {error.problem}{context}{hint}")
    if isinstance(error, ReaderError):
        before = text[: int(error.position)]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        message = f"control character #x{int(error.character):04x} is not allowed in YAML"
        return Problem(path, line, column, "", message)
    return _at_start(path, f"YAML syntax error: {error}")


def _at_byte(path: Path, raw: bytes, offset: int, message: str, got: str | None = None) -> Problem:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return Problem(path, raw.count(b"\n", 0, offset) + 1, offset - line_start + 1, "", message, got)


def _at_start(path: Path, message: str) -> Problem:
    return Problem(path, 1, 1, "", message)


def _failed(path: Path, problems: list[Problem]) -> YamlDocument:
    return YamlDocument(path, None, SourceMap(path), tuple(problems))

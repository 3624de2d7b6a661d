"""The two kinds of error natosim raises for people, and the :class:`Problem` they carry.

Why: a mistake in a user's file must never surface as a traceback. Anything derived from
:class:`UserError` is the user's to fix: the CLI prints it and exits with status 1. Every
other exception is a bug in natosim and keeps its traceback.

A :class:`Problem` prints as one line::

    path:line:col  field.path  message (got VALUE)

Rules of the format:

* ``line`` and ``col`` are 1-based and count characters, not bytes (except for encoding
  problems, where the column counts bytes because the text cannot be decoded).
* Exactly two spaces separate the location, the field path and the message.
* The field path is dotted (``members.HUN.stance.rutte``, ``events.0.members.1``). A problem
  about the whole file (empty, too large, not UTF-8, a YAML syntax error, a missing key at the
  top level) has the field ``""``; the field column is then left out, so the line reads
  ``path:line:col  message``.
* `` (got VALUE)`` is appended when the offending value is known; ``VALUE`` is a short,
  YAML-like rendering of it (see :func:`describe`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

MAX_GOT_CHARS = 40
"""Longest rendering of an offending value in a problem line, ellipsis included."""
MAX_FIELD_CHARS = 80
"""Longest field path in a problem line, ellipsis included: keys come from the file."""
_ITEMS_SHOWN = 20


@dataclass(frozen=True)
class Problem:
    """One mistake in one place of one file.

    Attributes:
        file: The file the mistake is in (as given by the user, or relative to it).
        line: 1-based line of the mistake.
        column: 1-based column of the mistake.
        field: Dotted path of the offending key or value; ``""`` for the whole file.
        message: What is wrong and what would be valid.
        got: Short rendering of the offending value, if there is one.
    """

    file: Path
    line: int
    column: int
    field: str
    message: str
    got: str | None = None

    def __str__(self) -> str:
        """The problem on one line; text from the file is escaped and cut short."""
        where = f"{escape(str(self.file))}:{self.line}:{self.column}"
        field = _cut(escape(self.field), MAX_FIELD_CHARS)
        parts = [where, field, escape(self.message)] if field else [where, escape(self.message)]
        text = "  ".join(parts)
        return text if self.got is None else f"{text} (got {escape(self.got)})"


class UserError(Exception):
    """A mistake of the user's: shown without traceback, and the process exits with 1."""


class ScenarioError(UserError):
    """Everything wrong with a scenario file (and the files it extends), found in one pass."""

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        """Keep the problems; the message is one problem per line."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def escape(text: str) -> str:
    """``text`` with every character that is not printable written as an escape (``\\x00``).

    Why: a file name or value from a hostile file must not move the cursor, clear the
    terminal or hide the rest of the line.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def describe(value: Any) -> str:
    """Render a value the way a user would have typed it in YAML, cut to a short length.

    Why: ``repr`` shows ``datetime.date(2024, 1, 2)`` and ``True``; users wrote ``2024-01-02``
    and ``true``. Strings keep their quotes so that ``'1'`` and ``1`` are told apart; mappings
    and lists are shown in YAML flow style, ``{object: 0.8, support: 0.3}``.
    """
    return _cut(_render(value), MAX_GOT_CHARS)


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _render(value: Any, depth: int = 0) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (dict, list)) and depth >= 3:
        return "…"
    if isinstance(value, dict):
        pairs = islice(value.items(), _ITEMS_SHOWN)  # Why: the rest would be cut anyway
        return "{" + ", ".join(f"{key}: {_render(item, depth + 1)}" for key, item in pairs) + "}"
    if isinstance(value, list):
        items = islice(value, _ITEMS_SHOWN)
        return "[" + ", ".join(_render(item, depth + 1) for item in items) + "]"
    return repr(value)

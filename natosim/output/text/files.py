"""Writing a report or chart to the file named by ``-o``, without ever losing a file.

Why: a reader (a script, a spreadsheet, a shell loop) must never see a half-written report,
and an interrupted or failed write must leave nothing behind, so a regular file is written to
a temporary file beside it and renamed into place. That is right for regular files only: a
device (``/dev/null``), a FIFO or ``-`` (stdout) is written through, and a symlink is
followed to its target, which is replaced rather than the link. Everything that can be
checked is checked before a run starts: an input file, a directory, a trailing slash, a
read-only file or a missing directory is refused with a message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from natosim.errors import UserError, escape
from natosim.paths import kind_of, reason, same_file

_OWN_WORDS = {errno.ELOOP, errno.ENAMETOOLONG}
"""Errors that :func:`natosim.paths.reason` words better than ``strerror``."""

STDOUT = "-"
"""The ``-o`` value that means standard output."""


@dataclass(frozen=True)
class Target:
    """Where output goes.

    Attributes:
        shown: The path as the user wrote it, for messages.
        path: The file to write (a symlink's target), or None for standard output.
        through: Whether to write into the existing file (a device or FIFO) rather than
            replace it atomically.
    """

    shown: str
    path: Path | None
    through: bool = False


def output_target(text: str) -> Target:
    """Check ``-o TEXT`` before a run and say how it will be written.

    Raises:
        UserError: for a trailing slash, a directory, a read-only file, a missing or
            unwritable directory, a socket, or a name the file system refuses.
    """
    if text == STDOUT:
        return Target(text, None)
    shown = escape(text)
    if text.endswith(("/", os.sep)):
        raise UserError(f"cannot write {shown}: a trailing slash names a directory; give a file")
    path = Path(text)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except (OSError, ValueError) as error:
        raise UserError(f"cannot write {shown}: {_why(error)}") from None
    if mode is not None and not stat.S_ISREG(mode):
        return _special(shown, path, mode)
    real = Path(os.path.realpath(path))
    if mode is not None and (mode & 0o222 == 0 or not os.access(real, os.W_OK)):
        raise UserError(
            f"cannot write {shown}: it is read-only; make it writable, or choose another"
        )
    _probe(shown, real.parent)
    return Target(text, real)


def check_writable(path: Path) -> None:
    """Fail now, before a long run, if ``path`` cannot be written (raises UserError)."""
    output_target(str(path))


def refuse_inputs(target: Target, inputs: Iterable[Path]) -> None:
    """Refuse to write over any input of the run (a scenario or a file it extends).

    Raises:
        UserError: when ``target`` is one of ``inputs``.
    """
    if target.path is None:
        return
    for path in inputs:
        if same_file(target.path, path):
            raise UserError(
                f"cannot write {escape(target.shown)}: it is an input file ({escape(str(path))}); "
                "the output would replace it. Choose another file."
            )


def write_output(target: Target, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) where ``target`` says.

    Raises:
        UserError: When the data cannot be written; no temporary file is left behind.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if target.path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
    elif target.through:
        try:
            with target.path.open("wb") as stream:
                stream.write(raw)
        except OSError as error:
            raise UserError(f"cannot write {escape(target.shown)}: {_why(error)}") from None
    else:
        write_atomic(target.path, raw, target.shown)


def write_atomic(path: Path, data: str | bytes, shown: str | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    Raises:
        UserError: When the file cannot be written; no temporary file is left behind.
    """
    shown = escape(shown or str(path))
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".natosim-", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write {shown}: {_why(error)}") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(raw)
        temp.chmod(_mode(path))
        temp.replace(path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(error, OSError):
            raise UserError(f"cannot write {shown}: {_why(error)}") from None
        raise


def _special(shown: str, path: Path, mode: int) -> Target:
    """A target that exists and is not a regular file: written through, if it can be."""
    kind = kind_of(mode)
    if stat.S_ISDIR(mode):
        raise UserError(f"cannot write {shown}: it is a directory")
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        raise UserError(f"cannot write {shown}: it is {kind}, not a file or device")
    if not os.access(path, os.W_OK):
        raise UserError(f"cannot write {shown}: permission denied")
    return Target(str(path), path, through=True)


def _probe(shown: str, directory: Path) -> None:
    """Whether a temporary file can be made in ``directory`` (raises UserError if not)."""
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".natosim-", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write {shown}: {_why(error)}") from None
    os.close(fd)
    Path(temp).unlink()


def _mode(path: Path) -> int:
    """The existing file's permissions, or the usual ones for a new file (0666 less umask)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _why(error: OSError | ValueError) -> str:
    if isinstance(error, ValueError):
        return "not a valid path"
    return error.strerror if error.strerror and error.errno not in _OWN_WORDS else reason(error)

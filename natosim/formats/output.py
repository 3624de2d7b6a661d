"""Writing a report to a file atomically: the file appears whole under its name, or not at all.

Why: a reader (a script, a spreadsheet, a shell loop) must never see a half-written report,
and an interrupted or failed write must leave nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from natosim.errors import UserError


def check_writable(path: Path) -> None:
    """Fail now, before a long run, if ``path`` cannot be written (raises UserError)."""
    if path.is_dir():
        raise UserError(f"cannot write {path}: it is a directory")
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write {path}: {_reason(error)}") from None
    os.close(fd)
    Path(temp).unlink()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to a temporary file beside ``path``, then rename it into place.

    Raises:
        UserError: When the file cannot be written; no temporary file is left behind.
    """
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write {path}: {_reason(error)}") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        temp.chmod(_mode(path))
        temp.replace(path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(error, OSError):
            raise UserError(f"cannot write {path}: {_reason(error)}") from None
        raise


def _mode(path: Path) -> int:
    """The existing file's permissions, or the usual ones for a new file (0666 less umask)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _reason(error: OSError) -> str:
    return error.strerror or str(error)

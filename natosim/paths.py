"""What a path is, and why it cannot be used, in words a user can act on.

Why: ``Path.exists`` says False for a symlink loop and raises for a name that is too long;
``Path.resolve`` raises ``RuntimeError`` on a loop. Every place that reads or writes a file
the user named asks here instead, so all of them say the same thing.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

_REASONS = {
    errno.ENOENT: "not found",
    errno.ELOOP: "a symlink loop",
    errno.ENAMETOOLONG: "a name too long for the file system",
    errno.ENOTDIR: "not found: a part of the path is not a directory",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "on a read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EISDIR: "a directory",
}


def kind_of(mode: int) -> str | None:
    """What a file of this ``st_mode`` is, if it is not a regular file ("a FIFO (named pipe)")."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def reason(error: OSError) -> str:
    """Why an operation on a path failed, in a few words ("a symlink loop: …")."""
    known = _REASONS.get(error.errno or 0)
    return known or error.strerror or str(error)


def not_a_regular_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a scenario, or None when it is a readable regular file."""
    try:
        info = path.stat()
    except (OSError, ValueError) as error:
        return reason(error) if isinstance(error, OSError) else "not a valid path"
    kind = kind_of(info.st_mode)
    return None if kind is None else f"{kind}, not a regular file"


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file (False if either cannot be looked at)."""
    try:
        return first.samefile(second)
    except (OSError, ValueError):
        return False

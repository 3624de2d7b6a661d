"""The scenario files a command covers: glob patterns a shell left alone, expanded."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from natosim.errors import UserError

_MAGIC = "*?["


def expand_patterns(files: Sequence[Path]) -> list[Path]:
    """Expand the glob patterns a shell left alone (quoted, or on Windows), in sorted order.

    A path that exists, or has no pattern characters, is kept as given.

    Raises:
        UserError: When a pattern matches no file.
    """
    paths: list[Path] = []
    for file in files:
        if file.exists() or not any(char in str(file) for char in _MAGIC):
            paths.append(file)
            continue
        matches = sorted(glob.glob(str(file), recursive=True))  # noqa: PTH207 (absolute patterns)
        if not matches:
            raise UserError(f"no file matches {file}")
        paths.extend(Path(match) for match in matches)
    return paths

"""The bundled scenario library: the sourced cases that ship inside natosim, found by name.

Why by name: after ``pip install natosim`` the files live somewhere inside the environment, so a
user writes ``natosim run nato-2024-rutte`` and never needs to know where.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

SUFFIX = ".yaml"


def library_folder() -> Path:
    """The folder of the bundled scenarios, in the source tree or the installed package."""
    return Path(str(resources.files("natosim") / "scenarios"))


def bundled_names() -> list[str]:
    """The names of the bundled scenarios, sorted."""
    return sorted(path.stem for path in library_folder().glob(f"*{SUFFIX}"))


def bundled_path(name: str) -> Path | None:
    """The installed file of a bundled scenario (None if ``name`` is not one)."""
    stem = name.removesuffix(SUFFIX)
    return library_folder() / f"{stem}{SUFFIX}" if stem in bundled_names() else None


def resolve(path: Path) -> Path:
    """The file a command-line argument names: the path itself, or else a bundled scenario.

    A path that exists always wins, so a local file called ``nato-2024-rutte`` is never
    shadowed; a bare name (no folder) that is not a file is looked up in the library.
    """
    if os.path.exists(path) or path.parent != Path():  # noqa: PTH110 (False on any OSError)
        return path
    return bundled_path(path.name) or path


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is a file of the bundled library."""
    return path.resolve().parent == library_folder().resolve()


def label(path: Path) -> str:
    """How a report names a file: a bundled scenario by its name, any other file as given.

    Why: the "Repeat:" line must work from any folder, and a bundled file's installed path is
    long, machine-specific and hidden inside the environment.
    """
    return path.stem if is_bundled(path) else str(path)

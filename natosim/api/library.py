"""The bundled scenario library from Python: :func:`scenarios` lists it, :func:`copy_scenario`
writes a file out for editing."""

from __future__ import annotations

import os
from pathlib import Path

from natosim.errors import UserError, escape
from natosim.output.text.files import write_atomic
from natosim.scenario.catalogue import BundledScenario, catalogue, describe
from natosim.scenario.library import bundled_names, bundled_path

YAML_SUFFIXES = (".yaml", ".yml")


def scenarios() -> list[BundledScenario]:
    """Every bundled scenario: name, title, as-of date, and whether it records an outcome."""
    return catalogue()


def copy_scenario(
    name: str, dest: str | os.PathLike[str] = ".", *, overwrite: bool = False
) -> list[Path]:
    """Write a bundled scenario, and the bundled files it extends, out for editing.

    Args:
        name: A bundled scenario's name (see :func:`scenarios`).
        dest: A folder (created if missing), or a ``.yaml`` file name for the scenario; the
            files it extends go beside it under their own names, as its ``extends`` says.
        overwrite: Replace files that exist; without it an existing file is never touched.

    Returns:
        The files written, the named scenario first.

    Raises:
        UserError: For an unknown name, or a file that exists (nothing is written then).
    """
    if bundled_path(name) is None:
        known = ", ".join(bundled_names())
        raise UserError(f"no bundled scenario {escape(name)!r}; bundled: {known}")
    chain = describe(name).files
    target = Path(dest)
    named = target.suffix in YAML_SUFFIXES and not target.is_dir()
    folder = target.parent if named else target
    paths = [target if named else folder / chain[0].name, *(folder / f.name for f in chain[1:])]
    existing = [str(p) for p in paths if p.exists()]
    if existing and not overwrite:
        raise UserError(
            f"not copied: {escape(', '.join(existing))} exists (remove it, choose another "
            "destination, or overwrite it with --force)"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create {escape(str(folder))}: {error.strerror}") from None
    for source, path in zip(chain, paths, strict=True):
        write_atomic(path, source.read_bytes())
    return paths

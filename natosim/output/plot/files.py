"""Chart file types and resolution: what the command line checks before anything runs.

Why a module of its own: it needs no matplotlib, so the command line can check an output path
without importing it.
"""

from __future__ import annotations

from pathlib import Path

from natosim.errors import UserError

FORMATS = ("png", "svg", "pdf")
"""File types a chart can be saved as, by the output file's suffix."""
DPI = 150
"""Default resolution of a PNG, in dots per inch."""


def chart_format(path: Path) -> str:
    """``png``, ``svg`` or ``pdf``, from the suffix of ``path``.

    Raises:
        UserError: for another suffix.
    """
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise UserError(f"{path}: the chart's file must end in .png, .svg or .pdf")
    return kind

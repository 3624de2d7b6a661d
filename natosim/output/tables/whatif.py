"""How the cells of a what-if comparison read, in the terminal and on the HTML page alike."""

from __future__ import annotations

import datetime as dt

from natosim import __version__
from natosim.errors import describe
from natosim.output.tables.grid import Column, Grid
from natosim.studies.whatif import Difference, WhatIf

HOLDOUT_SHOWN = 0.01
"""Last-holdout rows are shown when either run gives at least this probability."""


MINUS = "−"


def shown(d: Difference) -> bool:
    """Whether a row belongs in the table: every row but rare last holdouts."""
    if not d.measure.startswith("holdout-"):
        return True
    values = [v for v in (d.base, d.variant) if isinstance(v, float)]
    return max(values, default=0.0) >= HOLDOUT_SHOWN


def edit_value(value: object) -> str:
    """A ``--set`` value as the user would write it."""
    return value if isinstance(value, str) else describe(value)


def level(value: float | dt.date | None) -> str:
    """A probability or a date of one run."""
    if value is None:
        return "—"
    return str(value) if isinstance(value, dt.date) else f"{100 * value:.1f} %"


def change(value: float | None, unit: str) -> str:
    """A difference in percentage points or days, signed."""
    if value is None:
        return "—"
    if unit == "date":
        return f"{signed(value, 0)} days"
    return f"{signed(100 * value, 1)} pp"


def signed(value: float, digits: int) -> str:
    """A number with its sign (a true minus), and no sign when it rounds to zero."""
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def paired_interval(d: Difference) -> str:
    """The paired 95 % interval of a difference, or a dash."""
    if d.paired is None:
        return "—"
    scale, digits = (1, 0) if d.unit == "date" else (100, 1)
    low, high = (signed(scale * v, digits) for v in d.paired)
    return f"{low} to {high}"


def differences_grid(found: WhatIf) -> Grid:
    """The table of differences as plain data: every row the terminal shows, in its cells.

    Its one note is how many rare last holdouts it leaves out; the sentence on paired
    intervals belongs to the text around the table, as every format words it.
    """
    rows = tuple(d for d in found.differences if shown(d))
    left_out = left_out_note(found)
    return Grid(
        "differences",
        "Differences (variant − base)",
        (
            Column("measure"),
            Column("base", True),
            Column("variant", True),
            Column("difference", True),
            Column("95 % interval", True),
        ),
        tuple(_cells(d) for d in rows),
        (left_out,) if left_out else (),
    )


def left_out_note(found: WhatIf) -> str | None:
    """How many rare last holdouts the table leaves out, if any."""
    left_out = sum(1 for d in found.differences if not shown(d))
    if not left_out:
        return None
    return (
        f"{left_out} member(s) under {100 * HOLDOUT_SHOWN:.0f} % as last holdout in both runs "
        "are not shown (--format json lists them)."
    )


def provenance(found: WhatIf) -> str:
    """What makes the comparison repeatable: version, file, both hashes, seed, trials, engine."""
    run = found.base.run
    return (
        f"natosim {__version__} · {found.base.scenario_file} · sha256 "
        f"{found.base.scenario_sha256[:12]} → {found.variant.scenario_sha256[:12]} · "
        f"seed {run.seed} · {run.trials:,} trials · engine {run.engine}"
    )


def edits_text(found: WhatIf) -> str:
    """The question a what-if asks: ``What if members.HUN.stance.rutte = object?``."""
    edits = ", ".join(f"{path} = {edit_value(value)}" for path, value in found.assignments)
    return f"What if {edits}?"


def _cells(d: Difference) -> tuple[str, ...]:
    return (
        d.label,
        level(d.base),
        level(d.variant),
        change(d.difference, d.unit),
        paired_interval(d),
    )

"""How the cells of a what-if comparison read, in the terminal and on the HTML page alike."""

from __future__ import annotations

import datetime as dt

from natosim.errors import describe
from natosim.studies.whatif import Difference

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

"""Tables as pandas DataFrames for notebooks: one frame per table, numbers as numbers.

Why pandas is optional: the command line never needs it, and it is a large install. A user
who asks for a frame without it gets one line saying how to add it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from natosim.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

Row = dict[str, Any]
"""One row of a table: column name to a plain value (number, text, ISO date or None)."""

MISSING = "DataFrames need pandas, which is not installed: pip install 'natosim[pandas]'"


def data_frame(rows: Sequence[Row]) -> pd.DataFrame:
    """The rows as a DataFrame, without the columns that are empty in every row.

    Raises:
        UserError: When pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError:
        raise UserError(MISSING) from None
    columns = [key for key in _keys(rows) if any(row.get(key) is not None for row in rows)]
    return pd.DataFrame([{key: row.get(key) for key in columns} for row in rows], columns=columns)


def _keys(rows: Sequence[Row]) -> list[str]:
    """Every column, in the order first seen."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)

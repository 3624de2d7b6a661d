"""``natosim whatif``: the differences a change makes, with paired 95 % intervals."""

from __future__ import annotations

import datetime as dt

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim import __version__
from natosim.errors import describe
from natosim.studies.whatif import Difference, WhatIf

HOLDOUT_SHOWN = 0.01
"""Last-holdout rows are shown when either run gives at least this probability."""
MINUS = "−"


def render_whatif(found: WhatIf) -> RenderableType:
    """The edits, the table of differences and what makes the comparison reproducible."""
    rows = [d for d in found.differences if _shown(d)]
    left_out = len(found.differences) - len(rows)
    return Group(_header(found), _table(rows), _footer(found, left_out))


def _shown(d: Difference) -> bool:
    if not d.measure.startswith("holdout-"):
        return True
    values = [v for v in (d.base, d.variant) if isinstance(v, float)]
    return max(values, default=0.0) >= HOLDOUT_SHOWN


def _header(found: WhatIf) -> Text:
    text = Text()
    text.append(found.base.scenario + "\n", style="bold")
    edits = ", ".join(f"{path} = {_value(value)}" for path, value in found.assignments)
    text.append(f"What if {edits}?\n", style="bold")
    run = found.base.run
    text.append(
        f"Both runs: seed {run.seed}, the same {run.trials:,} trials (common random numbers).\n"
    )
    text.append("The intervals are paired 95 % intervals of the difference.")
    return text


def _value(value: object) -> str:
    return value if isinstance(value, str) else describe(value)


def _table(rows: list[Difference]) -> Table:
    table = Table(title="Differences (variant − base)", title_justify="left")
    table.add_column("measure")
    for column in ("base", "variant", "difference", "95 % interval"):
        table.add_column(column, justify="right")
    for d in rows:
        sure = d.paired is not None and (d.paired[0] > 0 or d.paired[1] < 0)
        table.add_row(
            d.label,
            _level(d.base),
            _level(d.variant),
            Text(_change(d.difference, d.unit), style="bold" if sure else ""),
            _interval(d),
        )
    return table


def _level(value: float | dt.date | None) -> str:
    if value is None:
        return "—"
    return str(value) if isinstance(value, dt.date) else f"{100 * value:.1f} %"


def _change(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "date":
        return f"{_signed(value, 0)} days"
    return f"{_signed(100 * value, 1)} pp"


def _signed(value: float, digits: int) -> str:
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def _interval(d: Difference) -> str:
    if d.paired is None:
        return "—"
    scale, digits = (1, 0) if d.unit == "date" else (100, 1)
    low, high = (_signed(scale * v, digits) for v in d.paired)
    return f"{low} to {high}"


def _footer(found: WhatIf, left_out: int) -> Text:
    text = Text(style="dim")
    if left_out:
        text.append(
            f"{left_out} member(s) under {100 * HOLDOUT_SHOWN:.0f} % as last holdout in both runs "
            "are not shown (--format json lists them).\n"
        )
    run = found.base.run
    text.append(
        f"natosim {__version__} · {found.base.scenario_file} · sha256 "
        f"{found.base.scenario_sha256[:12]} → {found.variant.scenario_sha256[:12]} · "
        f"seed {run.seed} · {run.trials:,} trials · engine {run.engine}"
    )
    return text

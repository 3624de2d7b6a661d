"""``natosim whatif``: the differences a change makes, with paired 95 % intervals."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim import __version__
from natosim.output.tables.whatif import (
    HOLDOUT_SHOWN,
    change,
    edit_value,
    level,
    paired_interval,
    shown,
)
from natosim.studies.whatif import Difference, WhatIf


def render_whatif(found: WhatIf) -> RenderableType:
    """The edits, the table of differences and what makes the comparison reproducible."""
    rows = [d for d in found.differences if shown(d)]
    left_out = len(found.differences) - len(rows)
    return Group(_header(found), _table(rows), _footer(found, left_out))


def _header(found: WhatIf) -> Text:
    text = Text()
    text.append(found.base.scenario + "\n", style="bold")
    edits = ", ".join(f"{path} = {edit_value(value)}" for path, value in found.assignments)
    text.append(f"What if {edits}?\n", style="bold")
    run = found.base.run
    text.append(
        f"Both runs: seed {run.seed}, the same {run.trials:,} trials (common random numbers).\n"
    )
    text.append("The intervals are paired 95 % intervals of the difference.")
    return text


def _table(rows: list[Difference]) -> Table:
    table = Table(title="Differences (variant − base)", title_justify="left")
    table.add_column("measure")
    for column in ("base", "variant", "difference", "95 % interval"):
        table.add_column(column, justify="right")
    for d in rows:
        sure = d.paired is not None and (d.paired[0] > 0 or d.paired[1] < 0)
        table.add_row(
            d.label,
            level(d.base),
            level(d.variant),
            Text(change(d.difference, d.unit), style="bold" if sure else ""),
            paired_interval(d),
        )
    return table


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

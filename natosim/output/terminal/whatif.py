"""``natosim whatif``: the differences a change makes, with paired 95 % intervals."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim.output.tables.whatif import (
    change,
    edits_text,
    left_out_note,
    level,
    paired_interval,
    provenance,
    shown,
)
from natosim.studies.whatif import Difference, WhatIf


def render_whatif(found: WhatIf) -> RenderableType:
    """The edits, the table of differences and what makes the comparison reproducible."""
    rows = [d for d in found.differences if shown(d)]
    return Group(_header(found), _table(rows), _footer(found))


def _header(found: WhatIf) -> Text:
    text = Text()
    text.append(found.base.scenario + "\n", style="bold")
    text.append(edits_text(found) + "\n", style="bold")
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


def _footer(found: WhatIf) -> Text:
    text = Text(style="dim")
    note = left_out_note(found)
    if note:
        text.append(note + "\n")
    return text.append(provenance(found))

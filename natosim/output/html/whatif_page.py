"""The page of ``natosim whatif``: the edits, the paired differences, and both runs in full."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from natosim import __version__
from natosim.output.html.about import About
from natosim.output.html.page import embedded_json, render
from natosim.output.html.run_view import Figure, run_view
from natosim.output.html.svg import inline_svg
from natosim.output.html.tables import table
from natosim.output.html.whatif_chart import differences_chart
from natosim.output.json.studies import whatif_json
from natosim.output.tables.whatif import (
    change,
    differences_grid,
    edit_value,
    edits_text,
    paired_interval,
    shown,
)
from natosim.studies.whatif import Difference, WhatIf


def whatif_page(found: WhatIf, about: About, sets: Sequence[str], page: Path | None = None) -> str:
    """The HTML page of a what-if comparison.

    Args:
        found: The comparison.
        about: The words of its scenario.
        sets: The ``--set`` texts as given, for the command that repeats it.
        page: The file the page is written to, for the link to the scenario; None for stdout.
    """
    rows = tuple(d for d in found.differences if shown(d))
    edits = ", ".join(f"{path} = {edit_value(value)}" for path, value in found.assignments)
    title, run = found.base.scenario, found.base.run
    return render(
        "whatif.html.j2",
        title=title,
        question=edits_text(found),
        pairing=f"Both runs: seed {run.seed}, the same {run.trials:,} trials (common random "
        "numbers). The intervals are paired 95 % intervals of the difference.",
        notes=found.notes,
        differences=table(differences_grid(found), "w"),
        chart=Figure(
            inline_svg(differences_chart(found, rows), "w-chart", chart_words(rows)),
            "Each probability's change from the base to the variant, in percentage points; "
            "red where the paired interval leaves out zero.",
        ),
        runs=(
            replace(run_view(found.base, about, "base", page), title=f"Base: {title}"),
            replace(run_view(found.variant, about, "variant", page), title=f"Variant: {edits}"),
        ),
        footer=footer(found),
        repeat=repeat_command(found, sets),
        data=embedded_json(whatif_json(found)),
    )


def chart_words(rows: tuple[Difference, ...]) -> str:
    """The chart in words: each probability's change and its interval."""
    said = [
        f"{d.label}: {change(d.difference, d.unit)} ({paired_interval(d)})"
        for d in rows
        if d.unit == "probability"
    ]
    return "Change of each probability, variant minus base. " + "; ".join(said) + "."


def footer(found: WhatIf) -> tuple[str, ...]:
    """Versions, hashes and settings of both runs."""
    run = found.base.run
    return (
        f"natosim {__version__} · {found.base.scenario_file} · sha256 "
        f"{found.base.scenario_sha256[:12]} → {found.variant.scenario_sha256[:12]}",
        f"seed {run.seed} · {run.trials:,} trials · engine {run.engine}",
    )


def repeat_command(found: WhatIf, sets: Sequence[str]) -> str:
    """The command that gives the same comparison again."""
    run = found.base.run
    edits = " ".join(f"--set {shlex.quote(text)}" for text in sets)
    engine = "" if run.engine == "fast" else f" --engine {run.engine}"
    file = shlex.quote(found.base.scenario_file)
    return f"natosim whatif {file} {edits} --seed {run.seed} --trials {run.trials}{engine}"

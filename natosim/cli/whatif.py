"""``natosim whatif``: compare a scenario with an edited variant on common random numbers."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from natosim.api.scenario import load
from natosim.api.studies import whatif as api_whatif
from natosim.cli.app import (
    Engine,
    EngineOption,
    FileArg,
    SeedOption,
    TrialsOption,
    WorkersOption,
    app,
    err_console,
)
from natosim.cli.emit import OutputOption, emit, emit_table, target_of
from natosim.cli.study import YesOption
from natosim.output.text.files import refuse_inputs


class WhatifFormat(StrEnum):
    """Output formats of ``natosim whatif``."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


@app.command()
def whatif(
    file: FileArg,
    edits: Annotated[
        list[str],
        typer.Option(
            "--set",
            help="PATH=VALUE, e.g. members.HUN.stance.rutte=support or "
            "dynamics.deadline_pressure=0; repeat for several changes.",
            show_default=False,
        ),
    ],
    trials: TrialsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    engine: EngineOption = Engine.fast,
    output_format: Annotated[
        WhatifFormat, typer.Option("--format", help="Output format.")
    ] = WhatifFormat.table,
    output: OutputOption = None,
    yes: YesOption = False,
) -> None:
    """Change the scenario and show how every probability and the median date move."""
    target = target_of(output)
    scenario = load(file)
    if target is not None:
        refuse_inputs(target, scenario.prepared.loaded.files)
    found = api_whatif(
        scenario, edits, trials=trials, seed=seed, workers=workers, engine=engine.value, confirm=yes
    )
    for note in found.whatif.notes:
        err_console().print(f"note: {note}", highlight=False)
    if output_format is WhatifFormat.html:
        emit(found.to_html(target.path if target else None, edits), target)
    elif output_format is WhatifFormat.json:
        emit(found.to_json(), target)
    elif output_format is WhatifFormat.csv:
        emit(found.to_csv(), target)
    elif output_format is WhatifFormat.markdown:
        emit(found.to_markdown(), target)
    else:
        emit_table(found, target)

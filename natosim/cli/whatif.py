"""``natosim whatif``: compare a scenario with an edited variant on common random numbers."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from natosim.cli.app import (
    Engine,
    EngineOption,
    FileArg,
    SeedOption,
    TrialsOption,
    WorkersOption,
    app,
    err_console,
    out_console,
)
from natosim.cli.study import YesOption, check_study
from natosim.model.prepared import prepare
from natosim.output.json.studies import whatif_json
from natosim.output.terminal.whatif import render_whatif
from natosim.scenario.edit import parse_assignment
from natosim.studies.whatif import run_whatif


class WhatifFormat(StrEnum):
    """Output formats of ``natosim whatif``."""

    table = "table"
    json = "json"


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
    yes: YesOption = False,
) -> None:
    """Change the scenario and show how every probability and the median date move."""
    assignments = [parse_assignment(text) for text in edits]
    prepared = prepare(file)
    each = trials or prepared.loaded.scenario.simulation.trials
    check_study("whatif", 2, each, yes)
    found = run_whatif(prepared, assignments, trials, seed, workers, engine.value)
    for note in found.notes:
        err_console().print(f"note: {note}", highlight=False)
    if output_format is WhatifFormat.json:
        sys.stdout.write(json.dumps(whatif_json(found), indent=2, ensure_ascii=False) + "\n")
    else:
        out_console().print(render_whatif(found))

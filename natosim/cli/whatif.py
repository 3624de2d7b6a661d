"""``natosim whatif``: compare a scenario with an edited variant on common random numbers."""

from __future__ import annotations

import io
import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console, RenderableType

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
from natosim.cli.run import FILE_WIDTH
from natosim.cli.study import YesOption, check_study
from natosim.model.prepared import prepare
from natosim.output.json.studies import whatif_json
from natosim.output.terminal.whatif import render_whatif
from natosim.output.text.files import Target, output_target, refuse_inputs, write_output
from natosim.scenario.edit import parse_assignment
from natosim.studies.whatif import run_whatif


class WhatifFormat(StrEnum):
    """Output formats of ``natosim whatif``."""

    table = "table"
    json = "json"
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
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically; - is stdout). Never an input file.",
            show_default=False,
        ),
    ] = None,
    yes: YesOption = False,
) -> None:
    """Change the scenario and show how every probability and the median date move."""
    assignments = [parse_assignment(text) for text in edits]
    target = None if output is None else output_target(output)
    prepared = prepare(file)
    if target is not None:
        refuse_inputs(target, prepared.loaded.files)
    each = trials or prepared.loaded.scenario.simulation.trials
    check_study("whatif", 2, each, yes)
    found = run_whatif(prepared, assignments, trials, seed, workers, engine.value)
    for note in found.notes:
        err_console().print(f"note: {note}", highlight=False)
    if output_format is WhatifFormat.html:
        from natosim.output.html.about import about
        from natosim.output.html.whatif_page import whatif_page

        page = target.path if target is not None else None
        emit(whatif_page(found, about(prepared), edits, page), target)
    elif output_format is WhatifFormat.json:
        emit(json.dumps(whatif_json(found), indent=2, ensure_ascii=False) + "\n", target)
    elif target is not None:
        emit(plain(render_whatif(found)), target)
    else:
        out_console().print(render_whatif(found))


def emit(text: str, target: Target | None) -> None:
    """``text`` to the ``-o`` file (atomically), or to stdout."""
    if target is None or target.path is None:
        sys.stdout.write(text)
    else:
        write_output(target, text)


def plain(renderable: RenderableType) -> str:
    """A table as plain text, without colour, for a file."""
    buffer = io.StringIO()
    Console(file=buffer, width=FILE_WIDTH, color_system=None, emoji=False).print(renderable)
    return buffer.getvalue()

"""``natosim run``: simulate a scenario and report."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from natosim.cli.app import FileArg, app, out_console
from natosim.pipeline import prepare, simulate
from natosim.render.run import render_run
from natosim.report import to_json


class Engine(StrEnum):
    """Which engine runs the trials."""

    fast = "fast"
    reference = "reference"


class Format(StrEnum):
    """Output formats of ``natosim run``."""

    table = "table"
    json = "json"


@app.command()
def run(
    file: FileArg,
    trials: Annotated[int | None, typer.Option(min=1, help="Trials (default: the file's).")] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Seed (default: the file's).")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: all cores).")
    ] = None,
    engine: Annotated[Engine, typer.Option(help="fast, or the per-trial reference.")] = Engine.fast,
    output_format: Annotated[
        Format, typer.Option("--format", help="Output format.")
    ] = Format.table,
) -> None:
    """Simulate a scenario and report who is appointed, when, and who holds out."""
    report = simulate(prepare(file), trials, seed, workers, engine.value)
    if output_format is Format.json:
        sys.stdout.write(json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n")
    else:
        out_console().print(render_run(report))

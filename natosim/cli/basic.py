"""``validate``, ``show`` and ``schema``: working with scenario files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from natosim.api.scenario import load
from natosim.cli.app import FileArg, app, err_console, out_console
from natosim.output.terminal.show import render_show
from natosim.scenario.schema_file import schema_text
from natosim.scenario.validate import validate_files


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Scenario files to check.", show_default=False)
    ],
) -> None:
    """Check scenario files and print every problem; exit 0 only if all are valid."""
    bad = 0
    for path, loaded, problems in validate_files(files):
        if problems:
            bad += 1
            for problem in problems:
                err_console().print(str(problem), markup=False, highlight=False, soft_wrap=True)
        elif loaded is not None:
            name = loaded.scenario.name
            out_console().print(f"{path}: valid ({name})", markup=False, highlight=False)
    if bad:
        err_console().print(f"{bad} of {len(files)} file(s) invalid", style="red")
        raise typer.Exit(1)


@app.command()
def show(file: FileArg) -> None:
    """Show the resolved scenario: stances, demands, deadlines and events."""
    scenario = load(file)
    out_console().print(render_show(scenario.spec, scenario.prepared.model, str(file)))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario language (for editors' YAML support)."""
    sys.stdout.write(schema_text())

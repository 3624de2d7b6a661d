"""The typer application and the consoles that only the command line owns."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from natosim import __version__
from natosim.scenario.schema import MAX_SEED, MAX_TRIALS

MAX_WORKERS = 256
"""Most worker processes (docs/limits.md): more would only exhaust the process table."""

app = typer.Typer(
    name="natosim",
    help="Simulate consensus decisions in NATO, where any ally can block.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

FileArg = Annotated[
    Path,
    typer.Argument(
        help="A scenario file (YAML), or a bundled scenario's name (natosim scenarios).",
        show_default=False,
    ),
]


class Engine(StrEnum):
    """Which engine runs the trials."""

    fast = "fast"
    reference = "reference"


TrialsOption = Annotated[
    int | None, typer.Option(min=1, max=MAX_TRIALS, help="Trials (default: the file's).")
]
SeedOption = Annotated[
    int | None, typer.Option(min=0, max=MAX_SEED, help="Seed (default: the file's).")
]
WorkersOption = Annotated[
    int | None,
    typer.Option(min=1, max=MAX_WORKERS, help="Worker processes (default: all cores)."),
]
EngineOption = Annotated[Engine, typer.Option(help="fast, or the per-trial reference.")]


def out_console() -> Console:
    """The console for results (stdout). User text is never read as emoji codes."""
    return Console(emoji=False)


def err_console() -> Console:
    """The console for problems and progress (stderr)."""
    return Console(stderr=True, emoji=False)


def _version(value: bool) -> None:
    if value:
        out_console().print(f"natosim {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Simulate consensus decisions in NATO, where any ally can block."""

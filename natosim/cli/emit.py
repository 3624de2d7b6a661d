"""Where a command's output goes: stdout, or the ``-o`` file written atomically."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from natosim.api.result import Result
from natosim.output.text.files import Target, output_target, write_output

FILE_WIDTH = 100
"""Width of a table report written with ``--output`` when ``--width`` is not given."""

OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically; a device or FIFO is written through; - is "
        "stdout). Never an input file.",
        show_default=False,
    ),
]


def target_of(output: str | None) -> Target | None:
    """The ``-o`` target, checked before anything runs (None: stdout)."""
    return None if output is None else output_target(output)


def emit(text: str, target: Target | None) -> None:
    """``text`` to the ``-o`` file (atomically), or to stdout."""
    if target is None or target.path is None:
        typer.echo(text, nl=False)
    else:
        write_output(target, text)


def emit_table(
    result: Result, target: Target | None, width: int | None = None, detail: bool = False
) -> None:
    """A result's tables: in colour on a terminal, as plain text in a file."""
    if target is None or target.path is None:
        console = Console(width=width, emoji=False)
        console.print(result.renderable(console.width, detail), crop=False)
    else:
        emit(result.text(width or FILE_WIDTH, detail), target)

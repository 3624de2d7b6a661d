"""``natosim scenarios``: list the bundled scenario library, or copy a file out for editing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from natosim.api.library import copy_scenario, scenarios
from natosim.cli.app import app, out_console

library = typer.Typer(
    name="scenarios",
    help="The bundled scenarios: list them, or copy one out to edit.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(library)


@library.callback()
def listing(context: typer.Context) -> None:
    """List the bundled scenarios: name, as-of date, whether it is a back-test case, title."""
    if context.invoked_subcommand is not None:
        return
    table = Table(title="Bundled scenarios (natosim run NAME)", title_justify="left")
    for column in ("name", "as of", "back-test case", "title"):
        table.add_column(column, overflow="fold")
    for found in scenarios():
        outcome = "yes (outcome recorded)" if found.has_outcome else "—"
        table.add_row(found.name, found.as_of.isoformat(), outcome, found.title)
    out_console().print(table)


@library.command("copy")
def copy(
    name: Annotated[str, typer.Argument(help="A bundled scenario's name.", show_default=False)],
    dest: Annotated[
        Path,
        typer.Argument(help="A folder, or a .yaml file name for the scenario.", show_default=True),
    ] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Replace files that exist.")] = False,
) -> None:
    """Write a bundled scenario (and the bundled files it extends) out for editing."""
    for path in copy_scenario(name, dest, overwrite=force):
        out_console().print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)

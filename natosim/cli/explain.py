"""``natosim explain``: tell one simulated future, round by round."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from natosim.api.scenario import load
from natosim.api.studies import explain as api_explain
from natosim.cli.app import MAX_WORKERS, Engine, EngineOption, FileArg, SeedOption, app
from natosim.cli.emit import emit_table
from natosim.scenario.schema import MAX_TRIALS


class PickOption(StrEnum):
    """Which trial stands for an outcome."""

    median = "median"
    fastest = "fastest"
    slowest = "slowest"


@app.command()
def explain(
    file: FileArg,
    trial: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=MAX_TRIALS - 1,
            help="Tell trial K (numbered from 0), as `natosim run` ran it.",
        ),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            help="Tell a trial that ends in this outcome: a candidate id, extension, vacancy "
            "or no_decision (default: the most likely outcome)."
        ),
    ] = None,
    pick: Annotated[
        PickOption, typer.Option(help="Which of those trials: by its decision date.")
    ] = PickOption.median,
    trials: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_TRIALS, help="Trials to search for --outcome (default: the file's)."
        ),
    ] = None,
    seed: SeedOption = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=MAX_WORKERS, help="Worker processes for the search.")
    ] = None,
    engine: EngineOption = Engine.fast,
) -> None:
    """Tell how one simulated future unfolds: who moves, when, and why."""
    found = api_explain(
        load(file),
        trial=trial,
        outcome=outcome,
        pick=pick.value,
        trials=trials,
        seed=seed,
        workers=workers,
        engine=engine.value,
    )
    emit_table(found, None)

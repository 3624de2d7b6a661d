"""``natosim explain``: tell one simulated future, round by round."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from natosim.cli.app import MAX_WORKERS, Engine, EngineOption, FileArg, SeedOption, app, out_console
from natosim.errors import UserError
from natosim.model.prepared import prepare
from natosim.output.terminal.explain import render_explanation
from natosim.scenario.schema import MAX_TRIALS
from natosim.studies.explain import explain_outcome, explain_trial


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
    if trial is not None and (outcome is not None or trials is not None):
        raise UserError("give either --trial, or --outcome (with --pick and --trials), not both")
    prepared = prepare(file)
    if trial is not None:
        found = explain_trial(prepared, trial, seed, engine.value)
    else:
        found = explain_outcome(prepared, outcome, pick.value, trials, seed, workers, engine.value)
    out_console().print(render_explanation(found))

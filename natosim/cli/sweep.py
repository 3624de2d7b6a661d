"""``natosim sweep``: run a scenario over a grid of one or two parameters."""

from __future__ import annotations

import math
from typing import Annotated

import typer

from natosim.cli.app import (
    Engine,
    EngineOption,
    FileArg,
    SeedOption,
    WorkersOption,
    app,
    err_console,
    out_console,
)
from natosim.cli.study import YesOption, check_study
from natosim.model.prepared import prepare
from natosim.output.terminal.sweep import render_sweep
from natosim.results.measures import choose_measures
from natosim.scenario.schema import MAX_TRIALS
from natosim.studies.sweep import parse_vary, run_sweep


@app.command()
def sweep(
    file: FileArg,
    varies: Annotated[
        list[str],
        typer.Option(
            "--vary",
            help="PATH=V1,V2,... or PATH=START:STOP:COUNT (COUNT values from START to STOP, "
            "both included), e.g. members.HUN.lift_rate=0:0.1:5; give it once or twice.",
            show_default=False,
        ),
    ],
    measure: Annotated[
        list[str] | None,
        typer.Option(
            help="What to report: a candidate id, extension, vacancy, no_decision, "
            "by-DEADLINE (e.g. by-washington-summit), p10, median, p90 or holdout-CODE. "
            "Repeat for several; the chart shows the first.",
            show_default=False,
        ),
    ] = None,
    trials: Annotated[
        int | None,
        typer.Option(min=1, max=MAX_TRIALS, help="Trials per point (default: the file's)."),
    ] = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    engine: EngineOption = Engine.fast,
    yes: YesOption = False,
) -> None:
    """Run the scenario at every point of a grid and tabulate and chart the results."""
    prepared = prepare(file)
    chosen = choose_measures(prepared.model, measure or [])
    grid = [parse_vary(text) for text in varies]
    points = math.prod(len(values) for _, values in grid)
    per_point = trials or prepared.loaded.scenario.simulation.trials
    check_study("sweep", points, per_point, yes)
    err_console().print(
        f"sweep: {points:,} points of {per_point:,} trials ({points * per_point:,} trials)",
        highlight=False,
    )
    result = run_sweep(prepared, grid, trials, seed, workers, engine.value)
    out_console().print(render_sweep(result, chosen))

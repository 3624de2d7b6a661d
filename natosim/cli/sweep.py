"""``natosim sweep``: run a scenario over a grid of one or two parameters."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from natosim.api.scenario import load
from natosim.api.studies import plan_sweep
from natosim.api.studies import sweep as api_sweep
from natosim.cli.app import (
    Engine,
    EngineOption,
    FileArg,
    SeedOption,
    WorkersOption,
    app,
    err_console,
)
from natosim.cli.cluster import ClusterOption, workers_for
from natosim.cli.emit import emit, emit_table
from natosim.cli.study import YesOption
from natosim.scenario.schema import MAX_TRIALS


class SweepFormat(StrEnum):
    """Output formats of ``natosim sweep``."""

    table = "table"
    json = "json"


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
    cluster: ClusterOption = None,
    engine: EngineOption = Engine.fast,
    yes: YesOption = False,
    output_format: Annotated[
        SweepFormat, typer.Option("--format", help="Output format.")
    ] = SweepFormat.table,
) -> None:
    """Run the scenario at every point of a grid and tabulate and chart the results."""
    scenario = load(file)
    planned = plan_sweep(scenario, varies, trials, yes)
    err_console().print(
        f"sweep: {planned.runs:,} points of {planned.trials:,} trials "
        f"({planned.runs * planned.trials:,} trials)",
        highlight=False,
    )
    with workers_for(workers, cluster) as where:
        result = api_sweep(
            scenario,
            varies,
            measures=measure or [],
            trials=trials,
            seed=seed,
            workers=where,
            engine=engine.value,
            confirm=yes,
        )
    if output_format is SweepFormat.json:
        emit(result.to_json(), None)
    else:
        emit_table(result, None)

"""``natosim backtest``: score the forecasts of scenarios that record what happened."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from natosim.api.backtest import DEFAULT_TRIALS
from natosim.api.backtest import backtest as api_backtest
from natosim.cli.app import WorkersOption, app
from natosim.cli.cluster import ClusterOption, workers_for
from natosim.cli.emit import OutputOption, emit, emit_table, target_of
from natosim.output.text.files import refuse_inputs
from natosim.scenario.schema import MAX_SEED, MAX_TRIALS
from natosim.studies.backtest import bundled_scenarios


class BacktestFormat(StrEnum):
    """Output formats of ``natosim backtest``."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command()
def backtest(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Scenario files or bundled names (default: the whole bundled library).",
            show_default=False,
        ),
    ] = None,
    trials: Annotated[
        int, typer.Option(min=1, max=MAX_TRIALS, help="Trials per case.")
    ] = DEFAULT_TRIALS,
    seed: Annotated[
        int | None,
        typer.Option(min=0, max=MAX_SEED, help="Seed for every case (default: each file's own)."),
    ] = None,
    workers: WorkersOption = None,
    cluster: ClusterOption = None,
    output_format: Annotated[
        BacktestFormat, typer.Option("--format", help="Output format.")
    ] = BacktestFormat.table,
    output: OutputOption = None,
) -> None:
    """Score the model and two baselines on every scenario with its own outcome block."""
    target = target_of(output)
    if target is not None:
        refuse_inputs(target, files or bundled_scenarios())
    with workers_for(workers, cluster) as where:
        result = api_backtest(files, trials=trials, seed=seed, workers=where)
    if output_format is BacktestFormat.html:
        emit(result.to_html(), target)
    elif output_format is BacktestFormat.json:
        emit(result.to_json(), target)
    elif output_format is BacktestFormat.markdown:
        emit(result.to_markdown(), target)
    else:
        emit_table(result, target)

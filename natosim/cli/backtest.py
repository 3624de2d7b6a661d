"""``natosim backtest``: score the forecasts of scenarios that record what happened."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from natosim.cli.app import WorkersOption, app, out_console
from natosim.errors import UserError
from natosim.output.json.studies import backtest_json
from natosim.output.terminal.backtest import backtest_markdown, render_backtest
from natosim.scenario.schema import MAX_SEED, MAX_TRIALS
from natosim.studies.backtest import bundled_scenarios, run_backtest


class BacktestFormat(StrEnum):
    """Output formats of ``natosim backtest``."""

    table = "table"
    json = "json"
    markdown = "markdown"


@app.command()
def backtest(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Scenario files (default: the bundled library in scenarios/).",
            show_default=False,
        ),
    ] = None,
    trials: Annotated[int, typer.Option(min=1, max=MAX_TRIALS, help="Trials per case.")] = 20_000,
    seed: Annotated[
        int | None,
        typer.Option(min=0, max=MAX_SEED, help="Seed for every case (default: each file's own)."),
    ] = None,
    workers: WorkersOption = None,
    output_format: Annotated[
        BacktestFormat, typer.Option("--format", help="Output format.")
    ] = BacktestFormat.table,
) -> None:
    """Score the model and two baselines on every scenario with its own outcome block."""
    paths = files or bundled_scenarios()
    if not paths:
        raise UserError("no scenario files given, and no bundled scenarios found")
    result = run_backtest(paths, trials, seed, workers)
    if not result.cases:
        reasons = "; ".join(f"{name} ({why})" for name, why in result.skipped)
        raise UserError(f"no back-test case among the files: {reasons}")
    if output_format is BacktestFormat.json:
        sys.stdout.write(json.dumps(backtest_json(result), indent=2, ensure_ascii=False) + "\n")
    elif output_format is BacktestFormat.markdown:
        sys.stdout.write(backtest_markdown(result))
    else:
        out_console().print(render_backtest(result))

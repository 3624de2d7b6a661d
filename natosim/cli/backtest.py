"""``natosim backtest``: score the forecasts of scenarios that record what happened."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from natosim.cli.app import WorkersOption, app, out_console
from natosim.cli.whatif import emit, plain
from natosim.errors import UserError
from natosim.output.json.studies import backtest_json
from natosim.output.terminal.backtest import backtest_markdown, render_backtest
from natosim.output.text.files import output_target, refuse_inputs
from natosim.scenario.schema import MAX_SEED, MAX_TRIALS
from natosim.studies.backtest import bundled_scenarios, run_backtest


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
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically; - is stdout). Never an input file.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Score the model and two baselines on every scenario with its own outcome block."""
    target = None if output is None else output_target(output)
    paths = files or bundled_scenarios()
    if target is not None:
        refuse_inputs(target, paths)
    if not paths:
        raise UserError("no scenario files given, and no bundled scenarios found")
    result = run_backtest(paths, trials, seed, workers)
    if not result.cases:
        reasons = "; ".join(f"{name} ({why})" for name, why in result.skipped)
        raise UserError(f"no back-test case among the files: {reasons}")
    if output_format is BacktestFormat.html:
        from natosim.output.html.backtest_page import backtest_page

        emit(backtest_page(result), target)
    elif output_format is BacktestFormat.json:
        emit(json.dumps(backtest_json(result), indent=2, ensure_ascii=False) + "\n", target)
    elif output_format is BacktestFormat.markdown:
        emit(backtest_markdown(result), target)
    elif target is not None:
        emit(plain(render_backtest(result)), target)
    else:
        out_console().print(render_backtest(result))

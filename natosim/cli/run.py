"""``natosim run``: simulate one or more scenarios and report."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from natosim import signals
from natosim.api.runs import RunResult, combine, load_all, run_all, settings
from natosim.api.scenario import Scenario
from natosim.cli.app import (
    Engine,
    EngineOption,
    SeedOption,
    TrialsOption,
    WorkersOption,
    app,
    err_console,
)
from natosim.cli.cluster import ClusterOption, workers_for
from natosim.cli.emit import OutputOption, emit, emit_table, target_of
from natosim.cli.files import expand_patterns
from natosim.cli.progress import ProgressDisplay
from natosim.output.text.documents import TextFormat, document
from natosim.output.text.files import refuse_inputs
from natosim.results.precision import DEFAULT_MAX_TRIALS, ReportsInterrupted, Settings
from natosim.scenario.schema import MAX_TRIALS


class Format(StrEnum):
    """Output formats of ``natosim run``."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


TEXT_FORMATS: dict[Format, TextFormat] = {
    Format.json: "json",
    Format.csv: "csv",
    Format.markdown: "markdown",
}

Files = Annotated[
    list[Path],
    typer.Argument(
        help="Scenario files (YAML), bundled names or quoted glob patterns.", show_default=False
    ),
]


@app.command()
def run(
    files: Files,
    trials: TrialsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    cluster: ClusterOption = None,
    engine: EngineOption = Engine.fast,
    precision: Annotated[
        float | None,
        typer.Option(
            help="Add trials until every probability's 95 % half-width is at most this "
            "(0.005 = half a percentage point); --trials is then the first step.",
            show_default=False,
        ),
    ] = None,
    max_trials: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_TRIALS,
            help=f"Cap on trials with --precision (default: {DEFAULT_MAX_TRIALS:,}).",
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", help="Output format.")
    ] = Format.table,
    output: OutputOption = None,
    width: Annotated[
        int | None, typer.Option(min=20, help="Width of tables (default: the terminal's).")
    ] = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="With several files, add each full report.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Simulate scenarios and report who is appointed, when, and who holds out.

    With several files, print one table comparing them (paired differences when they share a
    seed). Ctrl-C stops the run and prints the report of the trials done so far (exit 130;
    SIGTERM and SIGHUP do the same, with 143 and 129).
    """
    chosen = _settings(trials, seed, workers, engine, precision, max_trials)
    target = target_of(output)
    scenarios = load_all(expand_patterns(files))
    if target is not None:
        refuse_inputs(target, [path for s in scenarios for path in s.prepared.loaded.files])
    with workers_for(workers, cluster) as where:
        results, interrupted = _simulate(scenarios, replace(chosen, workers=where), quiet)
    result = results[0] if len(results) == 1 else combine(results)
    if output_format is Format.html:
        emit(result.to_html(target.path if target else None), target)
    elif output_format is Format.json:
        emit(result.to_json(), target)
    elif output_format is Format.table:
        emit_table(result, target, width, detail)
    else:
        emit(document(result.reports, TEXT_FORMATS[output_format], detail), target)
    if interrupted:
        raise typer.Exit(signals.exit_status())


def _settings(
    trials: int | None,
    seed: int | None,
    workers: int | None,
    engine: Engine,
    precision: float | None,
    max_trials: int | None,
) -> Settings:
    if precision is not None and not 0 < precision <= 0.5:
        raise typer.BadParameter("must be above 0 and at most 0.5", param_hint="--precision")
    if max_trials is not None and precision is None:
        raise typer.BadParameter("needs --precision", param_hint="--max-trials")
    return settings(trials, seed, workers, engine.value, precision, max_trials)


def _simulate(
    scenarios: list[Scenario], chosen: Settings, quiet: bool
) -> tuple[tuple[RunResult, ...], bool]:
    err = err_console()
    try:
        with ProgressDisplay(err, enabled=not quiet) as display:
            return run_all(scenarios, chosen, display), False
    except ReportsInterrupted as stopped:
        if not stopped.reports:
            err.print(f"Interrupted ({signals.name()}) before any trial finished.", highlight=False)
            raise typer.Exit(signals.exit_status()) from None
        done = sum(r.run.trials for r in stopped.reports)
        message = f"Interrupted ({signals.name()}): reporting the {done:,} trials finished."
        err.print(message, highlight=False)
        return tuple(
            RunResult(s, r) for s, r in zip(scenarios, stopped.reports, strict=False)
        ), True

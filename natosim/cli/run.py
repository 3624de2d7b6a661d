"""``natosim run``: simulate one or more scenarios and report."""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, RenderableType

from natosim import signals
from natosim.cli.app import (
    Engine,
    EngineOption,
    SeedOption,
    TrialsOption,
    WorkersOption,
    app,
    err_console,
)
from natosim.cli.files import expand_patterns, prepare_all
from natosim.cli.progress import ProgressDisplay
from natosim.model.prepared import Prepared
from natosim.output.terminal.compare import render_comparison
from natosim.output.terminal.run import render_run
from natosim.output.text.documents import TextFormat, document
from natosim.output.text.files import Target, output_target, refuse_inputs, write_output
from natosim.results.compare import compare
from natosim.results.precision import DEFAULT_MAX_TRIALS, ReportsInterrupted, Settings, run_reports
from natosim.results.report import RunReport
from natosim.scenario.schema import MAX_TRIALS

FILE_WIDTH = 100
"""Width of a table report written with ``--output`` when ``--width`` is not given."""


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
    typer.Argument(help="Scenario files (YAML), or quoted glob patterns.", show_default=False),
]


@app.command()
def run(
    files: Files,
    trials: TrialsOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
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
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically; a device or FIFO is written through; - is "
            "stdout). Never an input file.",
        ),
    ] = None,
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
    settings = _settings(trials, seed, workers, engine, precision, max_trials)
    target = None if output is None else output_target(output)
    prepared = prepare_all(expand_patterns(files))
    if target is not None:
        refuse_inputs(target, [path for p in prepared for path in p.loaded.files])
    reports, interrupted = _simulate(prepared, settings, quiet)
    if output_format is Format.html:
        _emit_html(reports, prepared, target)
    else:
        _emit(reports, output_format, target, width, detail)
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
    cap = max_trials or DEFAULT_MAX_TRIALS
    return Settings(trials, seed, workers, engine.value, precision, cap)


def _simulate(
    prepared: list[Prepared], settings: Settings, quiet: bool
) -> tuple[tuple[RunReport, ...], bool]:
    err = err_console()
    try:
        with ProgressDisplay(err, enabled=not quiet) as display:
            return run_reports(prepared, settings, display), False
    except ReportsInterrupted as stopped:
        if not stopped.reports:
            err.print(f"Interrupted ({signals.name()}) before any trial finished.", highlight=False)
            raise typer.Exit(signals.exit_status()) from None
        done = sum(r.run.trials for r in stopped.reports)
        message = f"Interrupted ({signals.name()}): reporting the {done:,} trials finished."
        err.print(message, highlight=False)
        return stopped.reports, True


def _emit(
    reports: tuple[RunReport, ...],
    output_format: Format,
    output: Target | None,
    width: int | None,
    detail: bool,
) -> None:
    if output_format is not Format.table:
        text = document(reports, TEXT_FORMATS[output_format], detail)
        if output is None or output.path is None:
            typer.echo(text, nl=False)
        else:
            write_output(output, text)
        return
    if output is None:
        console = Console(width=width, emoji=False)
        console.print(_table(reports, console.width, detail), crop=False)
        return
    write_output(output, _plain(_table(reports, width or FILE_WIDTH, detail), width or FILE_WIDTH))


def _emit_html(
    reports: tuple[RunReport, ...], prepared: list[Prepared], output: Target | None
) -> None:
    from natosim.output.html.about import about
    from natosim.output.html.reports import run_page

    page = run_page(reports, [about(p) for p in prepared], output.path if output else None)
    if output is None or output.path is None:
        typer.echo(page, nl=False)
    else:
        write_output(output, page)


def _table(reports: tuple[RunReport, ...], width: int, detail: bool) -> RenderableType:
    if len(reports) == 1:
        return render_run(reports[0], width)
    return render_comparison(compare(reports), width, detail)


def _plain(renderable: RenderableType, width: int) -> str:
    """The table report as plain text (no colour), for a file."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, emoji=False
    )
    console.print(renderable, crop=False)
    return buffer.getvalue()

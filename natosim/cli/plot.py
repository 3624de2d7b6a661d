"""``natosim plot``: a chart of a run, a sensitivity analysis or a sweep, saved to a file."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from natosim.cli.app import (
    Engine,
    EngineOption,
    FileArg,
    SeedOption,
    WorkersOption,
    app,
    out_console,
)
from natosim.cli.sensitivity import (
    MethodChoice,
    SamplesOption,
    run_analysis,
)
from natosim.cli.study import YesOption, check_study
from natosim.errors import UserError
from natosim.model.prepared import Prepared, prepare
from natosim.output.plot.files import DPI, chart_format
from natosim.output.text.files import output_target, refuse_inputs, write_output
from natosim.results.measures import choose_measures
from natosim.results.precision import simulate
from natosim.scenario.schema import MAX_TRIALS, NON_APPOINTMENTS
from natosim.studies.sensitivity import DEFAULT_TRIALS
from natosim.studies.sweep import parse_vary, run_sweep

if TYPE_CHECKING:
    from natosim.output.plot.common import Chart


class Kind(StrEnum):
    """The charts ``natosim plot`` draws."""

    cdf = "cdf"
    holdouts = "holdouts"
    tornado = "tornado"
    sweep = "sweep"


@app.command()
def plot(
    file: FileArg,
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", help="The chart's file: .png, .svg or .pdf (never an input file)."
        ),
    ],
    kind: Annotated[
        Kind,
        typer.Option(
            help="cdf: P(appointed by date) per candidate; holdouts: when members last "
            "blocked; tornado: what moves a measure (runs a sensitivity analysis); sweep: a "
            "measure over --vary values."
        ),
    ] = Kind.cdf,
    measure: Annotated[
        list[str] | None,
        typer.Option(
            help="tornado: the measure to explain; sweep: what to chart (repeatable). "
            "by-DEADLINE, a candidate id, extension, p10, median, p90 or holdout-CODE.",
            show_default=False,
        ),
    ] = None,
    varies: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="sweep: PATH=V1,V2,... or PATH=START:STOP:COUNT, once or twice.",
            show_default=False,
        ),
    ] = None,
    method: Annotated[MethodChoice, typer.Option(help="tornado: morris or sobol.")] = (
        MethodChoice.morris
    ),
    samples: SamplesOption = None,
    trials: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_TRIALS,
            help="Trials (default: the file's; for a tornado, 4,096 per run).",
            show_default=False,
        ),
    ] = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    engine: EngineOption = Engine.fast,
    yes: YesOption = False,
    dpi: Annotated[
        int, typer.Option(min=30, max=1200, help="Resolution of a PNG (8 inches wide).")
    ] = DPI,
) -> None:
    """Draw a chart and save it as PNG, SVG or PDF (by the output file's suffix)."""
    from natosim.output.plot.common import chart_bytes
    from natosim.output.plot.tornado import tornado_chart

    chart_format(Path(output))
    target = output_target(output)
    prepared = prepare(file)
    refuse_inputs(target, prepared.loaded.files)
    if kind is Kind.tornado:
        if measure and len(measure) > 1:
            raise UserError("a tornado explains one --measure")
        result = run_analysis(
            prepared,
            measure[0] if measure else None,
            method.value,
            samples,
            trials or DEFAULT_TRIALS,
            seed,
            workers,
            engine,
            yes,
        )
        chart = tornado_chart(result)
    elif kind is Kind.sweep:
        each = trials or prepared.loaded.scenario.simulation.trials
        points = math.prod(len(values) for _, values in map(parse_vary, varies or []))
        check_study("sweep", points, each, yes)
        chart = _sweep(prepared, varies or [], measure or [], trials, seed, workers, engine)
    else:
        chart = _run_chart(prepared, kind, trials, seed, workers, engine)
    write_output(target, chart_bytes(chart, chart_format(Path(output)), dpi))
    out_console().print(
        f"{output}: {kind.value} chart ({chart.title})",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _run_chart(
    prepared: Prepared,
    kind: Kind,
    trials: int | None,
    seed: int | None,
    workers: int | None,
    engine: Engine,
) -> Chart:
    from natosim.output.plot.cdf import cdf_chart
    from natosim.output.plot.holdouts import holdouts_chart

    report = simulate(prepared, trials, seed, workers, engine.value)
    if kind is Kind.holdouts:
        return holdouts_chart(report)
    outcome = prepared.loaded.scenario.outcome
    appointed = outcome is not None and outcome.appointed not in NON_APPOINTMENTS
    return cdf_chart(report, outcome.date if outcome is not None and appointed else None)


def _sweep(
    prepared: Prepared,
    varies: list[str],
    measures: list[str],
    trials: int | None,
    seed: int | None,
    workers: int | None,
    engine: Engine,
) -> Chart:
    from natosim.output.plot.sweep import sweep_chart

    if not varies:
        raise UserError("a sweep chart needs --vary PATH=V1,V2,... (once or twice)")
    chosen = choose_measures(prepared.model, measures)
    if not measures:  # the default probabilities; one line per value of a second path
        chosen = [m for m in chosen if m.kind == "probability"][: 1 if len(varies) == 2 else None]
    result = run_sweep(
        prepared, [parse_vary(text) for text in varies], trials, seed, workers, engine.value
    )
    return sweep_chart(result, chosen)

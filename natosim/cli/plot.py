"""``natosim plot``: a chart of a run, a sensitivity analysis or a sweep, saved to a file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from natosim.api.runs import run
from natosim.api.scenario import Scenario, load
from natosim.api.studies import sweep
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
from natosim.cli.study import YesOption
from natosim.errors import UserError
from natosim.output.plot.files import DPI, chart_format
from natosim.output.text.files import output_target, refuse_inputs, write_output
from natosim.results.measures import choose_measures
from natosim.scenario.schema import MAX_TRIALS
from natosim.studies.sensitivity import DEFAULT_TRIALS

if TYPE_CHECKING:
    from natosim.output.plot.common import Chart


class Kind(StrEnum):
    """The charts ``natosim plot`` draws."""

    cdf = "cdf"
    holdouts = "holdouts"
    tornado = "tornado"
    sweep = "sweep"


ChartFile = Annotated[
    str,
    typer.Option(
        "--output", "-o", help="The chart's file: .png, .svg or .pdf (never an input file)."
    ),
]
KindOption = Annotated[
    Kind,
    typer.Option(
        help="cdf: P(appointed by date) per candidate; holdouts: when members last "
        "blocked; tornado: what moves a measure (runs a sensitivity analysis); sweep: a "
        "measure over --vary values."
    ),
]
ChartMeasures = Annotated[
    list[str] | None,
    typer.Option(
        help="tornado: the measure to explain; sweep: what to chart (repeatable). "
        "by-DEADLINE, a candidate id, extension, p10, median, p90 or holdout-CODE.",
        show_default=False,
    ),
]
ChartVaries = Annotated[
    list[str] | None,
    typer.Option(
        "--vary",
        help="sweep: PATH=V1,V2,... or PATH=START:STOP:COUNT, once or twice.",
        show_default=False,
    ),
]
ChartTrials = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=MAX_TRIALS,
        help="Trials (default: the file's; for a tornado, 4,096 per run).",
        show_default=False,
    ),
]
DpiOption = Annotated[
    int, typer.Option(min=30, max=1200, help="Resolution of a PNG (8 inches wide).")
]


@app.command()
def plot(
    file: FileArg,
    output: ChartFile,
    kind: KindOption = Kind.cdf,
    measure: ChartMeasures = None,
    varies: ChartVaries = None,
    method: Annotated[MethodChoice, typer.Option(help="tornado: morris or sobol.")] = (
        MethodChoice.morris
    ),
    samples: SamplesOption = None,
    trials: ChartTrials = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    engine: EngineOption = Engine.fast,
    yes: YesOption = False,
    dpi: DpiOption = DPI,
) -> None:
    """Draw a chart and save it as PNG, SVG or PDF (by the output file's suffix)."""
    from natosim.output.plot.common import chart_bytes

    chart_format(Path(output))
    target = output_target(output)
    scenario = load(file)
    refuse_inputs(target, scenario.prepared.loaded.files)
    if kind is Kind.tornado:
        if measure and len(measure) > 1:
            raise UserError("a tornado explains one --measure")
        one = measure[0] if measure else None
        each = trials or DEFAULT_TRIALS
        analysis = run_analysis(
            scenario, one, method.value, samples, each, seed, workers, engine, yes
        )
        chart = analysis.chart()
    elif kind is Kind.sweep:
        chart = _sweep(scenario, varies or [], measure or [], trials, seed, workers, engine, yes)
    else:
        result = run(scenario, trials=trials, seed=seed, workers=workers, engine=engine.value)
        chart = result.chart(kind.value)
    write_output(target, chart_bytes(chart, chart_format(Path(output)), dpi))
    out_console().print(
        f"{output}: {kind.value} chart ({chart.title})",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _sweep(
    scenario: Scenario,
    varies: list[str],
    measures: list[str],
    trials: int | None,
    seed: int | None,
    workers: int | None,
    engine: Engine,
    yes: bool,
) -> Chart:
    if not varies:
        raise UserError("a sweep chart needs --vary PATH=V1,V2,... (once or twice)")
    chosen = choose_measures(scenario.prepared.model, measures)
    if not measures:  # the default probabilities; one line per value of a second path
        chosen = [m for m in chosen if m.kind == "probability"][: 1 if len(varies) == 2 else None]
    result = sweep(
        scenario,
        varies,
        measures=[m.id for m in chosen],
        trials=trials,
        seed=seed,
        workers=workers,
        engine=engine.value,
        confirm=yes,
    )
    return result.chart()

"""``natosim sensitivity``: rank a scenario's ranges by how much they move a measure."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from natosim.api.scenario import Scenario, load
from natosim.api.studies import SensitivityResult, plan_sensitivity
from natosim.api.studies import sensitivity as api_sensitivity
from natosim.cli.app import (
    Engine,
    EngineOption,
    FileArg,
    WorkersOption,
    app,
    err_console,
)
from natosim.cli.cluster import ClusterOption, workers_for
from natosim.cli.emit import emit, emit_table
from natosim.cli.study import YesOption
from natosim.scenario.schema import MAX_SEED, MAX_TRIALS
from natosim.studies.designs import Method
from natosim.studies.sensitivity import DEFAULT_TRIALS
from natosim.trials.pool import Workers


class Format(StrEnum):
    """Output formats of ``natosim sensitivity``."""

    table = "table"
    json = "json"


class MethodChoice(StrEnum):
    """How the samples are laid out and analysed."""

    morris = "morris"
    sobol = "sobol"


MeasureOption = Annotated[
    str | None,
    typer.Option(
        help="What to explain: by-DEADLINE (e.g. by-washington-summit), a candidate id, "
        "extension, p10, median, p90 or holdout-CODE. Default: P(decided by the first soft "
        "deadline).",
        show_default=False,
    ),
]
MethodOption = Annotated[
    MethodChoice,
    typer.Option(help="morris: screening, r·(D+1) runs; sobol: variance shares, N·(D+2) runs."),
]
SamplesOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Morris trajectories r (default 10) or Sobol base samples N (default 64, "
        "rounded up to a power of 2).",
        show_default=False,
    ),
]
EvaluationTrialsOption = Annotated[
    int,
    typer.Option(
        min=1, max=MAX_TRIALS, help="Trials per evaluation (one chunk of 4,096 by default)."
    ),
]
SensitivitySeedOption = Annotated[
    int | None,
    typer.Option(min=0, max=MAX_SEED, help="Seed of every evaluation (default: the file's)."),
]


@app.command()
def sensitivity(
    file: FileArg,
    measure: MeasureOption = None,
    method: MethodOption = MethodChoice.morris,
    samples: SamplesOption = None,
    trials: EvaluationTrialsOption = DEFAULT_TRIALS,
    seed: SensitivitySeedOption = None,
    workers: WorkersOption = None,
    cluster: ClusterOption = None,
    engine: EngineOption = Engine.fast,
    output_format: Annotated[
        Format, typer.Option("--format", help="Output format.")
    ] = Format.table,
    yes: YesOption = False,
) -> None:
    """Vary every range of the scenario and rank the ranges by how much they move a measure."""
    scenario = load(file)
    with workers_for(workers, cluster) as where:
        result = run_analysis(
            scenario, measure, method.value, samples, trials, seed, where, engine, yes
        )
    if output_format is Format.json:
        emit(result.to_json(), None)
    else:
        emit_table(result, None)


def run_analysis(
    scenario: Scenario,
    measure: str | None,
    method: Method,
    samples: int | None,
    trials: int,
    seed: int | None,
    workers: Workers,
    engine: Engine,
    yes: bool = False,
) -> SensitivityResult:
    """Announce the analysis on stderr, run it with a progress bar, and return it."""
    planned = plan_sensitivity(scenario, method, samples, trials, yes)
    unit = "trajectories" if method == "morris" else "base samples"
    err_console().print(
        f"{method}: {planned.ranges} ranges, {planned.samples} {unit}"
        f", {planned.runs} runs of {trials:,} trials",
        highlight=False,
    )
    with _progress(planned.runs) as tick:
        return api_sensitivity(
            scenario,
            measure=measure,
            method=method,
            samples=samples,
            trials=trials,
            seed=seed,
            workers=workers,
            engine=engine.value,
            confirm=yes,
            on_progress=tick,
        )


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int, int], None]]:
    console = err_console()
    bar = Progress(
        TextColumn("running"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = bar.add_task("runs", total=total)
    with bar:
        yield lambda done, _: bar.update(task, completed=done)

"""``natosim sensitivity``: rank a scenario's ranges by how much they move a measure."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from natosim.cli.app import (
    Engine,
    EngineOption,
    FileArg,
    WorkersOption,
    app,
    err_console,
    out_console,
)
from natosim.cli.study import YesOption, check_study
from natosim.model.prepared import Prepared, prepare
from natosim.output.json.studies import sensitivity_json
from natosim.output.terminal.sensitivity import render_sensitivity
from natosim.scenario.ranges import list_ranges
from natosim.scenario.schema import MAX_SEED, MAX_TRIALS
from natosim.studies.designs import Method
from natosim.studies.sensitivity import (
    DEFAULT_SAMPLES,
    DEFAULT_TRIALS,
    Sensitivity,
    analyse,
    pick_measure,
    plan,
)


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
    engine: EngineOption = Engine.fast,
    output_format: Annotated[
        Format, typer.Option("--format", help="Output format.")
    ] = Format.table,
    yes: YesOption = False,
) -> None:
    """Vary every range of the scenario and rank the ranges by how much they move a measure."""
    prepared = prepare(file)
    result = run_analysis(
        prepared, measure, method.value, samples, trials, seed, workers, engine, yes
    )
    if output_format is Format.json:
        sys.stdout.write(json.dumps(sensitivity_json(result), indent=2, ensure_ascii=False) + "\n")
    else:
        out_console().print(render_sensitivity(result))


def run_analysis(
    prepared: Prepared,
    measure: str | None,
    method: Method,
    samples: int | None,
    trials: int,
    seed: int | None,
    workers: int | None,
    engine: Engine,
    yes: bool = False,
) -> Sensitivity:
    """Announce the analysis on stderr, run it with a progress bar, and return it."""
    chosen = pick_measure(prepared.model, measure)
    n, total = plan(prepared.loaded, method, samples or DEFAULT_SAMPLES[method])
    check_study(f"sensitivity ({method})", total, trials, yes)
    count = len(list_ranges(prepared.loaded.scenario))
    err_console().print(
        f"{method}: {count} ranges, {n} {'trajectories' if method == 'morris' else 'base samples'}"
        f", {total} runs of {trials:,} trials",
        highlight=False,
    )
    with _progress(total) as tick:
        return analyse(
            prepared.loaded, chosen, method, n, trials, seed, workers, engine.value, tick
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

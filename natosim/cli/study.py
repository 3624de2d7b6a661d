"""The ``--yes`` option of the studies, which confirms a study past the confirmation limits."""

from __future__ import annotations

from typing import Annotated

import typer

from natosim.studies.limits import CONFIRM_RUNS, CONFIRM_TRIALS

YesOption = Annotated[
    bool,
    typer.Option(
        "--yes",
        help=f"Run a study of more than {CONFIRM_RUNS:,} runs or {CONFIRM_TRIALS:,} trials "
        "in all (docs/limits.md).",
    ),
]

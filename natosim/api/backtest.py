"""Back-test the forecasts of scenarios that record what happened: :func:`backtest`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import RenderableType

from natosim.api.result import WIDTH, Result
from natosim.engine import EngineName
from natosim.errors import UserError
from natosim.output.frames import Row
from natosim.output.json.studies import backtest_json
from natosim.output.terminal.backtest import backtest_markdown, render_backtest
from natosim.studies.backtest import Backtest, bundled_scenarios, run_backtest
from natosim.trials.pool import Workers

DEFAULT_TRIALS = 20_000
"""Trials per case when none are asked for."""


@dataclass(frozen=True)
class BacktestResult(Result):
    """Scores of natosim and two baselines on every case. Tables: ``cases`` (one row per
    case and forecaster) and ``averages`` (one row per forecaster)."""

    backtest: Backtest

    def to_dict(self) -> dict[str, Any]:
        """The document of ``natosim backtest --format json``."""
        return backtest_json(self.backtest)

    def tables(self) -> dict[str, list[Row]]:
        """Every score of every case, and the averages with the number of cases behind each."""
        doc = self.to_dict()
        cases = [
            {
                "file": case["file"],
                "body": case["body"],
                "as_of": case["as_of"],
                "forecaster": name,
                "p_observed": case["p_observed"]["probability"] if name == "model" else None,
                **forecast["scores"],
            }
            for case in doc["cases"]
            for name, forecast in case["forecasts"].items()
        ]
        averages = [
            {"forecaster": name, **{f"{key}": m["mean"] for key, m in means.items()}}
            | {f"{key}_n": m["n"] for key, m in means.items()}
            for name, means in doc["averages"].items()
        ]
        return {"cases": cases, "averages": averages}

    def renderable(self, width: int = WIDTH, detail: bool = False) -> RenderableType:
        """The tables of ``natosim backtest``."""
        return render_backtest(self.backtest)

    def to_markdown(self) -> str:
        """The text of ``natosim backtest --format markdown``."""
        return backtest_markdown(self.backtest)

    def to_html(self) -> str:
        """The self-contained HTML page of ``natosim backtest --format html``."""
        from natosim.output.html.backtest_page import backtest_page

        return backtest_page(self.backtest)


def backtest(
    scenarios: Sequence[str | os.PathLike[str]] | None = None,
    *,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> BacktestResult:
    """Score natosim and the baselines on every file that records its own outcome.

    Args:
        scenarios: Files or bundled names (default: the whole bundled library); files that
            are not cases are listed as skipped, with why.
        trials: Trials per case.
        seed: Seed of every case (default: each file's own).
        workers: Worker processes.
        engine: ``fast`` or ``reference``.

    Raises:
        ScenarioError: For a file with problems.
        UserError: When no file is a back-test case.
    """
    paths = [Path(s) for s in scenarios] if scenarios else bundled_scenarios()
    if not paths:
        raise UserError("no scenario files given, and no bundled scenarios found")
    found = run_backtest(paths, trials, seed, workers, engine)
    if not found.cases:
        reasons = "; ".join(f"{name} ({why})" for name, why in found.skipped)
        raise UserError(f"no back-test case among the files: {reasons}")
    return BacktestResult(found)

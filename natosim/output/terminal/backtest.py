"""``natosim backtest``: the scores of every case and forecaster, as rich tables or Markdown.

Both forms are built from the same rows (:func:`backtest_tables`), so the Markdown pasted into
docs/validation.md says exactly what the terminal shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim.studies.backtest import Backtest, Case, averages, bodies
from natosim.studies.scoring import FLOOR, TOP, Mean, Scores

DASH = "—"
MODEL_COLUMNS = (
    *("case", "as of", "happened", "P(happened), 95 % interval", "log", "Brier", "RPS"),
    *("last holdout (rank)", f"model's top {TOP} last holdouts"),
)
BASELINE_COLUMNS = (
    *("case", "B0 P", "B0 log", "B0 Brier", "B0 RPS"),
    *("B1 pick", "B1 log", "B1 Brier", "B1 RPS", "B1 holdout rank"),
)


@dataclass(frozen=True)
class TableRows:
    """A titled table as plain text cells."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def render_backtest(backtest: Backtest) -> RenderableType:
    """The back-test as rich tables, with a footer on how it was run and what it left out."""
    tables = [_rich(spec) for spec in backtest_tables(backtest)]
    return Group(*tables, Text(f"{footer(backtest)}{_skipped(backtest)}", style="dim"))


def backtest_markdown(backtest: Backtest) -> str:
    """The back-test as Markdown: one table per section, then the footer.

    Why: the files that are not cases are left out here, so that the copy of this output in
    docs/validation.md changes only when a case or a score does.
    """
    parts = [_markdown(spec) for spec in backtest_tables(backtest)]
    return "\n\n".join([*parts, footer(backtest)]) + "\n"


def backtest_tables(backtest: Backtest) -> list[TableRows]:
    """The four tables: the model per case, the baselines per case, timing bins, averages."""
    cases = backtest.cases
    return [
        TableRows(
            "natosim's forecast of what happened",
            MODEL_COLUMNS,
            tuple(_model_row(case) for case in cases),
        ),
        TableRows(
            "Baselines: B0 uniform over candidates, B1 front-runner wins at the next deadline",
            BASELINE_COLUMNS,
            tuple(_baseline_row(case) for case in cases),
        ),
        TableRows(
            "Timing bins and natosim's probability of each",
            ("case", "bins (natosim's probability)", "happened in"),
            tuple(_timing_row(case) for case in cases),
        ),
        TableRows(
            "Averages over cases (N = number of cases with a value)",
            ("forecaster", "log score", "Brier", "RPS", f"last holdout in top {TOP}"),
            _average_rows(backtest),
        ),
        TableRows(
            "Averages by body",
            ("body", "forecaster", "log score", "Brier", "RPS", f"last holdout in top {TOP}"),
            tuple(
                (body, *row) for body in bodies(backtest) for row in _average_rows(backtest, body)
            ),
        ),
    ]


def footer(backtest: Backtest) -> str:
    """How the back-test was run and scored."""
    seeds = ", ".join(f"{Path(c.file).stem} {c.seed}" for c in backtest.cases)
    return (
        f"{backtest.trials:,} trials per case; seeds: {seeds}. Log score −ln p with p floored "
        f"at {FLOOR:g}; Brier over all outcome categories; RPS over the timing bins, "
        "normalised to [0, 1]. Lower is better."
    )


def _skipped(backtest: Backtest) -> str:
    left = "; ".join(f"{Path(f).name} ({why})" for f, why in backtest.skipped)
    return f" Not cases: {left}." if left else ""


def _model_row(case: Case) -> tuple[str, ...]:
    s = case.scores["model"]
    low, high = case.p_observed.interval
    when = f" {case.outcome.date}" if case.outcome.date else ""
    top = ", ".join(f"{m} {100 * e.p:.1f} %" for m, e in case.top_holdouts)
    return (
        Path(case.file).stem,
        str(case.as_of),
        f"{case.outcome.appointed}{when}",
        f"{100 * s.p_observed:.1f} % ({100 * low:.1f}–{100 * high:.1f})",
        *_scores(s),
        _holdout(case, s),
        top or DASH,
    )


def _baseline_row(case: Case) -> tuple[str, ...]:
    b0, b1 = case.scores["uniform"], case.scores["front_runner"]
    return (
        Path(case.file).stem,
        f"{b0.p_observed:.2f}",
        *_scores(b0),
        case.front_runner,
        *_scores(b1),
        _holdout(case, b1),
    )


def _timing_row(case: Case) -> tuple[str, ...]:
    model = case.forecasts["model"].timing
    bins = "; ".join(
        f"{label}: {100 * p:.1f} %" for label, p in zip(case.bins.labels, model, strict=True)
    )
    b = case.observed.timing_bin
    return (Path(case.file).stem, bins, DASH if b is None else case.bins.labels[b])


def _scores(s: Scores) -> tuple[str, str, str]:
    return (f"{s.log:.3f}", f"{s.brier:.3f}", DASH if s.rps is None else f"{s.rps:.3f}")


def _holdout(case: Case, s: Scores) -> str:
    who = case.outcome.last_holdout
    if who is None:
        return DASH
    if s.holdout_rank is None:
        return f"{who} (not ranked)"
    return f"{who} ({s.holdout_rank})"


def _average_rows(backtest: Backtest, body: str | None = None) -> tuple[tuple[str, ...], ...]:
    names = {"model": "natosim", "uniform": "B0 uniform", "front_runner": "B1 front-runner"}
    return tuple(
        (
            names[name],
            *(_mean(m[key]) for key in ("log", "brier", "rps")),
            _mean(m["holdout_in_top"], percent=True),
        )
        for name, m in averages(backtest, body).items()
    )


def _mean(m: Mean, percent: bool = False) -> str:
    if m.value is None:
        return f"{DASH} (N = 0)"
    value = f"{100 * m.value:.0f} %" if percent else f"{m.value:.3f}"
    return f"{value} (N = {m.n})"


def _rich(spec: TableRows) -> Table:
    table = Table(title=spec.title, title_justify="left")
    for column in spec.columns:
        table.add_column(column)
    for row in spec.rows:
        table.add_row(*row)
    return table


def _markdown(spec: TableRows) -> str:
    lines = [
        f"**{spec.title}**",
        "",
        "| " + " | ".join(spec.columns) + " |",
        "|" + "|".join("---" for _ in spec.columns) + "|",
    ]
    lines += [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in spec.rows
    ]
    return "\n".join(lines)

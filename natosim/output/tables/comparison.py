"""The comparison of several runs as one table, plus the legend of the scenarios."""

from __future__ import annotations

from natosim.output.tables.cells import (
    count,
    day,
    percent,
    points,
    points_plus_minus,
    with_interval,
)
from natosim.output.tables.grid import Column, Grid
from natosim.output.tables.letters import letter
from natosim.results.compare import CompareRow, Comparison
from natosim.results.stats import Difference, Estimate


def comparison_grid(comparison: Comparison, compact: bool = False) -> Grid:
    """One column per scenario, then one per difference from the first (A)."""
    n = len(comparison.reports)
    return Grid(
        "comparison",
        "Comparison",
        (
            Column(""),
            *(Column(letter(i), True) for i in range(n)),
            *(Column(f"{letter(i)} − A", True) for i in range(1, n)),
        ),
        (
            *(_probability_row(row, compact) for row in comparison.rows),
            _median_row(comparison, n, compact),
            _holdout_row(comparison, n, compact),
        ),
        _notes(comparison),
    )


CELL_WIDTH = 10
"""About the width of a compact cell (``61.2 %`` or ``+2.1 ±0.4``) with its borders."""


def fits(comparison: Comparison, width: int) -> bool:
    """Whether the side-by-side table fits ``width`` columns even in its compact form."""
    n = len(comparison.reports)
    return 16 + (2 * n - 1) * CELL_WIDTH <= width


def long_comparison_grid(comparison: Comparison) -> Grid:
    """The comparison one scenario a row, for more scenarios than the width holds."""
    rows: list[tuple[str, ...]] = []
    for row in comparison.rows:
        for i, value in enumerate(row.values):
            d = row.differences[i] if i else None
            rows.append(
                (
                    row.short if i == 0 else "",
                    letter(i),
                    percent(value) if value else "—",
                    _difference(d, True) if i else "",
                )
            )
    rows += _by_scenario("Median date", [day(d) for d in comparison.median_dates])
    rows += _by_scenario("Last holdout", [_holdout(top) for top in comparison.top_holdouts])
    return Grid(
        "comparison",
        "Comparison",
        (Column("measure"), Column(""), Column("value", True), Column("− A", True)),
        tuple(rows),
        (
            "One scenario a row: more scenarios than fit side by side at this width "
            "(--width, --format markdown or csv for the wide table, --detail for every "
            "report).",
            *_notes(comparison),
        ),
    )


def _by_scenario(label: str, values: list[str]) -> list[tuple[str, ...]]:
    return [(label if i == 0 else "", letter(i), v, "") for i, v in enumerate(values)]


def _probability_row(row: CompareRow, compact: bool) -> tuple[str, ...]:
    shown = percent if compact else with_interval
    return (
        row.short if compact else row.label,
        *(shown(e) if e else "—" for e in row.values),
        *(_difference(d, compact) for d in row.differences[1:]),
    )


def _difference(d: Difference | None, compact: bool) -> str:
    if d is None:
        return "—"
    return points_plus_minus(d) if compact else points(d)


def _median_row(comparison: Comparison, n: int, compact: bool) -> tuple[str, ...]:
    label = "Median date" if compact else "Median appointment date"
    return (label, *map(day, comparison.median_dates), *([""] * (n - 1)))


def _holdout_row(comparison: Comparison, n: int, compact: bool) -> tuple[str, ...]:
    return (
        "Last holdout" if compact else "Most likely last holdout",
        *(_holdout(top) for top in comparison.top_holdouts),
        *([""] * (n - 1)),
    )


def _holdout(top: tuple[str, Estimate] | None) -> str:
    return f"{top[0]} {percent(top[1])}" if top else "—"


def _notes(comparison: Comparison) -> tuple[str, ...]:
    notes = [
        "Probabilities are shares of each scenario's trials, with 95 % intervals. Differences "
        "are in percentage points, with 95 % intervals by the normal approximation."
    ]
    for i in range(1, len(comparison.reports)):
        notes.append(_pairing_note(comparison, i))
    return tuple(notes)


def _pairing_note(comparison: Comparison, index: int) -> str:
    name = f"{letter(index)} − A"
    problem = comparison.pairing(index)
    if problem:
        return f"{name}: unpaired ({problem}; run both with the same --seed to pair them)."
    n = min(comparison.reports[0].run.trials, comparison.reports[index].run.trials)
    return (
        f"{name}: paired trial by trial over the first {count(n)} trials (same seed and "
        "engine, so the runs share random numbers); the interval is from the spread of the "
        "per-trial differences."
    )


def legend_grid(comparison: Comparison, compact: bool = False) -> Grid:
    """Which scenario each letter stands for, and how it was run."""
    if compact:
        return _compact_legend(comparison)
    return Grid(
        "scenarios",
        "Scenarios",
        (
            Column(""),
            Column("file", wrap=False),
            Column("scenario"),
            Column("seed", True),
            Column("trials", True),
            Column("sha256"),
        ),
        tuple(
            (
                letter(i),
                r.scenario_file,
                r.scenario + ("" if r.complete else " (PARTIAL)"),
                str(r.run.seed),
                count(r.run.trials),
                r.scenario_sha256[:16],
            )
            for i, r in enumerate(comparison.reports)
        ),
    )


def _compact_legend(comparison: Comparison) -> Grid:
    return Grid(
        "scenarios",
        "Scenarios",
        (
            Column(""),
            Column("file, scenario, sha256"),
            Column("seed", True),
            Column("trials", True),
        ),
        tuple(
            (
                letter(i),
                f"{r.scenario_file}\n{r.scenario}"
                + ("" if r.complete else " (PARTIAL)")
                + f"\nsha256 {r.scenario_sha256[:16]}",
                str(r.run.seed),
                count(r.run.trials),
            )
            for i, r in enumerate(comparison.reports)
        ),
    )

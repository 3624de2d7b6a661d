"""``natosim sensitivity``: the ranking table, a text tornado and the two kinds of uncertainty."""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim import __version__
from natosim.studies.sensitivity import Effect, Sensitivity

BAR_WIDTH = 40
"""Characters of the text tornado's bars."""
LOW, HIGH, BASE = "░", "█", "│"
_COLUMNS = {
    "morris": (("μ*", "mu_star"), ("±95 %", "mu_star_conf"), ("μ", "mu"), ("σ", "sigma")),
    "sobol": (("ST", "ST"), ("±95 %", "ST_conf"), ("S1", "S1"), ("±95 %", "S1_conf")),
}
_METHOD = {"morris": "Morris screening", "sobol": "Sobol indices"}


def value_text(result: Sensitivity, value: float) -> str:
    """A value of the measure: ``45.2 %``, or a date for a date measure (days after start)."""
    if result.measure.kind == "probability":
        return f"{100 * value:.1f} %"
    return (result.loaded.scenario.start + dt.timedelta(days=round(value))).isoformat()


def change_text(result: Sensitivity, change: float, signed: bool = False) -> str:
    """A change of the measure: ``12.3 pp`` (percentage points) or ``14 days``."""
    sign = "+" if signed else ""
    if result.measure.kind == "probability":
        return f"{100 * change:{sign}.1f} pp"
    return f"{change:{sign}.0f} days"


def render_sensitivity(result: Sensitivity) -> RenderableType:
    """Headline, ranking table, text tornado and what the numbers mean."""
    return Group(_headline(result), _table(result), _tornado(result), _footer(result))


def _headline(result: Sensitivity) -> Text:
    text = Text()
    text.append(f"{result.loaded.scenario.name}\n", style="bold")
    count = len(result.effects)
    design = (
        f"{result.samples} trajectories" if result.method == "morris" else f"N = {result.samples}"
    )
    text.append(
        f"What moves {result.measure.label} most: {_METHOD[result.method]} of {count} "
        f"range{'s' if count != 1 else ''}, {design}\n"
    )
    text.append(
        f"With every range at its midpoint: {value_text(result, result.base)} "
        f"(Monte Carlo standard error {change_text(result, result.base_se)})",
        style="bold green",
    )
    return text


def _table(result: Sensitivity) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("range", no_wrap=True)
    table.add_column("low–high", justify="right")
    for heading, _ in _COLUMNS[result.method]:
        table.add_column(heading, justify="right")
    for rank, effect in enumerate(result.effects, start=1):
        stats = [_stat(result, key, effect.stats[key]) for _, key in _COLUMNS[result.method]]
        table.add_row(
            str(rank),
            effect.parameter.name,
            f"{effect.parameter.low:g}–{effect.parameter.high:g}",
            *stats,
        )
    return table


def _stat(result: Sensitivity, key: str, value: float) -> str:
    if result.method == "sobol":
        return f"{value:.2f}"
    return change_text(result, value, signed=key == "mu")


def _tornado(result: Sensitivity) -> RenderableType:
    ends = [v for e in result.effects for v in (e.at_low, e.at_high)]
    lowest, highest = min([*ends, result.base]), max([*ends, result.base])
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0))
    for _ in range(3):
        table.add_column()
    for effect in result.effects:
        table.add_row(
            effect.parameter.name,
            _bar(effect, result.base, lowest, highest),
            f"{value_text(result, effect.at_low)} → {value_text(result, effect.at_high)}",
        )
    title = Text(
        f"Tornado: {result.measure.label} with one range at its low end ({LOW}) or high end "
        f"({HIGH}), the others at midpoints ({BASE} {value_text(result, result.base)})"
    )
    return Group(title, table)


def _bar(effect: Effect, base: float, lowest: float, highest: float) -> Text:
    span = highest - lowest or 1.0

    def column(value: float) -> int:
        return round((value - lowest) / span * (BAR_WIDTH - 1))

    cells = [" "] * BAR_WIDTH
    middle = column(base)
    ends = sorted(((effect.at_low, LOW), (effect.at_high, HIGH)), key=lambda e: -abs(e[0] - base))
    for value, mark in ends:  # the longer bar first, so a shorter one on its side shows
        end = column(value)
        for c in range(min(end, middle), max(end, middle) + 1):
            cells[c] = mark
    cells[middle] = BASE
    text = Text()
    for cell in cells:
        text.append(cell, style="blue" if cell == LOW else "red" if cell == HIGH else "")
    return text


def _footer(result: Sensitivity) -> Text:
    spread = result.spread
    ratio = spread.sd / spread.mc_se if spread.mc_se > 0 else float("inf")
    verdict = (
        f"{ratio:.0f} times smaller than that spread"
        if ratio >= 3
        else "too close to that spread to tell them apart: raise --trials"
    )
    lines = [
        f"Parameter uncertainty: over the {spread.n} parameter samples {result.measure.label} "
        f"runs from {value_text(result, spread.p5)} to {value_text(result, spread.p95)} "
        f"(5th to 95th percentile; standard deviation {change_text(result, spread.sd)}).",
        f"Monte Carlo noise: {change_text(result, spread.mc_se)} standard error per run of "
        f"{result.trials:,} trials, {verdict}. Every run uses seed {result.seed}, so samples "
        "differ by their ranges, not by luck.",
        _legend(result),
    ]
    if result.fixed:
        names = ", ".join(r.name for r in result.fixed)
        lines.append(f"Not varied (low equals high): {names}.")
    lines.append(f"{result.evaluations} runs; natosim {__version__}.")
    return Text("\n" + "\n".join(lines), style="dim")


def _legend(result: Sensitivity) -> str:
    if result.method == "morris":
        return (
            "μ*: mean absolute change of the measure across a range's full width, ± its 95 % "
            "bootstrap interval; μ: the same with signs (+: a higher value raises the "
            "measure); σ: how much that change depends on the other ranges."
        )
    return (
        "ST: share of the measure's variance due to the range, interactions included; S1: "
        "due to the range alone; each ± its 95 % bootstrap interval. Indices outside 0 to 1, "
        "or intervals as wide as the index, mean too few samples: raise --samples."
    )

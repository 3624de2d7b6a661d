"""``natosim show``: the resolved scenario as rich tables."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim.model.arrays import EventKind, Model, Stance
from natosim.scenario.ranges import list_ranges
from natosim.scenario.schema import Range, Scenario

LETTER = {Stance.SUPPORT: "S", Stance.ACQUIESCE: "A", Stance.CONDITIONAL: "C", Stance.OBJECT: "O"}
STYLE = {
    Stance.SUPPORT: "green",
    Stance.ACQUIESCE: "",
    Stance.CONDITIONAL: "yellow",
    Stance.OBJECT: "red",
}


def stance_cell(probs: list[float]) -> Text:
    """A compact stance: ``S`` when certain, else ``O80 C20`` (percent, likeliest first)."""
    ranked = sorted(
        ((p, Stance(c)) for c, p in enumerate(probs) if p > 0), key=lambda x: (-x[0], x[1])
    )
    if len(ranked) == 1:
        return Text(LETTER[ranked[0][1]], style=STYLE[ranked[0][1]])
    text = Text()
    for n, (p, s) in enumerate(ranked):
        text.append((" " if n else "") + f"{LETTER[s]}{round(100 * p)}", style=STYLE[s])
    return text


def render_show(scenario: Scenario, model: Model, source: str) -> RenderableType:
    """Every table of the resolved scenario, after ``extends`` and the roster's defaults."""
    return Group(
        _header(scenario, model, source),
        _candidates(scenario, model),
        _stances(model),
        _demands(model),
        _deadlines(scenario, model),
        _events(model),
        _mechanisms(scenario),
        *_ranges(scenario),
    )


def number(value: float | Range) -> str:
    """``0.05``, or for a range the midpoint a run uses and the range: ``0.05 (0.02–0.08)``."""
    if isinstance(value, Range):
        return f"{value.midpoint:g} ({value.low:g}–{value.high:g})"
    return f"{value:g}"


def _header(scenario: Scenario, model: Model, source: str) -> Text:
    first, last = model.present[0].sum(), model.present[-1].sum()
    text = Text()
    text.append(scenario.name + "\n", style="bold")
    text.append(f"{source}\n", style="dim")
    text.append(
        f"{model.dates[0]} to {model.dates[-1]}: {model.n_rounds} rounds of "
        f"{scenario.round_days} days; {first} members at the start"
    )
    if last != first:
        text.append(f", {last} by the end")
    text.append(f"; if undecided at a hard deadline: {scenario.on_hard_deadline}.")
    body = scenario.body if scenario.roster is None else f"{scenario.body} (own roster)"
    text.append(f"\nBody: {body}, {first} members on {model.dates[0]}")
    text.append(f"; rule: {model.rule.describe()}.")
    if model.first_check > 0:
        first_vote = model.dates[model.first_check]
        text.append(f"\nNo decision before {first_vote} (round {model.first_check}).")
    return text


def _candidates(scenario: Scenario, model: Model) -> Table:
    table = Table(title="Candidates", title_justify="left")
    for column in ("id", "name", "home", "enters", "withdraws", "endorses on withdrawal"):
        table.add_column(column)
    for k, (cid, cand) in enumerate(scenario.candidates.items()):
        rate = cand.withdraws.rate if cand.withdraws else 0.0
        endorse = cand.withdraws.endorses if cand.withdraws else None
        table.add_row(
            cid,
            cand.name,
            cand.home or "—",
            model.dates[min(int(model.enter_round[k]), model.n_rounds - 1)].isoformat(),
            "never" if rate == 0.0 else f"{number(rate)}/round",
            endorse or "—",
        )
    return table


def _stances(model: Model) -> Table:
    table = Table(
        title="Stances (S support, A acquiesce, C conditional, O object; numbers are %)",
        title_justify="left",
    )
    table.add_column("member")
    for cid in model.candidates:
        table.add_column(cid)
    table.add_column("lift/round", justify="right")
    table.add_column("silence break", justify="right")
    table.add_column("clout", justify="right")
    table.add_column("joins")
    for i, code in enumerate(model.members):
        joins = next((model.dates[t] for t in range(model.n_rounds) if model.present[t, i]), None)
        table.add_row(
            code,
            *(stance_cell(list(model.stance_prob[i, k])) for k in range(model.n_candidates)),
            f"{model.lift_rate[i]:g}",
            f"{model.silence_break[i]:g}",
            f"{model.clout[i]:.2f}",
            "" if model.present[0, i] else str(joins),
        )
    return table


def _demands(model: Model) -> Table:
    table = Table(title="Demands", title_justify="left")
    for column in ("member", "on", "demand", "granted by", "grant/round"):
        table.add_column(column)
    for d in range(model.n_demands):
        table.add_row(
            model.members[model.demand_member[d]],
            model.candidates[model.demand_candidate[d]],
            model.demand_descriptions[d],
            model.demand_granted_by[d] or "—",
            f"{model.grant_rate[d]:g}",
        )
    return table


def _deadlines(scenario: Scenario, model: Model) -> Table:
    table = Table(title="Deadlines", title_justify="left")
    for column in ("name", "date", "round", "pressure", "window (days)", "hard", "settles"):
        table.add_column(column)
    for spec, d in zip(scenario.deadlines, model.deadlines, strict=True):
        table.add_row(
            d.name,
            d.date.isoformat(),
            str(d.round),
            number(spec.pressure),
            str(spec.window_days),
            "yes" if d.hard else "",
            "" if spec.settles is None else number(spec.settles),
        )
    return table


def _mechanisms(scenario: Scenario) -> Text:
    """The strengths of the mechanisms, who follows whom, and the blocs."""
    dyn = scenario.dynamics
    text = Text()
    text.append("Mechanisms: ", style="bold")
    text.append(
        f"deadline pressure {number(dyn.deadline_pressure)}, isolation "
        f"{number(dyn.isolation)}, influence {number(dyn.influence)}, package "
        f"{number(dyn.package)}, following {number(dyn.following)}"
    )
    ties = [f"{c} follows {', '.join(m.follows)}" for c, m in scenario.members.items() if m.follows]
    if ties:
        text.append("\nFollowing: ", style="bold")
        text.append("; ".join(ties))
    for name, bloc in scenario.blocs.items():
        text.append("\nBloc: ", style="bold")
        text.append(f"{name} ({', '.join(bloc.members)}), correlation {number(bloc.correlation)}")
    return text


def _events(model: Model) -> Table:
    table = Table(title="Events", title_justify="left")
    for column in ("round", "date", "kind", "who", "candidate", "stance", "probability"):
        table.add_column(column)
    for e in model.events:
        table.add_row(
            str(e.round),
            model.dates[e.round].isoformat(),
            e.kind.name.lower(),
            ", ".join(model.members[i] for i in e.members) or "—",
            model.candidates[e.candidate],
            Stance(e.stance).name.lower() if e.kind == EventKind.STANCE else "",
            f"{e.probability:g}",
        )
    return table


def _ranges(scenario: Scenario) -> list[Table]:
    """The scenario's ranges, if it has any: where they are and the value a run uses."""
    found = list_ranges(scenario)
    if not found:
        return []
    table = Table(
        title="Ranges (a run uses each midpoint; natosim sensitivity varies them)",
        title_justify="left",
    )
    for column in ("path", "low", "high", "run uses"):
        table.add_column(column, justify="left" if column == "path" else "right")
    for item in found:
        table.add_row(item.name, f"{item.low:g}", f"{item.high:g}", f"{item.midpoint:g}")
    return [table]

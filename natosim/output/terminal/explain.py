"""``natosim explain``: one simulated future as a timeline, round by round, with reasons."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from natosim.engine.records import LogEntry
from natosim.model.arrays import Model, Reversion, Stance
from natosim.output.terminal.story import VERB, Line, line_of, percent
from natosim.studies.explain import Explanation
from natosim.studies.narrative import Holdout, blocking, holdouts

_SKIPPED = {("event", "event"), ("stance", "silence")}
"""Entries only the reference engine logs, told by the entries that follow them."""


def render_explanation(found: Explanation) -> RenderableType:
    """The header, the timeline, who held out (if nobody was appointed) and how to replay it."""
    held = _holdouts(found)
    parts: list[RenderableType] = [
        _header(found),
        _timeline(found),
        *([held] if held.plain else []),
        _footer(found),
    ]
    return Group(*parts)


def _header(found: Explanation) -> Text:
    model = found.model
    text = Text()
    text.append(found.scenario + "\n", style="bold")
    text.append(f"Trial {found.trial:,} · seed {found.seed} · engine {found.engine}\n")
    if found.selection:
        s = found.selection
        share = percent(s.matching / s.trials)
        ending = _phrase(model, model.outcome_names.index(s.outcome))
        text.append(
            f"Picked as the {s.pick} decision among the {s.matching:,} of {s.trials:,} trials "
            f"({share}) that end {ending}.\n"
        )
    if model.first_check > 0:
        text.append(f"No decision could be taken before {model.dates[model.first_check]}.\n")
    day = model.dates[found.decision_round]
    ending = f"{_ending(model, found.outcome)} on {day} (round {found.decision_round})."
    return text.append(ending, style="bold green")


_ENDINGS = {
    Reversion.EXTENSION: ("Extension of the incumbent", "in an extension of the incumbent"),
    Reversion.VACANCY: ("Vacancy", "in a vacancy"),
    Reversion.NO_DECISION: ("No decision by the horizon", "without a decision by the horizon"),
}
"""How a non-appointment reads: as a heading, and after "trials that end"."""


def _ending(model: Model, outcome: int) -> str:
    k = model.n_candidates
    if outcome < k:
        return f"{model.candidate_names[outcome]} appointed"
    return _ENDINGS[Reversion(outcome - k)][0]


def _phrase(model: Model, outcome: int) -> str:
    """How trials with ``outcome`` end: ``with Mark Rutte appointed``, ``in a vacancy``."""
    k = model.n_candidates
    if outcome < k:
        return f"with {model.candidate_names[outcome]} appointed"
    return _ENDINGS[Reversion(outcome - k)][1]


def _timeline(found: Explanation) -> Table:
    model, decisive = found.model, found.decisive
    table = Table(title="How it happened", title_justify="left")
    for column in ("round", "date", "what happened", "why"):
        table.add_column(column)
    blockers = blocking(model, found.log, decisive)
    shown: tuple[int, ...] | None = None
    entries = [e for e in found.log if (e.what, e.why) not in _SKIPPED and _shown(e)]
    groups = _grouped(entries)
    for n, group in enumerate(groups):
        what, why = _line(found, group, blockers)
        t = group[0].round
        first = n == 0 or groups[n - 1][0].round != t
        table.add_row(str(t) if first else "", str(model.dates[t]) if first else "", what, why)
        last = n == len(groups) - 1 or groups[n + 1][0].round != t
        if last and decisive >= 0 and blockers[t] != shown and group[0].what not in _ENDS:
            shown = blockers[t]
            table.add_row("", "", Text(_still(model, decisive, shown), style="dim"), "")
    return table


def _grouped(entries: list[LogEntry]) -> list[list[LogEntry]]:
    """Entries one by one, except that influence moves towards one candidate in one round
    are told together (they change no blocker, and a big alliance has many)."""
    groups: list[list[LogEntry]] = []
    for entry in entries:
        previous = groups[-1][-1] if groups else None
        together = previous is not None and entry.why == previous.why == "influence"
        if together and previous is not None and _same_turn(previous, entry):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def _same_turn(a: LogEntry, b: LogEntry) -> bool:
    return (a.round, a.candidate) == (b.round, b.candidate)


_ENDS = ("appoint", "reversion", "no_decision")


def _shown(entry: LogEntry) -> bool:
    return not (entry.what == "enter" and entry.round == 0)


def _still(model: Model, k: int, who: tuple[int, ...]) -> str:
    name = model.candidate_names[k]
    if not who:
        return f"→ nobody blocks {name}"
    return f"→ blocking {name}: " + ", ".join(model.members[i] for i in who)


def _line(found: Explanation, group: list[LogEntry], blockers: dict[int, tuple[int, ...]]) -> Line:
    e = group[0]
    if e.what in _ENDS and len(group) == 1:
        return _end_line(found, e, blockers.get(e.round, ()))
    return line_of(found.model, group)


def _end_line(found: Explanation, e: LogEntry, blockers: tuple[int, ...]) -> Line:
    model = found.model
    if e.what == "appoint":
        name = model.candidate_names[e.candidate]
        return f"The Council appoints {name}", "nobody blocks and nobody breaks silence"
    holding = ", ".join(model.members[i] for i in blockers)
    front = model.candidate_names[e.candidate] if e.candidate >= 0 else "any candidate"
    why = f"still blocking {front}: {holding}" if holding else f"no consensus on {front}"
    if e.what == "no_decision":
        return f"No decision by {model.dates[-1]}", why
    settling = next((d.name for d in model.settling if d.round == e.round), "")
    if settling:
        return f"{settling} settles it: {_ending(model, found.outcome)}", why
    deadline = next((d.name for d in model.deadlines if d.round == e.round and d.hard), "")
    return f"{deadline or 'The hard deadline'} passes: {_ending(model, found.outcome)}", why


def _holdouts(found: Explanation) -> Text:
    """Why the trial ended without an appointment: each remaining blocker and what held it."""
    text = Text()
    for n, holdout in enumerate(holdouts(found)):
        text.append(("\n" if n else "") + _held(found.model, holdout, found.decisive))
    return text


def _held(model: Model, h: Holdout, k: int) -> str:
    who, name = model.members[h.member], model.candidate_names[k]
    said = f"{who} still {VERB[h.stance]} {name}"
    reasons = []
    if h.stance == Stance.OBJECT:
        rate = float(model.lift_rate[h.member])
        reasons.append(
            "it never lifts an objection (lift rate 0)"
            if rate == 0
            else f"its objection held against a lift rate of {percent(rate)} a round"
        )
    if h.open_demands:
        wanted = "; ".join(model.demand_descriptions[d] for d in h.open_demands)
        reasons.append(f"never granted: {wanted}")
    if h.own_candidate >= 0:
        reasons.append(f"its own candidate, {model.candidate_names[h.own_candidate]}, stayed in")
    return f"{said}: " + ", and ".join(reasons) + "." if reasons else f"{said}."


def _footer(found: Explanation) -> Text:
    engine = "" if found.engine == "fast" else f" --engine {found.engine}"
    replay = f"natosim explain FILE --trial {found.trial} --seed {found.seed}{engine}"
    return Text(f"Replay this trial: {replay}", style="dim")

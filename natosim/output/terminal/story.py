"""The sentences of ``natosim explain``: what each logged change was, and why it happened."""

from __future__ import annotations

from collections.abc import Callable

from natosim.engine.records import LogEntry
from natosim.model.arrays import Model, Stance
from natosim.studies.narrative import hazard

Line = tuple[str, str]
"""What happened, and why."""

VERB = {
    Stance.SUPPORT: "supports",
    Stance.ACQUIESCE: "acquiesces to",
    Stance.CONDITIONAL: "sets conditions on",
    Stance.OBJECT: "objects to",
}


def percent(p: float) -> str:
    """``7.1 %``; ``<0.1 %`` for tiny non-zero chances."""
    return "<0.1 %" if 0 < p < 0.0005 else f"{100 * p:.1f} %"


def line_of(model: Model, group: list[LogEntry]) -> Line:
    """What a logged change (or a group of influence moves in one round) was, and why."""
    if len(group) > 1:
        return _influence_group(model, group)
    e = group[0]
    return _LINES.get(e.what, _unknown)(model, e)


def _influence_group(model: Model, group: list[LogEntry]) -> Line:
    name = model.candidate_names[group[0].candidate]
    who = ", ".join(model.members[e.member] for e in group)
    found = [h for h in (hazard(model, e) for e in group) if h is not None and h.z is not None]
    if not found:
        return f"{who} come round to support {name}", "influence of the allies who back it"
    z = _span([h.z or 0.0 for h in found])
    p = _span([h.p for h in found])
    return f"{who} come round to support {name}", (
        f"{z} of the others' clout backs {name}: {p} this round each"
    )


def _span(values: list[float]) -> str:
    low, high = percent(min(values)), percent(max(values))
    return low if low == high else f"{low[:-2]}–{high}"


def _stance_line(model: Model, e: LogEntry) -> Line:
    who, name = model.members[e.member], model.candidate_names[e.candidate]
    if e.why == "initial":
        p = float(model.stance_prob[e.member, e.candidate, e.new])
        why = "as the file says" if p >= 1 else f"drawn at the start ({percent(p)} likely)"
        return f"{who} {VERB[Stance(e.new)]} {name}", why
    if e.old == Stance.SUPPORT and e.new == Stance.ACQUIESCE and e.why != "event":
        return f"{who} no longer backs {name}", "support is exclusive: it backs another candidate"
    if e.why == "lift" and e.old == Stance.CONDITIONAL:
        return f"{who} drops its conditions on {name}", _lift_why(model, e)
    if e.why == "lift":
        return f"{who} lifts its objection to {name}", _lift_why(model, e)
    if e.why in _SETTLED:
        return f"{who} {VERB[Stance(e.new)]} {name}", _SETTLED[e.why]
    if e.why == "influence":
        return f"{who} comes round to support {name}", _influence_why(model, e, name)
    if e.why == "concession":
        return f"{who} now supports {name}", f"all its demands on {name} are granted"
    if e.why == "transfer":
        return f"{who} moves to support {name}", "it backed the candidate that withdrew"
    return f"{who} {VERB[Stance(e.new)]} {name}", _EVENT


_EVENT = "a dated event in the file"
_SETTLED = {
    "package": "the holdouts settled together, as a package",
    "settlement": "the Council settled it at the deadline",
}


def _lift_why(model: Model, e: LogEntry) -> str:
    h = hazard(model, e)
    if h is None or h.pressure is None or h.isolation is None or h.influence is None:
        return "objection lifted"
    alone = "as the only blocker" if h.blockers == 1 else f"as one of {h.blockers} blockers"
    follow = e.detail.get("following", 0.0)
    followed = f", and {percent(follow)} as those it follows no longer block" if follow else ""
    return (
        f"rate {percent(h.rate)} a round, sped up ×{h.multiplier:.2f} (deadline "
        f"×{h.pressure:.2f}, isolation ×{h.isolation:.2f} {alone}, others' support "
        f"×{h.influence:.2f}){followed}: {percent(h.p)} this round"
    )


def _influence_why(model: Model, e: LogEntry, name: str) -> str:
    h = hazard(model, e)
    if h is None or h.z is None:
        return "influence of the allies who back it"
    return f"{percent(h.z)} of the others' clout backs {name}: {percent(h.p)} this round"


def _grant_line(model: Model, e: LogEntry) -> Line:
    who = model.members[model.demand_member[e.demand]]
    what = f"{who}'s demand granted: {model.demand_descriptions[e.demand]}"
    by = _name(model, model.demand_granted_by[e.demand])
    h = hazard(model, e)
    if e.why in _SETTLED:
        return what, _SETTLED[e.why]
    if e.why != "concession" or h is None:
        return what, _EVENT
    faster = f" ×{h.multiplier:.2f}" if h.multiplier > 1 else ""
    rate = f"rate {percent(h.rate)} a round{faster}"
    return what, (f"by {by}: " if by else "") + f"{rate}, {percent(h.p)} this round"


def _name(model: Model, who: str | None) -> str | None:
    """A candidate's name for its id; other text as it is."""
    if who in model.candidates:
        return model.candidate_names[model.candidates.index(who)]
    return who


def _withdraw_line(model: Model, e: LogEntry) -> Line:
    what = f"{model.candidate_names[e.candidate]} withdraws"
    h = hazard(model, e)
    if e.why in _SETTLED:
        return what, _SETTLED[e.why] + "; its home member gave way"
    if e.why == "event" or h is None:
        return what, _EVENT
    near = f" ×{h.multiplier:.2f}" if h.multiplier > 1 else ""
    return what, f"trailing: rate {percent(h.rate)} a round{near}, {percent(h.p)} this round"


def _silence_line(model: Model, e: LogEntry) -> Line:
    who, name = model.members[e.member], model.candidate_names[e.candidate]
    eps = percent(float(model.silence_break[e.member]))
    return f"{who} breaks silence on {name}", f"a {eps} chance when a decision circulates"


def _enter_line(model: Model, e: LogEntry) -> Line:
    return f"{model.candidate_names[e.candidate]} enters the race", "entry date in the file"


def _unknown(model: Model, e: LogEntry) -> Line:
    return f"{e.what}", e.why


_LINES: dict[str, Callable[[Model, LogEntry], Line]] = {
    "stance": _stance_line,
    "grant": _grant_line,
    "withdraw": _withdraw_line,
    "silence_break": _silence_line,
    "enter": _enter_line,
}

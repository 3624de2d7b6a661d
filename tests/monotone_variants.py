"""What the monotonicity checks compare: scenario variants made with ``--set`` edits.

An :class:`Ordering` names two variants of one scenario (lists of the ``PATH=VALUE`` edits of
``natosim whatif``) where docs/model.md promises that the ``better`` one never gives the
front-runner lower chances than the ``worse`` one. This module builds them for every ally,
demand, rival and favourable event of a scenario, groups the allies that a scenario treats
alike, and cuts a scenario down to one candidate for the pathwise promise. tests/monotone.py
runs and compares them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from natosim.model.arrays import EventKind, Model, Stance
from natosim.model.compile import compile_model, first_round_on_or_after
from natosim.scenario.bodies import scenario_roster
from natosim.scenario.edit import Assignment
from natosim.scenario.loader import LoadedScenario, scenario_hash, validate_data
from natosim.scenario.schema import STANCE_WORDS

SCENARIOS = Path(__file__).resolve().parent.parent / "natosim" / "scenarios"
LADDER: tuple[str, ...] = STANCE_WORDS
"""Stances from softest to hardest: support ≥ acquiesce ≥ conditional ≥ object."""

ADDED_GRANT_RATE = 0.10
"""Grant rate of a demand given to an ally that has none on the front-runner: the shared class
"candidate's word" of docs/validation.md."""

RATE_STEP = 0.05
"""How much a check raises a lift, grant or withdrawal rate (capped at 1)."""

INFLUENCE_STEP = 0.5
"""How much the influence check raises ``dynamics.influence``."""


@dataclass(frozen=True)
class Subject:
    """A scenario under test, compiled, and the candidate whose chances the checks follow.

    Attributes:
        name: The file's name.
        loaded: The scenario as loaded (the edits start from its data).
        model: Its compiled model.
        front: Index of the front-runner: the most often appointed candidate of the base run.
    """

    name: str
    loaded: LoadedScenario
    model: Model
    front: int

    @property
    def front_id(self) -> str:
        """The front-runner's candidate id."""
        return self.model.candidates[self.front]


@dataclass(frozen=True)
class Ordering:
    """A promise: ``better`` never lowers the front-runner's chances compared with ``worse``.

    Attributes:
        check: The kind of check (``stance``, ``lift_rate``, ``influence`` …).
        what: The pair, for people: ``HUN conditional ≥ object``.
        better: Edits of the variant that must do at least as well.
        worse: Edits of the variant it is compared with.
        decided: Whether ``P(decided by each deadline)`` is also promised not to fall.
    """

    check: str
    what: str
    better: tuple[Assignment, ...]
    worse: tuple[Assignment, ...]
    decided: bool = False


def scenario_files() -> list[Path]:
    """Every bundled scenario, the what-if files included, in name order."""
    return sorted(SCENARIOS.glob("*.yaml"))


def compile_loaded(loaded: LoadedScenario) -> Model:
    """The compiled model of a loaded (or edited) scenario, with its own roster."""
    return compile_model(loaded.scenario, scenario_roster(loaded.scenario))


# --- Which allies -------------------------------------------------------------------------------


def ally_groups(loaded: LoadedScenario, model: Model) -> list[list[str]]:
    """The members, grouped where the scenario treats them alike (differing only in clout).

    Two members are alike when their entries under ``members`` are equal (or both absent),
    they appear in the same events, neither is any candidate's home, and they are present in
    the same rounds. Each group is sorted by decreasing clout.
    """
    groups: dict[str, list[int]] = {}
    entries = loaded.data.get("members") or {}
    for i, code in enumerate(model.members):
        events = [e for e, event in enumerate(model.events) if i in event.members]
        homes = [k for k in range(model.n_candidates) if model.home[k] == i]
        key = json.dumps([entries.get(code), events, homes], sort_keys=True, default=str)
        groups.setdefault(key + str(model.present[:, i].tolist()), []).append(i)
    ordered = [
        sorted(g, key=lambda i: (-model.clout[i], model.members[i])) for g in groups.values()
    ]
    return [[model.members[i] for i in group] for group in ordered]


def representatives(loaded: LoadedScenario, model: Model) -> list[str]:
    """One ally per group of :func:`ally_groups`: the one with the most clout."""
    return [group[0] for group in ally_groups(loaded, model)]


def endorses_at_start(model: Model, code: str, candidate: int) -> bool:
    """Whether ``code`` surely endorses ``candidate`` at round 0, whatever its drawn stance.

    Such an ally's stance on the candidate is overridden before anything happens, so its
    stance variants run alike and a check of them could not fail.
    """
    i = model.members.index(code)
    return any(
        e.round == 0
        and e.kind == EventKind.ENDORSE
        and e.candidate == candidate
        and e.probability >= 1.0
        and i in e.members
        for e in model.events
    )


# --- The orderings ------------------------------------------------------------------------------


def demands_of(loaded: LoadedScenario, code: str) -> list[dict[str, Any]]:
    """An ally's demands as written (after ``extends``), possibly none."""
    entry = (loaded.data.get("members") or {}).get(code) or {}
    demands: list[dict[str, Any]] = entry.get("demands") or []
    return demands


def with_demand(loaded: LoadedScenario, code: str, candidate: str) -> tuple[Assignment, ...]:
    """Edits giving ``code`` a demand on ``candidate`` if it has none (no edits otherwise)."""
    demands = demands_of(loaded, code)
    if any(d.get("candidate") == candidate for d in demands):
        return ()
    item = {
        "candidate": candidate,
        "description": "A demand added by the monotonicity checks",
        "grant_rate": ADDED_GRANT_RATE,
    }
    if not demands:
        return ((f"members.{code}.demands", [item]),)
    return ((f"members.{code}.demands.{len(demands)}", item),)


def stance_orderings(subject: Subject, code: str) -> list[Ordering]:
    """support ≥ acquiesce ≥ conditional ≥ object for ``code`` on the front-runner.

    Every variant carries the same demand (:func:`with_demand`), so the two variants of a pair
    differ only in the stance word; the demand matters only to a conditional ally.
    """
    extra = with_demand(subject.loaded, code, subject.front_id)
    path = f"members.{code}.stance.{subject.front_id}"
    steps = pairwise(LADDER)
    return [
        Ordering(
            "stance", f"{code} {soft} ≥ {hard}", (*extra, (path, soft)), (*extra, (path, hard))
        )
        for soft, hard in steps
    ]


def rate_orderings(subject: Subject, code: str) -> list[Ordering]:
    """A higher lift rate and a silence break of 0 for ``code``, and its added endorsement."""
    i = subject.model.members.index(code)
    lift = float(subject.model.lift_rate[i])
    raised = min(1.0, lift + RATE_STEP)
    found = [
        Ordering(
            "lift_rate",
            f"{code} lift_rate {raised:g} ≥ {lift:g}",
            ((f"members.{code}.lift_rate", raised),),
            (),
            decided=True,
        )
    ]
    if subject.model.silence_break[i] > 0:
        silence = f"{code} silence_break 0 ≥ {subject.model.silence_break[i]:g}"
        edit = ((f"members.{code}.silence_break", 0.0),)
        found.append(Ordering("silence_break", silence, edit, (), decided=True))
    endorse = endorsement_ordering(subject, code)
    return [*found, endorse] if endorse else found


def endorsement_ordering(subject: Subject, code: str) -> Ordering | None:
    """An endorsement of the front-runner by ``code`` two rounds after the start, or none.

    None when ``code`` is not yet a member then (an event cannot name it).

    Why two rounds in: an endorsement at the start is the ``support`` stance, checked already;
    later ones would fall after most decisions in the quick scenarios.
    """
    t = min(2, subject.model.n_rounds - 1)
    day = subject.model.dates[t]
    if not subject.model.present[t, subject.model.members.index(code)]:
        return None
    event = {"kind": "endorse", "date": day, "members": [code], "candidate": subject.front_id}
    events = subject.loaded.data.get("events") or []
    edit = ((f"events.{len(events)}", event),) if events else (("events", [event]),)
    what = f"{code} endorses {subject.front_id} on {day}"
    return Ordering("endorsement", what, edit, (), decided=True)


def grant_orderings(subject: Subject) -> list[Ordering]:
    """A higher grant rate for each demand on the front-runner."""
    model, found = subject.model, []
    for place, d in _demand_places(model):
        if model.demand_candidate[d] != subject.front:
            continue
        member, rate = model.members[model.demand_member[d]], float(model.grant_rate[d])
        raised = min(1.0, rate + RATE_STEP)
        edit = ((f"members.{member}.demands.{place}.grant_rate", raised),)
        what = f"{member} demand {place} grant_rate {raised:g} ≥ {rate:g}"
        found.append(Ordering("grant_rate", what, edit, (), decided=True))
    return found


def _demand_places(model: Model) -> Iterator[tuple[int, int]]:
    """(place in its member's list, index in the model) of every demand, in model order.

    Why: the compiler lists demands member by member, each member's in the order written;
    an edit names a demand by its place in the member's list.
    """
    seen: dict[int, int] = {}
    for d, member in enumerate(model.demand_member):
        place = seen.get(int(member), 0)
        seen[int(member)] = place + 1
        yield place, d


def rival_orderings(subject: Subject) -> list[Ordering]:
    """A higher withdrawal rate for each rival of the front-runner."""
    found = []
    for k, cid in enumerate(subject.model.candidates):
        if k == subject.front:
            continue
        rate = float(subject.model.withdraw_rate[k])
        raised = min(1.0, rate + RATE_STEP)
        edit = ((f"candidates.{cid}.withdraws.rate", raised),)
        what = f"rival {cid} withdraws.rate {raised:g} ≥ {rate:g}"
        found.append(Ordering("withdraw_rate", what, edit, (), decided=True))
    return found


def influence_ordering(subject: Subject) -> Ordering:
    """Stronger influence, for the candidate with the most support."""
    now = subject.model.influence
    edit = (("dynamics.influence", now + INFLUENCE_STEP),)
    what = f"influence {now + INFLUENCE_STEP:g} ≥ {now:g}"
    return Ordering("influence", what, edit, ())


def earlier_event_orderings(subject: Subject) -> list[Ordering]:
    """Each favourable event after the start, moved halfway back towards the start.

    Favourable: an endorsement of the front-runner, a grant of demands on it, a stance event
    making an ally support it, or a rival's withdrawal.
    """
    dates, found = subject.model.dates, []
    for e, event in enumerate(subject.loaded.data.get("events") or []):
        t = first_round_on_or_after(dates, event["date"])
        if not 0 < t < len(dates) or not _favourable(event, subject.front_id):
            continue
        day = dates[t // 2]
        what = f"event {e} ({event['kind']}) on {day} ≥ on {event['date']}"
        found.append(Ordering("earlier_event", what, ((f"events.{e}.date", day),), (), True))
    return found


def _favourable(event: dict[str, Any], front: str) -> bool:
    ours = event["candidate"] == front
    if event["kind"] == "withdraw":
        return not ours
    return bool(ours and event.get("stance", "support") == "support")


def may_block(subject: Subject, code: str) -> bool:
    """Whether ``code`` may be drawn conditional or objecting towards the front-runner."""
    i = subject.model.members.index(code)
    law = subject.model.stance_prob[i, subject.front]
    return bool(law[Stance.CONDITIONAL] + law[Stance.OBJECT] > 0)


def orderings(subject: Subject, allies: Sequence[str], rates: Sequence[str]) -> list[Ordering]:
    """Every ordering of a scenario: the stance ladder of ``allies``, the rate checks of
    ``rates``, then the checks of its demands, rivals, influence and events."""
    per_ally = [o for code in allies for o in stance_orderings(subject, code)]
    per_ally += [o for code in rates for o in rate_orderings(subject, code)]
    whole = [*grant_orderings(subject), *rival_orderings(subject), influence_ordering(subject)]
    return [*per_ally, *whole, *earlier_event_orderings(subject)]


# --- Single-candidate scenarios, for the pathwise promise ---------------------------------------


def single_candidate(loaded: LoadedScenario, keep: str) -> LoadedScenario:
    """``loaded`` with only candidate ``keep``, every silence break 0, no later stance events.

    Events about other candidates go, and so do their stances and demands; ``keep`` loses its
    ``withdraws`` (irrelevant alone).
    """
    data = copy.deepcopy(loaded.data)
    data["candidates"] = {keep: _alone(data["candidates"][keep])}
    defaults = data.setdefault("defaults", {})
    defaults["stance"] = _only(defaults.get("stance", "acquiesce"), keep)
    defaults["silence_break"] = 0.0
    for entry in (data.get("members") or {}).values():
        _single_member(entry, keep)
    start = loaded.scenario.start
    data["events"] = [e for e in data.get("events") or [] if _kept(e, keep, start)]
    scenario = validate_data(data, loaded.sources, files=loaded.files)
    sha = scenario_hash(scenario)
    return LoadedScenario(scenario, loaded.path, loaded.files, sha, data, loaded.sources)


def _alone(candidate: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in candidate.items() if key != "withdraws"}


def _only(stance: Any, keep: str) -> Any:
    """A stance for ``keep`` alone: a per-candidate map is cut down, a word or law stays."""
    if isinstance(stance, dict) and stance and not set(stance) <= set(STANCE_WORDS):
        return {cid: value for cid, value in stance.items() if cid == keep}
    return stance


def _single_member(entry: dict[str, Any] | None, keep: str) -> None:
    if not entry:
        return
    if entry.get("stance") is not None:
        entry["stance"] = _only(entry["stance"], keep)
    if "silence_break" in entry:
        entry["silence_break"] = 0.0
    if "demands" in entry:
        entry["demands"] = [d for d in entry["demands"] if d["candidate"] == keep]


def _kept(event: dict[str, Any], keep: str, start: Any) -> bool:
    if event["candidate"] != keep:
        return False
    return not (event["kind"] == "stance" and event["date"] > start)

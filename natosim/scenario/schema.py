"""The scenario language as pydantic models.

These models check the shape of a scenario: types, ranges and required fields. Checks that
need the whole file or the built-in roster (unknown candidate ids, members not in force on the
scenario's dates, dates out of order) live in :mod:`natosim.scenario.references`, so that one
pass can report every problem at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
)

STANCE_WORDS: tuple[str, ...] = ("support", "acquiesce", "conditional", "object")
REVERSION_OUTCOMES: tuple[str, ...] = ("extension", "vacancy")
NON_APPOINTMENTS: tuple[str, ...] = ("extension", "vacancy", "no_decision")
PROBABILITY_TOLERANCE = 1e-6

StanceWord = Literal["support", "acquiesce", "conditional", "object"]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
MemberCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code of a member of the roster, e.g. HUN.",
    ),
]
CandidateId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_-]*$",
        max_length=64,
        description="Lower-case identifier of a candidate, e.g. rutte.",
    ),
]


def _sums_to_one(dist: dict[str, float]) -> dict[str, float]:
    if not dist:
        raise ValueError("a stance distribution needs at least one stance word")
    total = sum(dist.values())
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        raise ValueError(f"stance probabilities must sum to 1, these sum to {total:.6g}")
    return dist


StanceDistribution = Annotated[dict[StanceWord, Probability], AfterValidator(_sums_to_one)]


def _single_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "word"
    if isinstance(value, dict):
        return "distribution"
    return None


def _stance_tag(value: Any) -> str | None:
    if isinstance(value, dict) and value and not all(key in STANCE_WORDS for key in value):
        return "by_candidate"
    return _single_tag(value)


_STANCE_HELP = (
    "a stance is a word (support, acquiesce, conditional, object) or a map of those words "
    "to probabilities summing to 1"
)

SingleStance = Annotated[
    Annotated[StanceWord, Tag("word")] | Annotated[StanceDistribution, Tag("distribution")],
    Discriminator(_single_tag, custom_error_type="stance", custom_error_message=_STANCE_HELP),
]
"""One member's stance towards one candidate: a word, or probabilities drawn once per trial."""

Stance = Annotated[
    Annotated[StanceWord, Tag("word")]
    | Annotated[StanceDistribution, Tag("distribution")]
    | Annotated[dict[CandidateId, SingleStance], Tag("by_candidate")],
    Discriminator(
        _stance_tag,
        custom_error_type="stance",
        custom_error_message=_STANCE_HELP + ", or a map from candidate ids to such stances",
    ),
]
"""A stance for every candidate, or a map from candidate id to a stance."""


class Strict(BaseModel):
    """Base of every scenario model: unknown keys are errors and values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Deadline(Strict):
    """A focal date. Pressure rises as it approaches; a hard deadline ends the process."""

    name: str = Field(min_length=1, description="Shown in reports, e.g. 'Washington summit'.")
    date: dt.date
    pressure: float = Field(
        default=1.0,
        ge=1.0,
        le=100.0,
        description="Multiplier of lift and grant hazards in the week of the deadline; 1 is none.",
    )
    window_days: int = Field(
        default=28,
        ge=1,
        le=3650,
        description="How many days before the date the pressure starts to build.",
    )
    hard: bool = Field(default=False, description="If true, the process ends here when undecided.")


class Withdrawal(Strict):
    """How a candidate may withdraw while trailing the front-runner."""

    rate: Probability = Field(description="Per-round probability of withdrawing while trailing.")
    endorses: CandidateId | None = Field(
        default=None, description="The candidate its backers move to when it withdraws."
    )


class Candidate(Strict):
    """A candidate for the decision (a person, or an option such as an accession)."""

    name: str = Field(min_length=1)
    home: MemberCode | None = Field(
        default=None, description="The nominating member, which supports it unless told otherwise."
    )
    enters: dt.date | None = Field(
        default=None, description="Date the candidacy becomes active; default: the start."
    )
    withdraws: Withdrawal | None = None


class Demand(Strict):
    """Something a conditional member wants before it supports a candidate."""

    candidate: CandidateId
    description: str = Field(min_length=1)
    granted_by: str | None = Field(
        default=None,
        description="Who grants it: a candidate id, a member code or free text (for reports).",
    )
    grant_rate: Probability = Field(
        description="Per-round probability that it is granted while its candidate is active."
    )


class Defaults(Strict):
    """Behaviour of every member unless overridden under ``members``."""

    stance: Stance = "acquiesce"
    lift_rate: Probability = Field(
        default=0.05, description="Per-round probability that an objector lifts its objection."
    )
    silence_break: Probability = Field(
        default=0.0,
        description="Probability that a member breaks silence when a decision is circulated.",
    )


class Member(Strict):
    """Overrides for one member of the roster."""

    stance: Stance | None = None
    lift_rate: Probability | None = None
    silence_break: Probability | None = None
    clout: float | None = Field(
        default=None,
        ge=0.0,
        le=1000.0,
        description="Weight of this member's endorsements; default from the roster's data.",
    )
    demands: list[Demand] = Field(default_factory=list)


class _Event(Strict):
    date: dt.date
    probability: Probability = Field(
        default=1.0, description="Probability that the event happens, drawn once per trial."
    )


class EndorseEvent(_Event):
    """Members publicly back a candidate: their stance becomes support."""

    kind: Literal["endorse"]
    members: list[MemberCode] = Field(min_length=1)
    candidate: CandidateId


class StanceEvent(_Event):
    """A member's stance towards a candidate changes."""

    kind: Literal["stance"]
    member: MemberCode
    candidate: CandidateId
    stance: StanceWord


class WithdrawEvent(_Event):
    """A candidate withdraws on a date; its backers go where its ``withdraws.endorses`` says."""

    kind: Literal["withdraw"]
    candidate: CandidateId


class GrantEvent(_Event):
    """All of a member's demands on a candidate are granted on a date."""

    kind: Literal["grant"]
    member: MemberCode
    candidate: CandidateId


def _event_tag(value: Any) -> str | None:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if isinstance(kind, str) else None


Event = Annotated[
    Annotated[EndorseEvent, Tag("endorse")]
    | Annotated[StanceEvent, Tag("stance")]
    | Annotated[WithdrawEvent, Tag("withdraw")]
    | Annotated[GrantEvent, Tag("grant")],
    Discriminator(
        _event_tag,
        custom_error_type="event_kind",
        custom_error_message="an event needs a kind: endorse, stance, withdraw or grant",
    ),
]


class Dynamics(Strict):
    """Strengths of the mechanisms that modulate lift and grant rates; 0 switches one off."""

    deadline_pressure: float = Field(default=1.0, ge=0.0, le=10.0)
    isolation: float = Field(default=1.0, ge=0.0, le=10.0)
    influence: float = Field(default=1.0, ge=0.0, le=10.0)


class Simulation(Strict):
    """Monte Carlo settings; the command line can override both."""

    trials: int = Field(default=20_000, ge=1, le=100_000_000)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)


class Outcome(Strict):
    """What really happened, for back-testing. The simulation never reads it."""

    appointed: str = Field(
        description="A candidate id, or extension, vacancy or no_decision.",
    )
    date: dt.date | None = None
    last_holdout: MemberCode | None = None


class Scenario(Strict):
    """A consensus decision: who may be chosen, who decides, and how members behave."""

    name: str = Field(min_length=1)
    description: str | None = None
    extends: str | None = Field(
        default=None, description="Another scenario file, relative to this one, to build on."
    )
    body: Literal["nato"] = "nato"
    start: dt.date
    end: dt.date
    round_days: int = Field(default=7, ge=1, le=366)
    deadlines: list[Deadline] = Field(default_factory=list)
    on_hard_deadline: Literal["extension", "vacancy"] = "extension"
    candidates: dict[CandidateId, Candidate] = Field(min_length=1)
    defaults: Defaults = Field(default_factory=Defaults)
    members: dict[MemberCode, Member] = Field(default_factory=dict)
    events: list[Event] = Field(default_factory=list)
    dynamics: Dynamics = Field(default_factory=Dynamics)
    simulation: Simulation = Field(default_factory=Simulation)
    outcome: Outcome | None = None

"""The scenario language as pydantic models.

These models check the shape of a scenario: types, ranges and required fields. Checks that
need the whole file or the built-in roster (unknown candidate ids, members not in force on the
scenario's dates, dates out of order) live in :mod:`natosim.scenario.references`, so that one
pass can report every problem at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

STANCE_WORDS: tuple[str, ...] = ("support", "acquiesce", "conditional", "object")
REVERSION_OUTCOMES: tuple[str, ...] = ("extension", "vacancy")
NON_APPOINTMENTS: tuple[str, ...] = ("extension", "vacancy", "no_decision")
PROBABILITY_TOLERANCE = 1e-6
MAX_TRIALS = 100_000_000
"""Most trials of one run, in a file or on the command line (docs/limits.md)."""
MAX_SEED = 2**63 - 1
"""Largest seed, in a file or on the command line."""

StanceWord = Literal["support", "acquiesce", "conditional", "object"]
# Why strict numbers: in pydantic's lax mode ``true`` is the number 1 (``trials: true`` ran
# one trial) and ``'3'`` is 3; a scenario's numbers must be written as numbers.
Number = Annotated[float, Field(strict=True)]
WholeNumber = Annotated[int, Field(strict=True)]
Flag = Annotated[bool, Field(strict=True)]


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty or only spaces")
    return text


Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
"""Text shown in reports: not empty, and not only spaces."""
Probability = Annotated[Number, Field(ge=0.0, le=1.0)]
Pressure = Annotated[Number, Field(ge=1.0, le=100.0)]
Clout = Annotated[Number, Field(ge=0.0, le=1000.0)]
Strength = Annotated[Number, Field(ge=0.0, le=10.0)]
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
BlocId = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_-]*$",
        max_length=64,
        description="Lower-case name of a bloc, e.g. baltic.",
    ),
]


class Strict(BaseModel):
    """Base of every scenario model: unknown keys are errors and values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(Strict):
    """An uncertain number: any value from ``low`` to ``high``, both included.

    ``natosim run`` uses the midpoint; ``natosim sensitivity`` varies the value over the range.
    Subclasses declare the bounds of the field the range stands in for.
    """

    low: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not be above high ({self.high:g})")
        return self

    @property
    def midpoint(self) -> float:
        """The value a run uses: halfway between ``low`` and ``high``."""
        return (self.low + self.high) / 2


class ProbabilityRange(Range):
    """Uncertain probability or rate, from low to high within 0 and 1; a run uses the midpoint."""

    low: Probability
    high: Probability


class PressureRange(Range):
    """Uncertain pressure, from low to high within 1 and 100; a run uses the midpoint."""

    low: Pressure
    high: Pressure


class CloutRange(Range):
    """Uncertain clout, from low to high within 0 and 1000; a run uses the midpoint."""

    low: Clout
    high: Clout


class StrengthRange(Range):
    """Uncertain strength, from low to high within 0 and 10; a run uses the midpoint."""

    low: Strength
    high: Strength


def midpoint(value: float | Range) -> float:
    """The number a run uses: ``value`` itself, or the midpoint of a range."""
    return value.midpoint if isinstance(value, Range) else value


def _number_tag(value: Any) -> str:
    return "range" if isinstance(value, dict | Range) else "number"


NUMBER_HELP = "must be a number, or a range {low: …, high: …}"
_NUMBER_OR_RANGE = Discriminator(
    _number_tag, custom_error_type="number_or_range", custom_error_message=NUMBER_HELP
)

RangedProbability = Annotated[
    Annotated[Probability, Tag("number")] | Annotated[ProbabilityRange, Tag("range")],
    _NUMBER_OR_RANGE,
]
"""A probability or rate (0 to 1), or a range of them."""
RangedPressure = Annotated[
    Annotated[Pressure, Tag("number")] | Annotated[PressureRange, Tag("range")],
    _NUMBER_OR_RANGE,
]
"""A deadline pressure (1 to 100), or a range of them."""
RangedClout = Annotated[
    Annotated[Clout, Tag("number")] | Annotated[CloutRange, Tag("range")],
    _NUMBER_OR_RANGE,
]
"""A member's clout (0 to 1000), or a range of them."""
RangedStrength = Annotated[
    Annotated[Strength, Tag("number")] | Annotated[StrengthRange, Tag("range")],
    _NUMBER_OR_RANGE,
]
"""A mechanism strength (0 to 10), or a range of them."""


def _sums_to_one(dist: dict[str, float | Range]) -> dict[str, float | Range]:
    if not dist:
        raise ValueError("a stance distribution needs at least one stance word")
    ranged = [value for value in dist.values() if isinstance(value, Range)]
    total = sum(midpoint(value) for value in dist.values())
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        counted = " (ranges count at their midpoints)" if ranged else ""
        raise ValueError(f"stance probabilities must sum to 1{counted}, these sum to {total:.6g}")
    highs = sum(value.high for value in ranged)
    if highs > 1.0 + PROBABILITY_TOLERANCE:
        raise ValueError(
            f"the highs of the ranges sum to {highs:.6g}; they must sum to at most 1, as the "
            "words written as plain numbers are scaled to make up the rest"
        )
    return dist


StanceDistribution = Annotated[dict[StanceWord, RangedProbability], AfterValidator(_sums_to_one)]


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


class Deadline(Strict):
    """A focal date. Pressure rises as it approaches; a hard deadline ends the process."""

    name: Text = Field(description="Shown in reports, e.g. 'Washington summit'.")
    date: dt.date
    pressure: RangedPressure = Field(
        default=1.0,
        description="Multiplier of lift and grant hazards in the week of the deadline; 1 is none.",
    )
    window_days: WholeNumber = Field(
        default=28,
        ge=1,
        le=3650,
        description="How many days before the date the pressure starts to build.",
    )
    hard: Flag = Field(default=False, description="If true, the process ends here when undecided.")
    settles: RangedProbability | None = Field(
        default=None,
        description=(
            "If set, the Council settles the question at this deadline: in its round each "
            "member blocking the front-runner agrees with this probability, and if all agree "
            "they give way together; a Council still undecided after that round chooses the "
            "reversion (on_hard_deadline) there and then."
        ),
    )


class Withdrawal(Strict):
    """How a candidate may withdraw while trailing the front-runner."""

    rate: RangedProbability = Field(
        description="Per-round probability of withdrawing while trailing."
    )
    endorses: CandidateId | None = Field(
        default=None, description="The candidate its backers move to when it withdraws."
    )


class Candidate(Strict):
    """A candidate for the decision (a person, or an option such as an accession)."""

    name: Text
    home: MemberCode | None = Field(
        default=None, description="The nominating member, which supports it unless told otherwise."
    )
    enters: dt.date | None = Field(
        default=None, description="Date the candidacy becomes active; default: the start."
    )
    withdraws: Withdrawal | None = None


class Demand(Strict):
    """Something a member wants before it supports a candidate.

    A conditional member blocks until its demands are granted (or it drops them); an
    acquiescing one withholds its support until then.
    """

    candidate: CandidateId
    description: Text
    granted_by: str | None = Field(
        default=None,
        description="Who grants it: a candidate id, a member code or free text (for reports).",
    )
    grant_rate: RangedProbability = Field(
        description="Per-round probability that it is granted while its candidate is active."
    )


class Defaults(Strict):
    """Behaviour of every member unless overridden under ``members``."""

    stance: Stance = "acquiesce"
    lift_rate: RangedProbability = Field(
        default=0.00012,
        description=(
            "Per-round probability that a holdout gives way without a concession (before "
            "deadline pressure, isolation and influence); the 'ordinary' class."
        ),
    )
    silence_break: RangedProbability = Field(
        default=0.0,
        description="Probability that a member breaks silence when a decision is circulated.",
    )


class Member(Strict):
    """Overrides for one member of the roster."""

    stance: Stance | None = None
    lift_rate: RangedProbability | None = None
    silence_break: RangedProbability | None = None
    clout: RangedClout | None = Field(
        default=None,
        description="Weight of this member's endorsements; default from the roster's data.",
    )
    demands: list[Demand] = Field(default_factory=list)
    follows: list[MemberCode] = Field(
        default_factory=list,
        description=(
            "Members it will not outlast: once none of them blocks a candidate, it gives way "
            "with the extra per-round probability dynamics.following."
        ),
    )


class Bloc(Strict):
    """Members whose initial stances are correlated (each keeps its own probabilities)."""

    members: list[MemberCode] = Field(min_length=2)
    correlation: RangedProbability = Field(
        description="Correlation of the members' stance draws, from 0 (independent) to 1."
    )


class _Event(Strict):
    date: dt.date
    probability: RangedProbability = Field(
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

    deadline_pressure: RangedStrength = 3.5
    isolation: RangedStrength = 1.0
    influence: RangedStrength = 1.0
    package: RangedProbability = Field(
        default=0.0,
        description=(
            "Per-round probability that the blockers of a blocked front-runner settle together "
            "(sped up near deadlines); 0 switches package settlement off."
        ),
    )
    following: RangedProbability = Field(
        default=0.0,
        description=(
            "Per-round probability that a member gives way once none of the members it follows "
            "blocks; 0 switches following off."
        ),
    )


class Simulation(Strict):
    """Monte Carlo settings; the command line can override both."""

    trials: WholeNumber = Field(default=20_000, ge=1, le=MAX_TRIALS)
    seed: WholeNumber = Field(default=0, ge=0, le=MAX_SEED)


class Outcome(Strict):
    """What really happened, for back-testing. The simulation never reads it."""

    appointed: str = Field(
        description="A candidate id, or extension, vacancy or no_decision.",
    )
    date: dt.date | None = None
    last_holdout: MemberCode | None = None


RuleName = Literal["unanimity", "qualified_majority", "majority_with_vetoes"]


class RuleSpec(Strict):
    """A decision rule with thresholds other than the body's standard ones."""

    kind: RuleName
    members: Probability | None = Field(
        default=None, description="Qualified majority: least share of members voting yes."
    )
    population: Probability | None = Field(
        default=None, description="Qualified majority: least share of the population."
    )
    blocking_minority: WholeNumber | None = Field(
        default=None, ge=1, le=1000, description="Qualified majority: fewest members to block."
    )
    votes: WholeNumber | None = Field(
        default=None, ge=1, le=1000, description="Majority with vetoes: fewest yes votes."
    )


class RosterEntry(Strict):
    """One member, or one term of a member, of a roster written in the scenario."""

    code: MemberCode
    name: Text
    accession: dt.date = Field(description="First day of the term.")
    leaves: dt.date | None = Field(default=None, description="Last day of the term.")
    population_m: Annotated[Number, Field(ge=0.0)] | None = Field(
        default=None, description="Population in millions (qualified majority)."
    )
    permanent: Flag = Field(default=False, description="Holds a veto (majority with vetoes).")
    clout: Clout | None = None


class Source(Strict):
    """A published source that the scenario's judgements rest on, listed in reports."""

    title: Text = Field(description="What to cite: outlet, headline or document, e.g. 'NATO'.")
    url: str | None = Field(
        default=None,
        pattern=r"^https?://\S+$",
        max_length=2000,
        description="Where to read it: an http or https address.",
    )
    date: dt.date | None = Field(default=None, description="When it was published.")


class Scenario(Strict):
    """A consensus decision: who may be chosen, who decides, and how members behave."""

    name: Text
    description: str | None = None
    sources: list[Source] = Field(
        default_factory=list,
        description="Published sources of the scenario's judgements, listed in HTML reports.",
    )
    extends: str | None = Field(
        default=None,
        description="A scenario file to build on, relative to this one, or a bundled name.",
    )
    body: str = Field(
        default="nato",
        min_length=1,
        description=(
            "A built-in roster (nato, eu, unsc) or a roster file (CSV or YAML) relative to "
            "this file; with an inline roster, the body's name."
        ),
    )
    roster: list[RosterEntry] | None = Field(
        default=None, description="The members, written here instead of a built-in roster."
    )
    rule: RuleName | RuleSpec | None = Field(
        default=None, description="The decision rule; default: the body's own."
    )
    start: dt.date
    end: dt.date
    round_days: WholeNumber = Field(default=7, ge=1, le=366)
    deadlines: list[Deadline] = Field(default_factory=list)
    decisions_from: dt.date | None = Field(
        default=None,
        description=(
            "The first date on which the body can decide; before it, rounds move stances "
            "but nothing is put to the vote (the UN's straw polls before the formal vote). "
            "Default: the start."
        ),
    )
    on_hard_deadline: Literal["extension", "vacancy"] = "extension"
    candidates: dict[CandidateId, Candidate] = Field(min_length=1)
    defaults: Defaults = Field(default_factory=Defaults)
    members: dict[MemberCode, Member] = Field(default_factory=dict)
    events: list[Event] = Field(default_factory=list)
    blocs: dict[BlocId, Bloc] = Field(default_factory=dict)
    dynamics: Dynamics = Field(default_factory=Dynamics)
    simulation: Simulation = Field(default_factory=Simulation)
    outcome: Outcome | None = None

"""The compiled, array-based form of a scenario that the engines simulate.

Why: the engines should not walk dictionaries of pydantic models in their inner loops. A
:class:`Model` holds everything the rules of ``docs/model.md`` need as numpy arrays indexed by
member (alphabetical order of codes), candidate (file order) and round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from natosim.model.rules import UNANIMITY, Rule


class Stance(IntEnum):
    """Public stance codes, in the order of the stance probability arrays."""

    SUPPORT = 0
    ACQUIESCE = 1
    CONDITIONAL = 2
    OBJECT = 3


class EventKind(IntEnum):
    """Kinds of dated events."""

    ENDORSE = 0
    STANCE = 1
    WITHDRAW = 2
    GRANT = 3


class Reversion(IntEnum):
    """Offsets of the non-appointment outcomes after the candidates (outcome = K + offset)."""

    EXTENSION = 0
    VACANCY = 1
    NO_DECISION = 2


REVERSION_NAMES: tuple[str, ...] = ("extension", "vacancy", "no_decision")


@dataclass(frozen=True)
class ModelEvent:
    """One dated event, compiled to indices."""

    round: int
    kind: EventKind
    members: tuple[int, ...]
    candidate: int
    stance: Stance
    probability: float


@dataclass(frozen=True)
class ModelDeadline:
    """A deadline as reports need it."""

    name: str
    date: dt.date
    round: int
    """The last round on or before the date (-1 if the date is before the start)."""
    hard: bool
    settles: float | None = None
    """Probability that the front-runner is cleared as a package in the deadline's round; an
    undecided Council then chooses the reversion. None: the deadline does not settle."""


@dataclass(frozen=True)
class Model:
    """Everything the engines need, as arrays. Built by :func:`natosim.compile.compile_model`.

    Shapes use M members, K candidates, D demands, R rounds (round 0 included).
    """

    members: tuple[str, ...]
    candidates: tuple[str, ...]
    candidate_names: tuple[str, ...]
    dates: tuple[dt.date, ...]
    present: NDArray[np.bool_]  # (R, M) member in force on the round's date
    stance_prob: NDArray[np.float64]  # (M, K, 4) probabilities in Stance order
    lift_rate: NDArray[np.float64]  # (M,)
    silence_break: NDArray[np.float64]  # (M,)
    clout: NDArray[np.float64]  # (M,)
    enter_round: NDArray[np.int64]  # (K,) first active round
    withdraw_rate: NDArray[np.float64]  # (K,)
    endorses: NDArray[np.int64]  # (K,) candidate index or -1
    home: NDArray[np.int64]  # (K,) member index or -1
    demand_member: NDArray[np.int64]  # (D,)
    demand_candidate: NDArray[np.int64]  # (D,)
    grant_rate: NDArray[np.float64]  # (D,)
    demand_descriptions: tuple[str, ...]
    demand_granted_by: tuple[str | None, ...]
    pressure: NDArray[np.float64]  # (R,) deadline signal pi_t >= 0
    hard_round: int  # round of the earliest hard deadline, or -1
    hard_date: dt.date | None
    reversion: Reversion  # EXTENSION or VACANCY
    events: tuple[ModelEvent, ...]  # sorted by round, then file order
    deadlines: tuple[ModelDeadline, ...]
    deadline_pressure: float
    isolation: float
    influence: float
    package: float  # per-round probability that a blocked front-runner's blockers settle
    following: float  # per-round probability that a follower leaves once its leaders have
    follows: NDArray[np.bool_]  # (M, M) follows[i, j]: member i follows member j
    bloc: NDArray[np.int64]  # (M,) index of the member's bloc, or -1
    bloc_correlation: NDArray[np.float64]  # (G,) correlation of stances within each bloc
    rule: Rule = UNANIMITY  # the decision rule and the figures it reads
    decisions_round: int = 0  # the first round on or after decisions_from (0 if unset)

    @property
    def n_members(self) -> int:
        """M, the number of members in the model."""
        return len(self.members)

    @property
    def n_candidates(self) -> int:
        """K, the number of candidates."""
        return len(self.candidates)

    @property
    def n_rounds(self) -> int:
        """R, the number of rounds including round 0."""
        return len(self.dates)

    @property
    def n_demands(self) -> int:
        """D, the number of demands."""
        return len(self.demand_descriptions)

    @property
    def n_outcomes(self) -> int:
        """K candidates plus extension, vacancy and no decision."""
        return self.n_candidates + len(REVERSION_NAMES)

    @cached_property
    def demands_by_pair(self) -> dict[tuple[int, int], NDArray[np.int64]]:
        """The indices of each (member, candidate) pair's demands; pairs with none are absent."""
        pairs: dict[tuple[int, int], list[int]] = {}
        for d, (i, k) in enumerate(zip(self.demand_member, self.demand_candidate, strict=True)):
            pairs.setdefault((int(i), int(k)), []).append(d)
        return {pair: np.array(ds, dtype=np.int64) for pair, ds in pairs.items()}

    @cached_property
    def pair_demands(self) -> NDArray[np.int64]:
        """(M, K, W) each member x candidate pair's demand indices, padded with -1."""
        pairs = self.demands_by_pair
        width = max((ds.size for ds in pairs.values()), default=1)
        table = np.full((self.n_members, self.n_candidates, width), -1, np.int64)
        for (i, k), ds in pairs.items():
            table[i, k, : ds.size] = ds
        return table

    @cached_property
    def demands_on_one_candidate(self) -> bool:
        """Whether every member makes its demands, if any, of one candidate only."""
        members = [i for i, _ in self.demands_by_pair]
        return len(set(members)) == len(members)

    def demands_of(self, member: int, candidate: int) -> NDArray[np.int64]:
        """Indices of the demands ``member`` makes on ``candidate`` (possibly none)."""
        return self.demands_by_pair.get((member, candidate), np.zeros(0, np.int64))

    @cached_property
    def settling(self) -> tuple[ModelDeadline, ...]:
        """The deadlines that settle, in file order, that fall within the rounds."""
        return tuple(d for d in self.deadlines if d.settles is not None and d.round >= 0)

    @cached_property
    def reversion_rounds(self) -> frozenset[int]:
        """Rounds in which an undecided Council chooses the reversion: the hard deadline's and
        every settling deadline's."""
        rounds = {d.round for d in self.settling}
        return frozenset(rounds | ({self.hard_round} if self.hard_round >= 0 else set()))

    @cached_property
    def first_check(self) -> int:
        """The first round in which the body can decide: ``decisions_round``, but never after
        a round that forces an outcome nor after the last round (with no round between
        ``decisions_from`` and such a deadline, the deadline's own round)."""
        return min([self.decisions_round, self.n_rounds - 1, *self.reversion_rounds])

    @property
    def outcome_names(self) -> tuple[str, ...]:
        """Outcome ids in outcome-index order."""
        return self.candidates + REVERSION_NAMES

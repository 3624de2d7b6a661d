"""Decision rules: when the members' votes pass a candidate, and who blocks it when they do not.

Why a module of its own: both engines and the reports need the same answer, so the rule is a
few plain functions on arrays of votes. Each stance is a vote: support votes yes, acquiesce
abstains, conditional and object vote no (docs/model.md, "Decision rules"). Every rule is
monotone: turning a no into an abstention or an abstention into a yes never fails a
decision that passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

BoolArray = NDArray[np.bool_]

_TOLERANCE = 1e-9
"""Slack on the share thresholds, so that 55 % of 20 members is met by exactly 11."""


class RuleKind(IntEnum):
    """The decision rules natosim knows."""

    UNANIMITY = 0
    QUALIFIED_MAJORITY = 1
    MAJORITY_WITH_VETOES = 2


RULE_NAMES: tuple[str, ...] = ("unanimity", "qualified_majority", "majority_with_vetoes")
"""The rules' names in the scenario language, in :class:`RuleKind` order."""


@dataclass(frozen=True)
class Rule:
    """A decision rule and the figures it reads.

    Attributes:
        kind: Which rule.
        member_share: Qualified majority: the least share of present members voting yes.
        population_share: Qualified majority: the least share of the present members'
            population that the yes votes must represent.
        blocking_minority: Qualified majority: the fewest members not voting yes that can
            block on population; with fewer, the population test is deemed met.
        votes: Majority with vetoes: the fewest yes votes.
        population: (M,) each member's population (qualified majority only).
        permanent: (M,) whether each member holds a veto (majority with vetoes only).
    """

    kind: RuleKind = RuleKind.UNANIMITY
    member_share: float = 0.55
    population_share: float = 0.65
    blocking_minority: int = 4
    votes: int = 9
    population: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    permanent: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))

    @property
    def name(self) -> str:
        """The rule's name in the scenario language."""
        return RULE_NAMES[self.kind]

    def describe(self) -> str:
        """One line for reports: the rule and its thresholds."""
        match self.kind:
            case RuleKind.QUALIFIED_MAJORITY:
                return (
                    f"qualified majority: {self.member_share:.0%} of members representing "
                    f"{self.population_share:.0%} of the population; a blocking minority "
                    f"needs {self.blocking_minority} members"
                )
            case RuleKind.MAJORITY_WITH_VETOES:
                return f"majority with vetoes: {self.votes} votes yes and no permanent member no"
        return "unanimity: any member voting no blocks; abstentions do not"


UNANIMITY = Rule()
"""NATO's rule, and the default."""


def passes(rule: Rule, yes: BoolArray, no: BoolArray, present: BoolArray) -> BoolArray:
    """Whether each row of votes passes the decision.

    Args:
        rule: The rule.
        yes: (n, M) members voting yes (support).
        no: (n, M) members voting no (conditional or object).
        present: (M,) members in force; the others do not vote.

    Returns:
        (n,) True where the decision passes.
    """
    yes, no = yes & present, no & present
    match rule.kind:
        case RuleKind.QUALIFIED_MAJORITY:
            return _qualified(rule, yes, present)
        case RuleKind.MAJORITY_WITH_VETOES:
            vetoed = (no & rule.permanent).any(axis=-1)
            return np.asarray(~vetoed & (yes.sum(axis=-1) >= rule.votes), dtype=np.bool_)
    return np.asarray(~no.any(axis=-1), dtype=np.bool_)


def _qualified(rule: Rule, yes: BoolArray, present: BoolArray) -> BoolArray:
    count = yes.sum(axis=-1)
    seated = int(present.sum())
    weight = rule.population * present
    share = (yes * weight).sum(axis=-1) / max(float(weight.sum()), _TOLERANCE)
    members = count >= rule.member_share * seated - _TOLERANCE
    people = share >= rule.population_share - _TOLERANCE
    too_few = seated - count < rule.blocking_minority
    return np.asarray(members & (people | too_few), dtype=np.bool_)


def blocking(rule: Rule, yes: BoolArray, no: BoolArray, present: BoolArray) -> BoolArray:
    """The blocking coalition of each row: the no votes that defeat the decision.

    Under unanimity every no blocks. Under a majority with vetoes the permanent members'
    noes block when there are any, else every no. Under a qualified majority every no blocks
    when the decision fails. Nobody blocks a decision that passes.

    Returns:
        (n, M) True for the members that block.
    """
    no = no & present
    if rule.kind == RuleKind.UNANIMITY:
        return no
    failed = ~passes(rule, yes, no, present)
    if rule.kind == RuleKind.MAJORITY_WITH_VETOES:
        vetoes = no & rule.permanent
        no = np.where(vetoes.any(axis=-1, keepdims=True), vetoes, no)
    return np.asarray(no & failed[..., None], dtype=np.bool_)

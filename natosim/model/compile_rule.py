"""Compile a scenario's decision rule with the figures it reads from the roster."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from natosim.model.rules import RULE_NAMES, Rule, RuleKind
from natosim.roster.members import RosterMember
from natosim.scenario.bodies import default_rule
from natosim.scenario.schema import RuleSpec, Scenario


def compile_rule(scenario: Scenario, members: Sequence[RosterMember]) -> Rule:
    """The scenario's rule (default: its body's own), with the members' weights and seats."""
    spec = scenario.rule
    name: str = (spec.kind if isinstance(spec, RuleSpec) else spec) or default_rule(scenario)
    kind = RuleKind(RULE_NAMES.index(name))
    if kind == RuleKind.UNANIMITY:
        return Rule()
    standard = Rule()
    given = spec if isinstance(spec, RuleSpec) else RuleSpec.model_validate({"kind": name})
    return Rule(
        kind=kind,
        member_share=standard.member_share if given.members is None else given.members,
        population_share=(
            standard.population_share if given.population is None else given.population
        ),
        blocking_minority=(
            standard.blocking_minority
            if given.blocking_minority is None
            else given.blocking_minority
        ),
        votes=standard.votes if given.votes is None else given.votes,
        population=np.array([m.population_m or 0.0 for m in members], dtype=np.float64),
        permanent=np.array([m.permanent for m in members], dtype=np.bool_),
    )

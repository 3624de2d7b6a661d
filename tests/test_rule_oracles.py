"""Exact oracles of the decision rules (docs/model.md, "Decision rules"), for every engine.

O24 is a static qualified majority and O25 a static UN Security Council: the first check
decides, so P(appointed) is a sum over independent votes, computed here exactly (an
enumeration of the 1,024 vote patterns; a Poisson-binomial convolution). Monte Carlo checks
pass within 4 standard errors, as in tests/test_oracles.py; seeds are fixed.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import numpy as np
import pytest
from helpers import load_model, run, within

from natosim.engine import EngineName
from natosim.engine.records import TrialRecords
from natosim.model.arrays import Model
from natosim.model.rules import Rule, RuleKind, blocking, passes

ENGINES: list[EngineName] = ["reference", "fast"]
TRIALS: dict[EngineName, int] = {"reference": 3_000, "fast": 20_000}
SEED = 20240402
ORACLES = Path(__file__).parent / "oracles"

POPULATION = [30.0, 20.0, 12.0, 10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 2.0]
YES = [0.9, 0.5, 0.7, 0.6, 0.8, 0.4, 0.75, 0.65, 0.85, 0.55]
"""O24: each member's population and probability of voting yes, in code order AAA … JJJ."""

VETO = {"CHN": 0.1, "FRA": 0.05, "GBR": 0.05, "RUS": 0.2, "USA": 0.15}
ELECTED = [0.6, 0.5, 0.7, 0.4, 0.55, 0.45, 0.65, 0.35, 0.6, 0.5]
"""O25: each permanent member's veto probability; each elected member's yes probability."""


@functools.cache
def simulate(name: str, engine: EngineName) -> tuple[Model, TrialRecords]:
    model = load_model(ORACLES / f"{name}.yaml")
    return model, run(model, SEED, TRIALS[engine], engine)


def qualified_exact() -> tuple[float, list[float]]:
    """O24: P(passes) and, per member, P(it votes no and the decision fails)."""
    passed, blocks = 0.0, [0.0] * len(YES)
    for votes in itertools.product([False, True], repeat=len(YES)):
        p = float(np.prod([q if v else 1 - q for v, q in zip(votes, YES, strict=True)]))
        count = sum(votes)
        share = sum(w for v, w in zip(votes, POPULATION, strict=True) if v) / 100.0
        if count >= 6 and (share >= 0.65 or len(YES) - count < 4):
            passed += p
        else:
            blocks = [b + p * (not v) for b, v in zip(blocks, votes, strict=True)]
    return passed, blocks


def vetoes_exact() -> float:
    """O25: no veto, and at least 4 of the 10 elected members vote yes."""
    count = np.array([1.0])
    for p in ELECTED:
        count = np.convolve(count, [1 - p, p])
    return float(np.prod([1 - q for q in VETO.values()]) * count[4:].sum())


@pytest.mark.parametrize("engine", ENGINES)
def test_o24_qualified_majority_is_a_poisson_binomial_sum(engine: EngineName) -> None:
    model, records = simulate("o24_qualified_majority", engine)
    exact, blocks = qualified_exact()
    appointed = records.outcome == 0
    assert within(float(appointed.mean()), exact, appointed.size), (appointed.mean(), exact)
    for i, p in enumerate(blocks):
        ever = records.rounds_blocking[:, i] > 0
        assert within(float(ever.mean()), p, ever.size), (model.members[i], ever.mean(), p)


@pytest.mark.parametrize("engine", ENGINES)
def test_o25_security_council_needs_nine_and_no_veto(engine: EngineName) -> None:
    model, records = simulate("o25_vetoes", engine)
    appointed = records.outcome == 0
    exact = vetoes_exact()
    assert within(float(appointed.mean()), exact, appointed.size), (appointed.mean(), exact)
    for code, q in VETO.items():
        ever = records.rounds_blocking[:, model.members.index(code)] > 0
        assert within(float(ever.mean()), q, ever.size), (code, ever.mean(), q)
    elected = [i for i, code in enumerate(model.members) if code not in VETO]
    assert not (records.rounds_blocking[:, elected] > 0).any()


def test_unanimity_counts_abstentions_as_consent() -> None:
    yes = np.array([[True, False, False]])
    assert passes(Rule(), yes, np.zeros_like(yes), np.ones(3, bool)).all()
    no = np.array([[False, True, False]])
    assert not passes(Rule(), yes, no, np.ones(3, bool)).any()
    assert (blocking(Rule(), yes, no, np.ones(3, bool)) == no).all()


def test_a_veto_blocks_alone_and_elected_noes_only_without_one() -> None:
    rule = Rule(RuleKind.MAJORITY_WITH_VETOES, votes=2, permanent=np.array([True, False, False]))
    present = np.ones(3, bool)
    no = np.array([[True, True, False], [False, True, False]])
    yes = np.array([[False, False, True], [True, False, False]])
    assert not passes(rule, yes, no, present).any()
    assert blocking(rule, yes, no, present).tolist() == [[True, False, False], [False, True, False]]


def test_every_rule_is_monotone_in_the_votes() -> None:
    rng = np.random.default_rng(7)
    rules = [
        Rule(),
        Rule(RuleKind.QUALIFIED_MAJORITY, population=rng.uniform(1, 50, 12)),
        Rule(RuleKind.MAJORITY_WITH_VETOES, votes=7, permanent=np.arange(12) < 3),
    ]
    present = rng.uniform(size=12) < 0.9
    votes = rng.integers(0, 3, size=(4000, 12))
    softer = np.maximum(votes, rng.integers(0, 3, size=votes.shape))
    for rule in rules:
        before = passes(rule, votes == 2, votes == 0, present)
        after = passes(rule, softer == 2, softer == 0, present)
        assert not (before & ~after).any(), rule.name

"""Analytic oracles (modelling.md section 3) and metamorphic properties, for every engine.

Each Monte Carlo check passes when ``|p_hat - p| <= 4 * sqrt(p (1 - p) / N)`` for the N
actually simulated (a false alarm about once in 16,000 checks); means are held to 4 standard
errors of the mean, from the sample standard deviation. Seeds are fixed, so the outcome of
every check is deterministic.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from helpers import load_model, records_equal, run, within
from numpy.typing import NDArray

from natosim.engine import EngineName
from natosim.engine.records import TrialRecords
from natosim.model.arrays import Model, Reversion
from natosim.results.stats import wilson

ENGINES: list[EngineName] = ["reference", "fast"]
"""Every engine held to the oracles (the names ``natosim.engine.simulate_chunk`` accepts)."""

TRIALS: dict[EngineName, int] = {"reference": 3_000, "fast": 20_000}
"""Trials per statistical check: fewer for the slow reference engine, so wider bounds."""

PROPERTY_TRIALS = 1_000
"""Trials for the exact (bit-for-bit) properties, which need no statistics."""

SEED = 20240401
ORACLES = Path(__file__).parent / "oracles"


@functools.cache
def simulate(name: str, engine: EngineName, trials: int = 0) -> tuple[Model, TrialRecords]:
    """The model of ``tests/oracles/<name>.yaml`` and its records (cached across tests).

    ``trials`` defaults to the engine's statistical sample size.
    """
    model = load_model(ORACLES / f"{name}.yaml")
    return model, run(model, SEED, trials or TRIALS[engine], engine)


@functools.cache
def simulate_changed(change: Callable[[Model], Model], engine: EngineName) -> TrialRecords:
    """The records of ``m3_dynamics.yaml`` after ``change``, with the same seed (cached)."""
    model, _ = simulate("m3_dynamics", engine)
    return run(change(model), SEED, TRIALS[engine], engine)


def member(model: Model, code: str) -> int:
    """Index of a member by its code."""
    return int(model.members.index(code))


def appointed_by(model: Model, records: TrialRecords, t: int) -> NDArray[np.bool_]:
    """(n,) whether each trial appointed a candidate in round ``t`` or earlier."""
    appointed = records.outcome < model.n_candidates
    return np.asarray(appointed & (records.decision_round <= t))


def assert_proportion(hits: NDArray[np.bool_], exact: float, what: str) -> None:
    """Assert a Monte Carlo proportion is within 4 standard errors of ``exact``."""
    estimate = float(hits.mean())
    assert within(estimate, exact, hits.size), f"{what}: {estimate:.4f} vs exact {exact:.4f}"


def assert_mean(values: NDArray[np.int16], exact: float, what: str) -> None:
    """Assert a sample mean is within 4 standard errors of ``exact``."""
    mean = float(values.mean())
    se = float(values.std(ddof=1)) / math.sqrt(values.size)
    assert abs(mean - exact) <= 4 * se, f"{what}: {mean:.3f} vs exact {exact:.3f} (se {se:.3f})"


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> EngineName:
    """Each engine in turn."""
    name: EngineName = request.param
    return name


# --- O1 and O4: static, independent objections --------------------------------------------

O1_NOT_BLOCKING = {"HUN": 0.9, "POL": 0.6, "SVK": 0.7, "TUR": 0.8}


def poisson_binomial(block: list[float]) -> NDArray[np.float64]:
    """P(exactly j members block), from the PGF prod(1 - q + q z)."""
    pmf = np.array([1.0])
    for q in block:
        pmf = np.convolve(pmf, [1.0 - q, q])
    return pmf


def test_o1_appointment_is_product_of_not_blocking(engine: EngineName) -> None:
    _, records = simulate("o1_static", engine)
    exact = math.prod(O1_NOT_BLOCKING.values())
    assert_proportion(records.outcome == 0, exact, "P(appointment)")


def test_o1_number_of_blockers_is_poisson_binomial(engine: EngineName) -> None:
    _, records = simulate("o1_static", engine)
    blockers = (records.rounds_blocking > 0).sum(axis=1)
    pmf = poisson_binomial([1.0 - p for p in O1_NOT_BLOCKING.values()])
    for j, exact in enumerate(pmf):
        assert_proportion(blockers == j, float(exact), f"P({j} blockers)")
    assert blockers.max() <= len(O1_NOT_BLOCKING)


def test_o4_sole_blocker_and_pivotality(engine: EngineName) -> None:
    model, records = simulate("o1_static", engine)
    blocks = records.rounds_blocking > 0
    for code, p in O1_NOT_BLOCKING.items():
        i = member(model, code)
        others = math.prod(q for c, q in O1_NOT_BLOCKING.items() if c != code)
        others_clear = np.asarray(~np.delete(blocks, i, axis=1).any(axis=1), dtype=np.bool_)
        assert_proportion(others_clear, others, f"P({code} pivotal)")
        assert_proportion(others_clear & blocks[:, i], (1 - p) * others, f"P({code} sole)")


# --- O2 and O3: independent constant hazards ----------------------------------------------

O2_MEMBERS = {"HUN": (0.5, 0.1), "SVK": (0.3, 0.2), "TUR": (0.0, 0.15)}
"""Code -> (probability of not objecting, lift rate)."""


def lifted_by(p: float, h: float, t: NDArray[np.int64]) -> NDArray[np.float64]:
    """P(T_i <= t): not objecting at first, or lifted within t rounds."""
    return np.asarray(p + (1 - p) * (1 - (1 - h) ** t), dtype=np.float64)


def consensus_by(t: NDArray[np.int64]) -> NDArray[np.float64]:
    """P(T <= t) = prod_i P(T_i <= t)."""
    product: NDArray[np.float64] = np.prod([lifted_by(p, h, t) for p, h in O2_MEMBERS.values()], 0)
    return product


@pytest.mark.parametrize("t", [0, 1, 2, 5, 10, 20, 40])
def test_o2_appointed_by_round(engine: EngineName, t: int) -> None:
    model, records = simulate("o2_hazards", engine)
    exact = float(consensus_by(np.array([t]))[0])
    assert_proportion(appointed_by(model, records, t), exact, f"P(T <= {t})")


def test_o2_mean_time_to_consensus(engine: EngineName) -> None:
    _, records = simulate("o2_hazards", engine)
    exact = float((1 - consensus_by(np.arange(2_000))).sum())
    assert (records.outcome == 0).all()
    assert_mean(records.decision_round, exact, "E[T]")


def test_o2_five_identical_holdouts_take_22_17_rounds(engine: EngineName) -> None:
    _, records = simulate("o2_five_holdouts", engine)
    n, h = 5, 0.1
    exact = sum(math.comb(n, k) * (-1) ** (k + 1) / (1 - (1 - h) ** k) for k in range(1, n + 1))
    assert round(exact, 2) == 22.17
    assert (records.outcome == 0).all()
    assert_mean(records.decision_round, exact, "E[T] of five holdouts")


def uniquely_last(code: str, horizon: int = 2_000) -> float:
    """P(member is uniquely the last holdout) = sum_t P(T_i = t) prod_j P(T_j <= t - 1)."""
    t = np.arange(1, horizon)
    p, h = O2_MEMBERS[code]
    at_t = (1 - p) * (1 - h) ** (t - 1) * h
    others = [lifted_by(q, g, t - 1) for c, (q, g) in O2_MEMBERS.items() if c != code]
    return float((at_t * np.prod(others, axis=0)).sum())


def test_o3_last_holdout(engine: EngineName) -> None:
    model, records = simulate("o2_hazards", engine)
    for code in O2_MEMBERS:
        hits = records.last_holdout == member(model, code)
        assert_proportion(hits, uniquely_last(code), f"P({code} uniquely last)")
    nobody = 1 - sum(uniquely_last(code) for code in O2_MEMBERS)
    assert_proportion(records.last_holdout == -1, nobody, "P(no unique last holdout)")


# --- O26: no decision before decisions_from ------------------------------------------

O26_FIRST = 10
"""The round of O26's decisions_from (2024-06-10, ten weekly rounds after the start)."""


@pytest.mark.parametrize("t", [0, 5, 9, 10, 11, 20, 40])
def test_o26_no_decision_before_the_first_check(engine: EngineName, t: int) -> None:
    model, records = simulate("o26_decisions_from", engine)
    assert model.first_check == O26_FIRST
    exact = float(consensus_by(np.array([t]))[0]) if t >= O26_FIRST else 0.0
    assert_proportion(appointed_by(model, records, t), exact, f"P(T <= {t})")


def test_o26_mean_time_to_consensus(engine: EngineName) -> None:
    _, records = simulate("o26_decisions_from", engine)
    later = np.arange(O26_FIRST, 2_000)
    exact = O26_FIRST + float((1 - consensus_by(later)).sum())
    assert (records.outcome == 0).all()
    assert (records.decision_round >= O26_FIRST).all()
    assert_mean(records.decision_round, exact, "E[T] with no decision before round 10")


# --- O5: the silence procedure ------------------------------------------------------------


def test_o5_silence_holds(engine: EngineName) -> None:
    model, records = simulate("o5_silence", engine)
    exact = 0.99**32
    assert model.n_members == 32
    assert round(exact, 4) == 0.7250
    assert_proportion(records.outcome == 0, exact, "P(silence holds)")


# --- demands ------------------------------------------------------------------------------


def demand_closed_form(t: int) -> float:
    """P(T <= t) when HUN (blocking w.p. 0.7) clears at rate 0.15 and TUR at rate 0.25."""
    return (0.3 + 0.7 * (1 - 0.85**t)) * (1 - 0.75**t)


@pytest.mark.parametrize("name", ["demand_conditional", "demand_objector"])
@pytest.mark.parametrize("t", [1, 3, 6, 12, 25])
def test_demand_granted_at_rate_g_acts_as_lift_rate_g(
    engine: EngineName, name: str, t: int
) -> None:
    model, records = simulate(name, engine)
    assert_proportion(appointed_by(model, records, t), demand_closed_form(t), f"P(T <= {t})")


def test_needed_demand_marks_support_won_by_a_grant(engine: EngineName) -> None:
    model, conditional = simulate("demand_conditional", engine)
    _, objector = simulate("demand_objector", engine)
    hun_was_conditional = conditional.rounds_blocking[:, member(model, "HUN")] > 0
    assert (conditional.outcome == 0).all()
    assert np.array_equal(conditional.needed_demand, hun_was_conditional)
    assert_proportion(conditional.needed_demand, 0.7, "P(needed demand)")
    assert not objector.needed_demand.any()


# --- O15: withdrawals ---------------------------------------------------------------------


def test_o15_certain_withdrawal_happens_at_round_1(engine: EngineName) -> None:
    model, records = simulate("o15_withdrawal", engine)
    beta = model.candidates.index("beta")
    assert (records.withdrawn_round[:, beta] == 1).all()
    assert (records.outcome == model.n_candidates + Reversion.NO_DECISION).all()


@pytest.mark.parametrize("t", [1, 2, 5, 10])
def test_o15_withdrawal_round_is_geometric(engine: EngineName, t: int) -> None:
    model, records = simulate("o15_withdrawal", engine)
    when = records.withdrawn_round[:, model.candidates.index("gamma")]
    assert_proportion((when >= 1) & (when <= t), 1 - 0.8**t, f"P(withdrawn by {t})")
    last = model.n_rounds - 1
    assert_proportion(when == -1, 0.8**last, "P(never withdrawn)")


# --- O16: reversion -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "reversion", [Reversion.EXTENSION, Reversion.VACANCY], ids=["extension", "vacancy"]
)
def test_o16_permanent_objector_forces_reversion(engine: EngineName, reversion: Reversion) -> None:
    model, records = simulate(f"o16_{reversion.name.lower()}", engine)
    hun = member(model, "HUN")
    assert model.hard_round == 5
    assert (records.outcome == model.n_candidates + reversion).all()
    assert (records.decision_round == model.hard_round).all()
    assert (records.sole_blocker_at_hard == hun).all()
    assert (records.last_holdout == hun).all()
    assert (records.rounds_blocking[:, hun] == model.hard_round + 1).all()


# --- metamorphic properties ---------------------------------------------------------------


def test_m1_member_order_in_the_file_does_not_matter(engine: EngineName) -> None:
    _, first = simulate("m1_order_a", engine, PROPERTY_TRIALS)
    _, second = simulate("m1_order_b", engine, PROPERTY_TRIALS)
    assert records_equal(first, second)
    assert len(np.unique(first.outcome)) >= 2
    assert len(np.unique(first.decision_round)) > 5


def assert_same_proportion(a: NDArray[np.bool_], b: NDArray[np.bool_], what: str) -> None:
    """Assert two Monte Carlo proportions differ by at most 4 standard errors."""
    se = math.sqrt(a.var() / a.size + b.var() / b.size)
    assert abs(a.mean() - b.mean()) <= 4 * se, f"{what}: {a.mean():.4f} vs {b.mean():.4f}"


def m2_pair(engine: EngineName) -> tuple[Model, TrialRecords, Model, TrialRecords]:
    """M2: the scenario before Sweden joined, and after, with Sweden always supporting.

    Equal in distribution, not bit for bit: Sweden's initial stance takes its own uniform
    (every member x candidate cell does, used or not), which shifts the stance numbers of the
    members stored after it (in the fast engine, of every later trial in the chunk too). It
    also needs ``influence: 0``: with influence on, Sweden's support would raise every other
    member's signal z, and so change even the distribution.
    """
    small, without = simulate("m2_without_swe", engine)
    large, with_swe = simulate("m2_with_swe", engine)
    assert [code for code in large.members if code != "SWE"] == list(small.members)
    assert (with_swe.rounds_blocking[:, member(large, "SWE")] == 0).all()
    return small, without, large, with_swe


@pytest.mark.parametrize("t", [0, 2, 5, 10, 29])
def test_m2_a_member_who_always_supports_changes_no_date(engine: EngineName, t: int) -> None:
    small, without, large, with_swe = m2_pair(engine)
    before, after = appointed_by(small, without, t), appointed_by(large, with_swe, t)
    assert_same_proportion(before, after, f"P(T <= {t})")


def test_m2_a_member_who_always_supports_changes_no_holdout(engine: EngineName) -> None:
    small, without, large, with_swe = m2_pair(engine)
    for code in ("HUN", "SVK", "TUR"):
        before = without.last_holdout == member(small, code)
        after = with_swe.last_holdout == member(large, code)
        assert_same_proportion(before, after, f"P({code} last holdout)")


def raise_lift(model: Model) -> Model:
    """HUN lifts its objection three times as readily."""
    lift = model.lift_rate.copy()
    lift[member(model, "HUN")] *= 3
    return dataclasses.replace(model, lift_rate=lift)


def raise_grant(model: Model) -> Model:
    """Every demand is granted three times as readily."""
    return dataclasses.replace(model, grant_rate=model.grant_rate * 3)


@pytest.mark.parametrize("change", [raise_lift, raise_grant])
@pytest.mark.parametrize("t", [5, 15, 29])
def test_m3_raising_a_rate_never_lowers_appointment_by_a_date(
    engine: EngineName, change: Callable[[Model], Model], t: int
) -> None:
    """Common random numbers (the same seed) pair each trial with its counterpart."""
    base, before = simulate("m3_dynamics", engine)
    paired = paired_gain(base, before, simulate_changed(change, engine), t)
    se = float(paired.std(ddof=1)) / math.sqrt(paired.size)
    assert paired.mean() >= -4 * se, f"fell by {-paired.mean():.4f} (se {se:.4f})"


@pytest.mark.parametrize("change", [raise_lift, raise_grant])
def test_m3_the_raised_rates_do_matter(
    engine: EngineName, change: Callable[[Model], Model]
) -> None:
    """Guards the monotonicity test against a rate the engine ignores."""
    base, before = simulate("m3_dynamics", engine)
    paired = paired_gain(base, before, simulate_changed(change, engine), 5)
    se = float(paired.std(ddof=1)) / math.sqrt(paired.size)
    assert paired.mean() > 4 * se


def paired_gain(
    model: Model, before: TrialRecords, after: TrialRecords, t: int
) -> NDArray[np.float64]:
    """Per trial: appointed by round t after the change, minus before it (-1, 0 or 1)."""
    gain = appointed_by(model, after, t).astype(np.float64) - appointed_by(model, before, t)
    return gain


def test_m4_wilson_half_width_shrinks_as_one_over_root_n(engine: EngineName) -> None:
    model, large = simulate("m3_dynamics", engine)
    small = run(model, SEED + 1, large.n // 4, engine)

    def half_width(records: TrialRecords) -> float:
        low, high = wilson(int(appointed_by(model, records, 15).sum()), records.n)
        return (high - low) / 2

    assert 0.4 <= half_width(large) / half_width(small) <= 0.6


def test_m5_same_seed_same_records_and_another_seed_differs(engine: EngineName) -> None:
    model, first = simulate("m1_order_a", engine, PROPERTY_TRIALS)
    assert records_equal(first, run(model, SEED, PROPERTY_TRIALS, engine))
    assert not records_equal(first, run(model, SEED + 1, PROPERTY_TRIALS, engine))


def test_m6_outcome_probabilities_sum_to_one(engine: EngineName) -> None:
    model, records = simulate("m1_order_a", engine, PROPERTY_TRIALS)
    counts = np.bincount(records.outcome, minlength=model.n_outcomes)
    assert counts.size == model.n_outcomes
    assert math.isclose((counts / records.n).sum(), 1.0)


# --- O17 to O22: the mechanisms of holding out ---------------------------------------------


@pytest.mark.parametrize("t", [1, 2, 5, 10, 20])
def test_o17_a_conditional_member_leaves_on_either_clock(engine: EngineName, t: int) -> None:
    model, records = simulate("o17_conditional_exit", engine)
    exact = 1 - (0.9 * 0.95) ** t
    assert_proportion(appointed_by(model, records, t), exact, f"P(T <= {t})")


def test_o17_the_demand_wins_in_proportion_to_its_rate(engine: EngineName) -> None:
    _, records = simulate("o17_conditional_exit", engine)
    assert (records.outcome == 0).all()
    assert_proportion(records.needed_demand, 0.10 / (1 - 0.9 * 0.95), "P(exit by the demand)")


@pytest.mark.parametrize("t", [1, 3, 6, 12])
def test_o18_package_clears_every_blocker_at_a_geometric_round(engine: EngineName, t: int) -> None:
    model, records = simulate("o18_package", engine)
    assert_proportion(appointed_by(model, records, t), 1 - 0.8**t, f"P(T <= {t})")


def test_o18_package_clears_blockers_together(engine: EngineName) -> None:
    model, records = simulate("o18_package", engine)
    beta, tur = model.candidates.index("beta"), member(model, "TUR")
    assert (records.outcome == 0).all()
    assert (records.last_holdout == -1).all()
    assert np.array_equal(records.withdrawn_round[:, beta], records.decision_round)
    assert np.array_equal(records.granted_round[:, 0], records.decision_round)
    assert records.needed_demand.all()
    assert (records.last_block_round[:, tur] == records.decision_round - 1).all()


def test_o19_a_follower_leaves_after_its_leader(engine: EngineName) -> None:
    model, records = simulate("o19_following", engine)
    assert (records.outcome == 0).all()
    assert (records.last_holdout == member(model, "HUN")).all()
    assert_mean(records.decision_round, 1 / 0.2 + 1 / 0.3, "E[T]")
    t = np.arange(1, 60)
    leader = 0.2 * 0.8 ** (t - 1)
    follower = 1 - 0.7 ** np.arange(60)
    for when in (2, 4, 8, 16):
        exact = float(sum(leader[: when - 1] * follower[when - t[: when - 1]]))
        assert_proportion(appointed_by(model, records, when), exact, f"P(T <= {when})")


def bloc_all_below(p: float, rho: float, size: int) -> float:
    """P(every member of a bloc draws below p): ∫ φ(z) Φ((Φ⁻¹(p) − √ρ z) / √(1 − ρ))^size dz."""
    from scipy.integrate import quad
    from scipy.stats import norm

    x = norm.ppf(p)

    def integrand(z: float) -> float:
        return float(norm.pdf(z) * norm.cdf((x - math.sqrt(rho) * z) / math.sqrt(1 - rho)) ** size)

    return float(quad(integrand, -12, 12, epsabs=1e-12)[0])


def test_o20_a_bloc_correlates_stances_and_keeps_each_probability(engine: EngineName) -> None:
    model, records = simulate("o20_bloc", engine)
    none = bloc_all_below(0.7, 0.5, 3)
    assert round(none, 4) == 0.4696
    blocks = records.rounds_blocking > 0
    baltic = [member(model, code) for code in ("EST", "LVA", "LTU")]
    clear = ~blocks[:, baltic].any(axis=1)
    assert_proportion(clear, none, "P(no Baltic objection)")
    for i in baltic:
        assert_proportion(blocks[:, i], 0.3, f"P({model.members[i]} objects)")
    pol = blocks[:, member(model, "POL")]
    assert_proportion(pol, 0.1, "P(POL objects)")
    assert_proportion(clear & ~pol, none * 0.9, "P(nobody objects)")


def test_o21_a_settling_deadline_ends_every_trial_in_its_round(engine: EngineName) -> None:
    model, records = simulate("o21_settling", engine)
    assert (records.decision_round == 5).all()
    assert set(np.unique(records.outcome)) <= {0, model.n_candidates + Reversion.EXTENSION}
    assert_proportion(records.outcome == 0, 0.3, "P(cleared at the summit)")
    extended = records.outcome != 0
    assert (records.sole_blocker_at_hard[extended] == member(model, "HUN")).all()


def test_o23_every_holdout_must_agree_to_settle(engine: EngineName) -> None:
    model, records = simulate("o23_settling_two", engine)
    assert (records.decision_round == 5).all()
    assert_proportion(records.outcome == 0, 0.3**2, "P(both agree at the summit)")
    assert (records.outcome[records.outcome != 0] == model.n_candidates).all()


def test_o22_influence_never_lifts_a_trailing_candidate(engine: EngineName) -> None:
    model, records = simulate("o22_exclusive", engine, PROPERTY_TRIALS)
    assert model.influence == 4.0
    assert (records.outcome == model.n_candidates + Reversion.EXTENSION).all()
    assert (records.decisive == 0).all()

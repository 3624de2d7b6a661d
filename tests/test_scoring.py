"""Proper scores against hand-computed values, and their ranges as properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from natosim.studies.scoring import (
    FLOOR,
    Forecast,
    Mean,
    Observed,
    brier,
    log_score,
    mean,
    rank_of,
    rps,
    score,
)


def test_log_score_is_minus_ln_p_floored_at_one_in_a_thousand() -> None:
    assert log_score(0.5) == pytest.approx(math.log(2))  # 0.693147
    assert log_score(0.0) == pytest.approx(-math.log(FLOOR))  # 6.907755, not infinity
    assert log_score(0.0005) == log_score(FLOOR)
    assert math.copysign(1.0, log_score(1.0)) == 1.0  # 0.0, not -0.0


def test_brier_sums_squared_errors_over_every_category() -> None:
    # (0.7 - 1)² + 0.2² + 0.1² = 0.09 + 0.04 + 0.01
    assert brier([0.7, 0.2, 0.1], 0) == pytest.approx(0.14)
    # 0.7² + 0.2² + (0.1 - 1)² = 0.49 + 0.04 + 0.81
    assert brier([0.7, 0.2, 0.1], 2) == pytest.approx(1.34)
    assert brier([1.0, 0.0, 0.0], 1) == 2.0  # a point forecast that missed
    assert brier([0.0, 1.0, 0.0], 1) == 0.0


def test_rps_compares_cumulative_forecasts_over_ordered_bins() -> None:
    # cumulative (0.5, 0.8) against (1, 1): (0.25 + 0.04) / 2
    assert rps([0.5, 0.3, 0.2], 0) == pytest.approx(0.145)
    # against (0, 0): (0.25 + 0.64) / 2
    assert rps([0.5, 0.3, 0.2], 2) == pytest.approx(0.445)
    # uniform over three bins, first observed: ((2/3)² + (1/3)²) / 2 = 5/18
    assert rps([1 / 3] * 3, 0) == pytest.approx(5 / 18)
    assert rps([1.0, 0.0, 0.0], 2) == 1.0  # certain of the first bin, the last happened
    assert rps([1.0], 0) == 0.0


def test_rps_punishes_a_near_miss_less_than_a_far_one() -> None:
    assert rps([0.0, 1.0, 0.0], 0) < rps([0.0, 0.0, 1.0], 0)


def test_rank_shares_ties_and_leaves_unnamed_members_unranked() -> None:
    weights = {"ROU": 0.38, "HUN": 0.22, "TUR": 0.14, "SVK": 0.04}
    assert rank_of(weights, "ROU") == 1
    assert rank_of(weights, "TUR") == 3
    assert rank_of({"A": 0.5, "B": 0.5, "C": 0.1}, "B") == 1
    assert rank_of({"A": 0.5, "B": 0.5, "C": 0.1}, "C") == 3
    assert rank_of(weights, "POL") is None
    assert rank_of({"A": 0.5, "B": 0.0}, "B") is None


def test_mean_counts_only_cases_with_a_value() -> None:
    assert mean([1.0, None, 3.0]) == Mean(2.0, 2)
    assert mean([None]) == Mean(None, 0)
    assert mean([]) == Mean(None, 0)


def test_score_of_a_hand_made_case() -> None:
    forecast = Forecast(
        outcomes=(0.75, 0.0, 0.25, 0.0, 0.0),
        timing=(0.45, 0.30, 0.25),
        holdouts={"ROU": 0.38, "HUN": 0.22, "TUR": 0.14, "SVK": 0.04},
    )
    scores = score(forecast, Observed(outcome=0, timing_bin=0, last_holdout="SVK"))
    assert scores.p_observed == 0.75
    assert scores.log == pytest.approx(0.287682, abs=1e-6)  # -ln 0.75
    assert scores.brier == pytest.approx(0.125)  # 0.25² + 0.25²
    assert scores.rps == pytest.approx(0.1825)  # (0.55² + 0.25²) / 2
    assert (scores.holdout_rank, scores.holdout_in_top) == (4, False)


def test_score_leaves_out_what_was_not_recorded_or_not_forecast() -> None:
    forecast = Forecast((0.5, 0.5, 0.0, 0.0, 0.0), (0.5, 0.5), {})
    scores = score(forecast, Observed(outcome=1, timing_bin=None, last_holdout="HUN"))
    assert scores.rps is None
    assert (scores.holdout_rank, scores.holdout_in_top) == (None, None)
    ranked = Forecast((0.5, 0.5, 0.0, 0.0, 0.0), (0.5, 0.5), {"HUN": 0.1})
    assert score(ranked, Observed(1, 0, None)).holdout_in_top is None


probabilities = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=8).filter(lambda xs: sum(xs) > 0)


@given(probabilities, st.data())
def test_scores_stay_in_their_ranges(weights: list[float], data: st.DataObject) -> None:
    total = sum(weights)
    forecast = [w / total for w in weights]
    observed = data.draw(st.integers(0, len(forecast) - 1))
    assert 0.0 <= log_score(forecast[observed]) <= -math.log(FLOOR) + 1e-12
    assert -1e-12 <= brier(forecast, observed) <= 2.0 + 1e-12
    assert -1e-12 <= rps(forecast, observed) <= 1.0 + 1e-12


@given(st.floats(0.0, 1.0), st.integers(0, 1))
def test_rps_of_two_bins_is_half_the_brier_score(p: float, observed: int) -> None:
    forecast = [p, 1.0 - p]
    assert rps(forecast, observed) == pytest.approx(brier(forecast, observed) / 2)

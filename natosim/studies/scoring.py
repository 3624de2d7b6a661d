"""Proper scores of a probabilistic forecast against what happened: pure functions of numbers.

Conventions (docs/validation.md): lower is better for every score. The log score floors the
probability at :data:`FLOOR` so that a forecast that gave the observed outcome no chance at
all, such as a point forecast that missed, scores a large finite number instead of infinity;
the floor is applied here, in the report, and never in the simulation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

FLOOR = 1e-3
"""Smallest probability the log score takes: a complete miss scores −ln 0.001 ≈ 6.91."""

TOP = 3
"""A realised last holdout is a hit when the forecast ranks it among this many members."""


@dataclass(frozen=True)
class Forecast:
    """What one forecaster says about one case.

    Attributes:
        outcomes: Probabilities of the outcome categories: each candidate, then extension,
            vacancy and no decision.
        timing: Probabilities of the ordered timing bins, "not appointed" last.
        holdouts: A weight per member for ranking the likely last holdouts; empty for a
            forecaster that ranks nobody.
    """

    outcomes: tuple[float, ...]
    timing: tuple[float, ...]
    holdouts: Mapping[str, float]


@dataclass(frozen=True)
class Observed:
    """What happened, as indices into a :class:`Forecast`."""

    outcome: int
    timing_bin: int | None  # None when the date is not recorded
    last_holdout: str | None  # None when none is recorded


@dataclass(frozen=True)
class Scores:
    """One forecaster's scores on one case; None where the case or forecaster has no value."""

    p_observed: float
    log: float
    brier: float
    rps: float | None
    holdout_rank: int | None
    holdout_in_top: bool | None


def score(forecast: Forecast, observed: Observed) -> Scores:
    """Every score of ``forecast`` against ``observed``."""
    p = forecast.outcomes[observed.outcome]
    rank = None
    hit = None
    if observed.last_holdout is not None and forecast.holdouts:
        rank = rank_of(forecast.holdouts, observed.last_holdout)
        hit = rank is not None and rank <= TOP
    bin_ = observed.timing_bin
    return Scores(
        p_observed=p,
        log=log_score(p),
        brier=brier(forecast.outcomes, observed.outcome),
        rps=None if bin_ is None else rps(forecast.timing, bin_),
        holdout_rank=rank,
        holdout_in_top=hit,
    )


def log_score(p_observed: float, floor: float = FLOOR) -> float:
    """−ln of the probability given to what happened, floored at ``floor`` (0 when certain)."""
    return max(0.0, -math.log(max(p_observed, floor)))


def brier(forecast: Sequence[float], observed: int) -> float:
    """Multi-category Brier score Σ_k (f_k − o_k)², from 0 (certain and right) to 2.

    Args:
        forecast: Probabilities of the categories, summing to 1.
        observed: Index of the category that happened.
    """
    return sum((f - (1.0 if k == observed else 0.0)) ** 2 for k, f in enumerate(forecast))


def rps(forecast: Sequence[float], observed: int) -> float:
    """Ranked probability score over ordered bins, normalised to lie in [0, 1].

    RPS = Σ_{b<B} (F_b − O_b)² / (B − 1), where F and O are the cumulative forecast and
    observation over the B ordered bins; the last cumulative term is always 0 and is left out.

    Why: unlike the Brier score it rewards a forecast for putting its probability near the
    observed bin (a decision a month late is a smaller miss than one a year late), and the
    division by B − 1 keeps cases with different numbers of bins comparable.
    """
    bins = len(forecast)
    if bins < 2:
        return 0.0
    cumulative = list(accumulate(forecast))
    return sum((cumulative[b] - (1.0 if b >= observed else 0.0)) ** 2 for b in range(bins - 1)) / (
        bins - 1
    )


def rank_of(scores: Mapping[str, float], key: str) -> int | None:
    """1 + the number of keys scored strictly higher than ``key``; None if it scores 0.

    Why: ties share the better rank, so a forecast is not penalised for the order in which
    equal scores happen to be listed; a key the forecast never names has no rank.
    """
    own = scores.get(key, 0.0)
    if own <= 0.0:
        return None
    return 1 + sum(1 for value in scores.values() if value > own)


@dataclass(frozen=True)
class Mean:
    """The mean of the cases that have a value, and how many they are."""

    value: float | None
    n: int


def mean(values: Iterable[float | None]) -> Mean:
    """Mean over the values that are not None (None where no case has one)."""
    kept = [v for v in values if v is not None]
    return Mean(sum(kept) / len(kept) if kept else None, len(kept))

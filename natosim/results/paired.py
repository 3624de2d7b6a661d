"""Statistics of paired runs: two variants run on the same seed and trials.

Why paired: on common random numbers, trial i of both runs starts from the same random
numbers (docs/model.md), so the per-trial differences vary far less than two independent
runs would. A probability's difference is the mean of per-trial differences of indicators
(0 or 1) and its 95 % interval comes from their standard deviation (normal approximation).
The median date is not a mean of per-trial values: its intervals come from a bootstrap over
trials, where the paired bootstrap resamples the two runs of a trial together.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from natosim.model.arrays import Model
from natosim.results import stats

BOOTSTRAP_REPLICATES = 2000
"""Resamples behind the intervals of a median's difference."""

Interval = tuple[float, float]


def paired_difference(
    a: NDArray[np.bool_], b: NDArray[np.bool_]
) -> tuple[float, Interval, Interval]:
    """Mean of ``b - a`` per trial, and its paired and unpaired 95 % normal intervals.

    Why both: the paired interval uses the spread of the per-trial differences, which common
    random numbers make small; the unpaired one adds the two runs' own variances, as if they
    had been run on different seeds, and shows what the pairing gained.
    """
    paired = stats.paired_difference(a, b)
    unpaired = stats.unpaired_difference(
        stats.Estimate(int(a.sum()), int(a.size)), stats.Estimate(int(b.sum()), int(b.size))
    )
    return paired.mean, (paired.low, paired.high), (unpaired.low, unpaired.high)


def appointment_codes(
    model: Model, outcome: NDArray[np.int16], decision_round: NDArray[np.int16]
) -> NDArray[np.int64]:
    """Per trial: 0 without an appointment, else 1 + the round of the appointment."""
    appointed = outcome < model.n_candidates
    return np.where(appointed, decision_round.astype(np.int64) + 1, 0)


def median_day(model: Model, codes: NDArray[np.int64]) -> float:
    """Days from the start to the median appointment round (NaN without appointments).

    The median is the first round by which half the appointments happened, as in
    :func:`natosim.stats.quantile_date`.
    """
    return float(_median_days(model, _counts(model, codes)[None, :])[0])


def median_intervals(
    model: Model, a: NDArray[np.int64], b: NDArray[np.int64], rng: np.random.Generator
) -> tuple[Interval | None, Interval | None]:
    """Bootstrap 95 % intervals of ``median_day(b) - median_day(a)``, paired and unpaired.

    Args:
        model: The compiled scenario (its round dates).
        a: Per-trial :func:`appointment_codes` of the base run.
        b: The same trials' codes in the variant.
        rng: The bootstrap's generator.

    Returns:
        Percentile intervals in days, or None where no resample had appointments in both.

    Why multinomial draws: the codes take few values, so resampling trials with replacement
    is the same as drawing counts of the (code in a, code in b) pairs that occurred.
    """
    r, n = model.n_rounds + 1, a.size
    pairs, counts = np.unique(a * r + b, return_counts=True)
    draws = rng.multinomial(n, counts / n, size=BOOTSTRAP_REPLICATES)
    paired = _interval(model, draws @ _onehot(pairs // r, r), draws @ _onehot(pairs % r, r))
    alone = [rng.multinomial(n, _counts(model, c) / n, size=BOOTSTRAP_REPLICATES) for c in (a, b)]
    return paired, _interval(model, alone[0], alone[1])


def _counts(model: Model, codes: NDArray[np.int64]) -> NDArray[np.int64]:
    counts: NDArray[np.int64] = np.bincount(codes, minlength=model.n_rounds + 1)
    return counts


def _onehot(codes: NDArray[np.int64], r: int) -> NDArray[np.int64]:
    onehot: NDArray[np.int64] = (codes[:, None] == np.arange(r)[None, :]).astype(np.int64)
    return onehot


def _interval(
    model: Model, counts_a: NDArray[np.int64], counts_b: NDArray[np.int64]
) -> Interval | None:
    diff = _median_days(model, counts_b) - _median_days(model, counts_a)
    diff = diff[~np.isnan(diff)]
    if diff.size == 0:
        return None
    low = float(np.quantile(diff, 0.025, method="lower"))
    return low, float(np.quantile(diff, 0.975, method="higher"))


def _median_days(model: Model, counts: NDArray[np.int64]) -> NDArray[np.float64]:
    """The median day of each row of code counts; NaN where a row has no appointment."""
    appointed = counts[:, 1:]
    total = appointed.sum(axis=1)
    reached = np.cumsum(appointed, axis=1) >= 0.5 * total[:, None]
    days = np.array([(day - model.dates[0]).days for day in model.dates], dtype=np.float64)
    return np.where(total > 0, days[reached.argmax(axis=1)], np.nan)

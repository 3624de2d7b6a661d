"""A measure of a run as a plain number with its Monte Carlo standard error.

Why: a sensitivity analysis feeds numbers to SALib and sets their spread against the noise of
each run. A probability is its share of trials; a date is counted in days after the start.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from natosim.results.measures import Measure
from natosim.results.stats import Z95, Estimate, Summary

QUANTILES = {"p10": 0.1, "median": 0.5, "p90": 0.9}
"""The date measures of :mod:`natosim.results.measures` and the quantile each one is."""


def measure_value(measure: Measure, summary: Summary, start: dt.date) -> tuple[float, float]:
    """``(value, standard error)`` of ``measure`` in a run; NaN when it is undefined.

    A probability's error is binomial; a quantile date's comes from the 95 % order-statistic
    interval of its rank among the appointments, halved and divided by 1.96.
    """
    value = measure.read(summary)
    if isinstance(value, Estimate):
        return value.p, math.sqrt(value.p * (1.0 - value.p) / value.n) if value.n else math.nan
    if value is None:
        return math.nan, math.nan
    return float((value - start).days), _date_error(summary, QUANTILES.get(measure.id), start)


def _date_error(summary: Summary, q: float | None, start: dt.date) -> float:
    appointed = np.array([e.count for _, e in summary.cumulative])
    total = int(appointed[-1]) if appointed.size else 0
    if q is None or total == 0:
        return math.nan
    half = Z95 * math.sqrt(total * q * (1.0 - q))
    low, high = (
        _day_of_rank(summary, appointed, rank, start)
        for rank in (q * total - half, q * total + half)
    )
    return (high - low) / (2 * Z95)


def _day_of_rank(summary: Summary, appointed: np.ndarray, rank: float, start: dt.date) -> float:
    """Days after ``start`` of the round by which ``rank`` appointments had happened."""
    t = int(np.searchsorted(appointed, min(max(rank, 0.0), float(appointed[-1])), side="left"))
    return float((summary.cumulative[t][0] - start).days)

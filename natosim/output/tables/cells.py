"""How numbers read in every table: percentages, intervals, differences, dates, bars.

Interval ends are rounded outwards (the low end down, the high end up), so the interval
printed always contains the exact one.
"""

from __future__ import annotations

import datetime as dt
import math

from natosim.results.stats import Difference, Estimate

BLOCKS = " ▏▎▍▌▋▊▉█"
"""Horizontal eighth blocks, empty to full."""

_EPS = 1e-9


def percent(e: Estimate) -> str:
    """``91.2 %``; ``0 %`` and ``100 %`` only when exact; ``<0.1 %`` and ``>99.9 %`` near them."""
    return percent_of(e.count, e.n)


def percent_of(count: int, n: int) -> str:
    """A share of trials as text, as :func:`percent` writes it."""
    if n == 0:
        return "—"
    if count == 0:
        return "0 %"
    if count == n:
        return "100 %"
    p = 100 * count / n
    if p < 0.05:
        return "<0.1 %"
    if p >= 99.95:
        return ">99.9 %"
    return f"{p:.1f} %"


def interval(e: Estimate) -> str:
    """``90.8–91.6``: the 95 % interval in percent, rounded outwards."""
    if e.n == 0:
        return "—"
    low, high = e.interval
    return f"{_down(low)}–{_up(high)}"


def with_interval(e: Estimate) -> str:
    """``91.2 % (90.8–91.6)``."""
    return f"{percent(e)} ({interval(e)})" if e.n else "—"


def half_width(value: float) -> str:
    """``±0.6 pts``: a half-width in percentage points."""
    return f"±{100 * value:.2f} pts"


def points(d: Difference) -> str:
    """``+6.4 (+5.9 to +6.9)``: a difference in percentage points with its 95 % interval."""
    return f"{_signed(d.mean)} ({_signed(d.low)} to {_signed(d.high)})"


def points_plus_minus(d: Difference) -> str:
    """``+6.4 ±0.5``: the same, shorter (the larger side, where the interval is clipped)."""
    return f"{_signed(d.mean)} ±{100 * max(d.high - d.mean, d.mean - d.low):.1f}"


def day(value: dt.date | None) -> str:
    """``2024-07-05``, or ``—`` when there is no such date."""
    return value.isoformat() if value else "—"


def count(n: int) -> str:
    """``20,000``."""
    return f"{n:,}"


def bar(p: float, width: int) -> str:
    """A horizontal bar ``width`` cells long at 100 %, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, p)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")


def _down(p: float) -> str:
    return f"{math.floor(1000 * p + _EPS) / 10:.1f}"


def _up(p: float) -> str:
    return f"{math.ceil(1000 * p - _EPS) / 10:.1f}"


def _signed(p: float) -> str:
    value = round(100 * p, 1)
    return "0.0" if value == 0 else f"{value:+.1f}".replace("-", "−")

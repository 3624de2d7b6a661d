"""How single values read in JSON: estimates, intervals, differences, dates and edit values."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from natosim.results.stats import Difference, Estimate


def dumps(document: dict[str, Any]) -> str:
    """Indented UTF-8 JSON with a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def iso(day: dt.date | None) -> str | None:
    """A date as ISO text, or None."""
    return day.isoformat() if day else None


def estimate(e: Estimate) -> dict[str, float]:
    """A probability with its 95 % interval."""
    low, high = e.interval
    return {"probability": e.p, "ci_low": low, "ci_high": high}


def maybe_estimate(e: Estimate | None) -> dict[str, float] | None:
    """:func:`estimate`, or None where there is no value."""
    return None if e is None else estimate(e)


def interval(e: Estimate) -> dict[str, float]:
    """Only the 95 % interval of an estimate."""
    low, high = e.interval
    return {"ci_low": low, "ci_high": high}


def ci(e: Estimate) -> list[float]:
    """The 95 % interval as a pair."""
    return list(e.interval)


def difference(d: Difference | None) -> dict[str, Any] | None:
    """A difference between two runs with its interval, and whether it was paired."""
    if d is None:
        return None
    return {
        "difference": d.mean,
        "ci_low": d.low,
        "ci_high": d.high,
        "paired": d.paired,
        "trials": d.n,
    }


def plain(value: Any) -> Any:
    """Dates as ISO text, everything else as JSON takes it (YAML values are plain data)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value

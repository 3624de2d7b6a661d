"""JSON text of one run (the contract of natosim.results.report) or of a comparison of several."""

from __future__ import annotations

import json
from typing import Any

from natosim import __version__
from natosim.output.tables.letters import letter
from natosim.results.compare import Comparison
from natosim.results.report import RunReport, to_json
from natosim.results.stats import Difference, Estimate


def dumps(document: dict[str, Any]) -> str:
    """Indented UTF-8 JSON with a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """Every run's document under ``runs``, and the side-by-side rows under ``comparison``."""
    return {
        "natosim_version": __version__,
        "comparison": {
            "scenarios": [letter(i) for i in range(len(comparison.reports))],
            "baseline": 0,
            "rows": [
                {
                    "table": row.table,
                    "key": row.key,
                    "label": row.label,
                    "values": [_estimate(e) for e in row.values],
                    "differences": [_difference(d) for d in row.differences],
                }
                for row in comparison.rows
            ],
            "median_dates": [d.isoformat() if d else None for d in comparison.median_dates],
            "top_holdouts": [
                {"member": top[0], "p_last_holdout": top[1].p} if top else None
                for top in comparison.top_holdouts
            ],
        },
        "runs": [to_json(r) for r in comparison.reports],
    }


def report_json(report: RunReport) -> dict[str, Any]:
    """The document of one run."""
    return to_json(report)


def _estimate(e: Estimate | None) -> dict[str, float] | None:
    if e is None:
        return None
    low, high = e.interval
    return {"probability": e.p, "ci_low": low, "ci_high": high}


def _difference(d: Difference | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "difference": d.mean,
        "ci_low": d.low,
        "ci_high": d.high,
        "paired": d.paired,
        "trials": d.n,
    }

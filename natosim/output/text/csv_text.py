"""Tidy CSV: one row per scenario × table × row, every number at full precision.

Columns are the union over tables; a cell is empty where a column does not apply to a
table. The numbers are those of the JSON document, written the same way (``repr``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from natosim.output.json.run import report_json
from natosim.results.compare import Comparison
from natosim.results.report import RunReport
from natosim.results.stats import Difference, Estimate

COLUMNS: tuple[str, ...] = (
    "scenario",
    "scenario_file",
    "seed",
    "trials",
    "engine",
    "complete",
    "table",
    "row",
    "label",
    "date",
    "probability",
    "ci_low",
    "ci_high",
    "p_ever_blocks_winner",
    "p_ever_blocks",
    "p_last_holdout",
    "mean_rounds_blocking",
    "p_sole_blocker_at_hard_deadline",
    "member",
    "candidate",
    "description",
    "granted_by",
    "p_granted",
    "p_appointed",
    "p_withdrawn",
    "median_withdrawal_date",
    "difference",
    "difference_ci_low",
    "difference_ci_high",
    "paired",
)
"""Every column, in order."""

Row = dict[str, Any]


def csv_text(reports: tuple[RunReport, ...], comparison: Comparison | None = None) -> str:
    """Every table of every report, then the comparison's rows if there is one."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for report in reports:
        base = _provenance(report)
        writer.writerows({**base, **row} for row in report_rows(report))
    if comparison is not None:
        writer.writerows(comparison_rows(comparison))
    return out.getvalue()


def _provenance(report: RunReport) -> Row:
    return {
        "scenario": report.scenario,
        "scenario_file": report.scenario_file,
        "seed": report.run.seed,
        "trials": report.run.trials,
        "engine": report.run.engine,
        "complete": report.complete,
    }


def report_rows(report: RunReport) -> Iterator[Row]:
    """The rows of one report, without the scenario's columns."""
    doc = report_json(report)
    for o in doc["outcomes"]:
        yield {"table": "outcomes", "row": o["outcome"], "label": o["label"], **_p(o)}
    for d in doc["deadlines"]:
        yield {"table": "deadlines", "row": d["name"], "date": d["date"], **_p(d, "p_decided_by")}
    for key, value in doc["timing"].items():
        yield {"table": "timing", "row": key.removesuffix("_date"), "date": value}
    for c in doc["cumulative"]:
        yield {
            "table": "cumulative",
            "row": c["date"],
            "date": c["date"],
            **_p(c, "p_appointed_by"),
        }
    for m in doc["members"]:
        yield {"table": "holdouts", "row": m["member"], "label": m["name"], **_member(m)}
    for number, d in enumerate(doc["demands"], start=1):
        yield {"table": "demands", "row": str(number), **_demand(d)}
    for c in doc["candidates"]:
        yield {"table": "candidates", "row": c["candidate"], "label": c["name"], **_candidate(c)}
    needed = doc["needed_demand"]
    yield {"table": "needed_demand", "row": "appointments", **_p(needed)}


def _p(item: dict[str, Any], key: str = "probability") -> Row:
    return {"probability": item[key], "ci_low": item["ci_low"], "ci_high": item["ci_high"]}


def _member(m: dict[str, Any]) -> Row:
    keys = (
        "p_ever_blocks_winner",
        "p_ever_blocks",
        "p_last_holdout",
        "mean_rounds_blocking",
        "p_sole_blocker_at_hard_deadline",
    )
    return {"member": m["member"], **{k: m[k] for k in keys}}


def _demand(d: dict[str, Any]) -> Row:
    keys = ("member", "candidate", "description", "granted_by", "p_granted")
    return {k: d[k] for k in keys}


def _candidate(c: dict[str, Any]) -> Row:
    keys = ("candidate", "p_appointed", "p_withdrawn", "median_withdrawal_date")
    return {k: c[k] for k in keys}


def comparison_rows(comparison: Comparison) -> Iterator[Row]:
    """One row per scenario × compared probability, with its difference from the first."""
    for row in comparison.rows:
        for i, report in enumerate(comparison.reports):
            yield {
                **_provenance(report),
                "table": "comparison",
                "row": f"{row.table}:{row.key}",
                "label": row.label,
                **_estimate(row.values[i]),
                **_difference(row.differences[i]),
            }


def _estimate(e: Estimate | None) -> Row:
    if e is None:
        return {}
    low, high = e.interval
    return {"probability": e.p, "ci_low": low, "ci_high": high}


def _difference(d: Difference | None) -> Row:
    if d is None:
        return {}
    return {
        "difference": d.mean,
        "difference_ci_low": d.low,
        "difference_ci_high": d.high,
        "paired": d.paired,
    }


WHATIF_COLUMNS = (
    "scenario",
    "scenario_file",
    "seed",
    "trials",
    "engine",
    "set",
    "measure",
    "label",
    "base",
    "variant",
    "difference",
    "unit",
    "ci_low",
    "ci_high",
    "unpaired_ci_low",
    "unpaired_ci_high",
)
"""The columns of a what-if's CSV: its provenance, then one difference per row."""


def whatif_csv(document: dict[str, Any]) -> str:
    """A what-if's JSON document as tidy CSV: every measure's difference, full precision."""
    out = io.StringIO()
    writer = csv.DictWriter(out, WHATIF_COLUMNS, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    edits = "; ".join(f"{e['path']}={e['value']}" for e in document["set"])
    base = {key: document[key] for key in ("scenario", "scenario_file", "seed", "trials")}
    base |= {"engine": document["engine"], "set": edits}
    writer.writerows({**base, **row} for row in document["differences"])
    return out.getvalue()

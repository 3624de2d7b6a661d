"""The JSON document of a run (see docs/reading-the-report.md) and of a comparison of runs."""

from __future__ import annotations

from typing import Any

from natosim import __version__
from natosim.engine.streams import CHUNK_SIZE
from natosim.output.json.values import ci, difference, estimate, interval, iso, maybe_estimate
from natosim.output.tables.letters import letter
from natosim.results.compare import Comparison
from natosim.results.report import RunReport, outcome_labels
from natosim.results.stats import MemberRow, Summary


def report_json(report: RunReport) -> dict[str, Any]:
    """The JSON document of a run (see docs/reading-the-report.md)."""
    s = report.summary
    return {
        **_provenance(report),
        "outcomes": [
            {"outcome": name, **estimate(e), "label": label, "count": e.count}
            for (name, e), label in zip(s.outcomes, outcome_labels(report.run.model), strict=True)
        ],
        "deadlines": [
            {"name": name, "date": day.isoformat(), "p_decided_by": e.p, **interval(e)}
            for name, day, e in s.decided_by
        ],
        "timing": _timing(s),
        "cumulative": [
            {"date": day.isoformat(), "p_appointed_by": e.p, **interval(e)}
            for day, e in s.cumulative
        ],
        "members": [_member(report, m) for m in s.members],
        "demands": [
            {
                "member": d.member,
                "candidate": d.candidate,
                "description": d.description,
                "granted_by": d.granted_by,
                "p_granted": d.granted.p,
                "p_granted_ci": ci(d.granted),
            }
            for d in s.demands
        ],
        "candidates": [
            {
                "candidate": c.candidate,
                "p_appointed": c.appointed.p,
                "p_withdrawn": c.withdrawn.p,
                "median_withdrawal_date": iso(c.median_withdrawal),
                "name": c.name,
                "p_appointed_ci": ci(c.appointed),
                "p_withdrawn_ci": ci(c.withdrawn),
            }
            for c in s.candidates
        ],
        "p_appointment_needed_demand": s.needed_demand.p,
        "needed_demand": {**estimate(s.needed_demand), "appointments": s.needed_demand.n},
    }


def _provenance(report: RunReport) -> dict[str, Any]:
    run = report.run
    widest = report.summary.widest()
    return {
        "natosim_version": __version__,
        "scenario": report.scenario,
        "scenario_file": report.scenario_file,
        "scenario_sha256": report.scenario_sha256,
        "seed": run.seed,
        "trials": run.trials,
        "engine": run.engine,
        "workers": run.workers,
        "chunk_size": CHUNK_SIZE,
        "seconds": round(run.seconds, 3),
        "complete": report.complete,
        "stopped_by": report.stop.reason,
        "trials_requested": report.requested,
        "precision": report.stop.precision,
        "widest_half_width": widest[1].half_width if widest else None,
    }


def _timing(s: Summary) -> dict[str, str | None]:
    p10, median, p90 = s.timing
    return {"p10_date": iso(p10), "median_date": iso(median), "p90_date": iso(p90)}


def _member(report: RunReport, m: MemberRow) -> dict[str, Any]:
    return {
        "member": m.member,
        "p_ever_blocks": m.ever_blocks.p,
        "p_last_holdout": m.last_holdout.p,
        "mean_rounds_blocking": m.mean_rounds_blocking,
        "p_sole_blocker_at_hard_deadline": m.sole_blocker_at_hard.p,
        "name": report.member_name(m.member),
        "p_ever_blocks_winner": m.blocks_winner.p,
        "p_ever_blocks_ci": ci(m.ever_blocks),
        "p_ever_blocks_winner_ci": ci(m.blocks_winner),
        "p_last_holdout_ci": ci(m.last_holdout),
        "p_sole_blocker_at_hard_deadline_ci": ci(m.sole_blocker_at_hard),
    }


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
                    "values": [maybe_estimate(e) for e in row.values],
                    "differences": [difference(d) for d in row.differences],
                }
                for row in comparison.rows
            ],
            "median_dates": [d.isoformat() if d else None for d in comparison.median_dates],
            "top_holdouts": [
                {"member": top[0], "p_last_holdout": top[1].p} if top else None
                for top in comparison.top_holdouts
            ],
        },
        "runs": [report_json(r) for r in comparison.reports],
    }

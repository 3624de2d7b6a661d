"""A run's result as the JSON contract that later tools and checks read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from natosim import __version__
from natosim.engine.streams import CHUNK_SIZE
from natosim.runner import Run
from natosim.stats import Estimate, Summary, summarise


@dataclass(frozen=True)
class RunReport:
    """A run, its numbers, and what makes it reproducible."""

    scenario: str
    scenario_file: str
    scenario_sha256: str
    run: Run
    summary: Summary

    @classmethod
    def of(cls, run: Run, scenario: str, scenario_file: str, sha256: str) -> RunReport:
        """Summarise ``run`` of the named scenario."""
        return cls(scenario, scenario_file, sha256, run, summarise(run.model, run.tally))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _estimate(e: Estimate) -> dict[str, float]:
    low, high = e.interval
    return {"probability": e.p, "ci_low": low, "ci_high": high}


def to_json(report: RunReport) -> dict[str, Any]:
    """The JSON document of a run (see docs/reference/json.md)."""
    s = report.summary
    run = report.run
    p10, median, p90 = s.timing
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
        "outcomes": [{"outcome": name, **_estimate(e)} for name, e in s.outcomes],
        "deadlines": [
            {"name": name, "date": day.isoformat(), "p_decided_by": e.p, **_interval(e)}
            for name, day, e in s.decided_by
        ],
        "timing": {"p10_date": _iso(p10), "median_date": _iso(median), "p90_date": _iso(p90)},
        "members": [
            {
                "member": m.member,
                "p_ever_blocks": m.ever_blocks.p,
                "p_last_holdout": m.last_holdout.p,
                "mean_rounds_blocking": m.mean_rounds_blocking,
                "p_sole_blocker_at_hard_deadline": m.sole_blocker_at_hard.p,
            }
            for m in s.members
        ],
        "demands": [
            {
                "member": d.member,
                "candidate": d.candidate,
                "description": d.description,
                "granted_by": d.granted_by,
                "p_granted": d.granted.p,
            }
            for d in s.demands
        ],
        "candidates": [
            {
                "candidate": c.candidate,
                "p_appointed": c.appointed.p,
                "p_withdrawn": c.withdrawn.p,
                "median_withdrawal_date": _iso(c.median_withdrawal),
            }
            for c in s.candidates
        ],
        "p_appointment_needed_demand": s.needed_demand.p,
    }


def _interval(e: Estimate) -> dict[str, float]:
    low, high = e.interval
    return {"ci_low": low, "ci_high": high}

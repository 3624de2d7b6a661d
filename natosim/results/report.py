"""A run's result as the JSON contract that later tools and checks read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from natosim import __version__
from natosim.engine.streams import CHUNK_SIZE
from natosim.model.arrays import Model
from natosim.results.stats import Estimate, MemberRow, Summary, summarise
from natosim.run.chunks import Run

StopReason = Literal["trials", "precision", "max_trials", "interrupted"]
"""Why a run stopped: it ran the trials asked for, met ``--precision``, reached
``--max-trials`` first, or was interrupted (Ctrl-C)."""


@dataclass(frozen=True)
class Stop:
    """Why a run stopped where it did.

    Attributes:
        reason: See :data:`StopReason`.
        requested: Trials asked for; with a precision target, the ``--max-trials`` cap.
        precision: The target 95 % half-width of every probability, if one was set.
        by: What interrupted the run ("Ctrl-C", "SIGTERM", "SIGHUP"), if it was.
    """

    reason: StopReason = "trials"
    requested: int | None = None
    precision: float | None = None
    by: str = "Ctrl-C"


@dataclass(frozen=True)
class RunReport:
    """A run, its numbers, and what makes it reproducible."""

    scenario: str
    scenario_file: str
    scenario_sha256: str
    run: Run
    summary: Summary
    stop: Stop = field(default_factory=Stop)
    member_names: tuple[str, ...] = ()  # English names, in model member order, if known

    @classmethod
    def of(
        cls,
        run: Run,
        scenario: str,
        scenario_file: str,
        sha256: str,
        stop: Stop | None = None,
        member_names: tuple[str, ...] = (),
    ) -> RunReport:
        """Summarise ``run`` of the named scenario."""
        summary = summarise(run.model, run.tally)
        return cls(scenario, scenario_file, sha256, run, summary, stop or Stop(), member_names)

    @property
    def complete(self) -> bool:
        """False when the run was interrupted before the trials asked for."""
        return self.stop.reason != "interrupted"

    @property
    def requested(self) -> int:
        """The trials asked for (the cap, with a precision target)."""
        return self.stop.requested or self.run.trials

    def member_name(self, code: str) -> str:
        """``Hungary`` for ``HUN``, or the code when the name is not known."""
        names = dict(zip(self.run.model.members, self.member_names, strict=False))
        return names.get(code, code)


def reversion_when(model: Model) -> str:
    """When an undecided Council takes the reversion: ``at the hard deadline (2024-10-01)``,
    or, with a settling deadline, ``at Washington summit or 2024-10-01``."""
    hard = f" ({model.hard_date})" if model.hard_date else ""
    settling = [d.name for d in model.settling]
    if not settling:
        return f"at the hard deadline{hard}"
    return "at " + " or ".join([*settling, *([str(model.hard_date)] if model.hard_date else [])])


def sole_blocker_label(model: Model) -> str:
    """The heading of the sole blocker's probability: at the hard deadline, or the reversion."""
    return "at the reversion" if model.settling else "at the hard deadline"


def outcome_labels(model: Model) -> tuple[str, ...]:
    """What each outcome means, in outcome order: ``Mark Rutte appointed``, ``Extension …``."""
    when = reversion_when(model)
    return (
        *(f"{name} appointed" for name in model.candidate_names),
        f"Extension {when}",
        f"Vacancy {when}",
        f"No decision by {model.dates[-1]}",
    )


def outcome_short_labels(model: Model) -> tuple[str, ...]:
    """Short outcome names for narrow tables: ``Mark Rutte``, ``Extension``, …"""
    return (*model.candidate_names, "Extension", "Vacancy", "No decision")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _estimate(e: Estimate) -> dict[str, float]:
    low, high = e.interval
    return {"probability": e.p, "ci_low": low, "ci_high": high}


def _interval(e: Estimate) -> dict[str, float]:
    low, high = e.interval
    return {"ci_low": low, "ci_high": high}


def _ci(e: Estimate) -> list[float]:
    return list(e.interval)


def to_json(report: RunReport) -> dict[str, Any]:
    """The JSON document of a run (see docs/reading-the-report.md)."""
    s = report.summary
    return {
        **_provenance(report),
        "outcomes": [
            {"outcome": name, **_estimate(e), "label": label, "count": e.count}
            for (name, e), label in zip(s.outcomes, outcome_labels(report.run.model), strict=True)
        ],
        "deadlines": [
            {"name": name, "date": day.isoformat(), "p_decided_by": e.p, **_interval(e)}
            for name, day, e in s.decided_by
        ],
        "timing": _timing(s),
        "cumulative": [
            {"date": day.isoformat(), "p_appointed_by": e.p, **_interval(e)}
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
                "p_granted_ci": _ci(d.granted),
            }
            for d in s.demands
        ],
        "candidates": [
            {
                "candidate": c.candidate,
                "p_appointed": c.appointed.p,
                "p_withdrawn": c.withdrawn.p,
                "median_withdrawal_date": _iso(c.median_withdrawal),
                "name": c.name,
                "p_appointed_ci": _ci(c.appointed),
                "p_withdrawn_ci": _ci(c.withdrawn),
            }
            for c in s.candidates
        ],
        "p_appointment_needed_demand": s.needed_demand.p,
        "needed_demand": {**_estimate(s.needed_demand), "appointments": s.needed_demand.n},
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
    return {"p10_date": _iso(p10), "median_date": _iso(median), "p90_date": _iso(p90)}


def _member(report: RunReport, m: MemberRow) -> dict[str, Any]:
    return {
        "member": m.member,
        "p_ever_blocks": m.ever_blocks.p,
        "p_last_holdout": m.last_holdout.p,
        "mean_rounds_blocking": m.mean_rounds_blocking,
        "p_sole_blocker_at_hard_deadline": m.sole_blocker_at_hard.p,
        "name": report.member_name(m.member),
        "p_ever_blocks_winner": m.blocks_winner.p,
        "p_ever_blocks_ci": _ci(m.ever_blocks),
        "p_ever_blocks_winner_ci": _ci(m.blocks_winner),
        "p_last_holdout_ci": _ci(m.last_holdout),
        "p_sole_blocker_at_hard_deadline_ci": _ci(m.sole_blocker_at_hard),
    }

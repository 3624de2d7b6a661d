"""The JSON documents of the studies: what-if, sensitivity and back-test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from natosim import __version__
from natosim.engine.records import LogEntry
from natosim.model.arrays import Model, Stance
from natosim.output.json.run import report_json
from natosim.output.json.values import estimate, iso, plain
from natosim.results.measures import Measure
from natosim.results.stats import Estimate
from natosim.studies.backtest import Backtest, Case, averages, bodies
from natosim.studies.explain import Explanation
from natosim.studies.scoring import FLOOR, TOP, Mean
from natosim.studies.sensitivity import Sensitivity
from natosim.studies.sweep import Sweep
from natosim.studies.whatif import Difference, WhatIf


def whatif_json(found: WhatIf) -> dict[str, Any]:
    """The JSON document of a comparison: the edits, the differences and both runs."""
    run = found.base.run
    return {
        "natosim_version": __version__,
        "scenario": found.base.scenario,
        "scenario_file": found.base.scenario_file,
        "scenario_sha256": found.base.scenario_sha256,
        "variant_sha256": found.variant.scenario_sha256,
        "set": [{"path": path, "value": plain(value)} for path, value in found.assignments],
        "seed": run.seed,
        "trials": run.trials,
        "engine": run.engine,
        "differences": [_difference_json(d) for d in found.differences],
        "base": report_json(found.base),
        "variant": report_json(found.variant),
    }


def _difference_json(d: Difference) -> dict[str, Any]:
    unit = "probability" if d.unit == "probability" else "days"
    paired, unpaired = d.paired or (None, None), d.unpaired or (None, None)
    return {
        "measure": d.measure,
        "label": d.label,
        "base": plain(d.base),
        "variant": plain(d.variant),
        "difference": d.difference,
        "unit": unit,
        "ci_low": paired[0],
        "ci_high": paired[1],
        "unpaired_ci_low": unpaired[0],
        "unpaired_ci_high": unpaired[1],
    }


def backtest_json(backtest: Backtest) -> dict[str, Any]:
    """The JSON document of a back-test (scores as defined in docs/validation.md)."""
    return {
        "natosim_version": __version__,
        "trials": backtest.trials,
        "log_score_floor": FLOOR,
        "holdout_top": TOP,
        "cases": [_case_json(case) for case in backtest.cases],
        "skipped": [{"file": f, "reason": why} for f, why in backtest.skipped],
        "averages": _means(averages(backtest)),
        "by_body": {body: _means(averages(backtest, body)) for body in bodies(backtest)},
    }


def _means(found: dict[str, dict[str, Mean]]) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        name: {key: {"mean": m.value, "n": m.n} for key, m in means.items()}
        for name, means in found.items()
    }


def _case_json(case: Case) -> dict[str, Any]:
    low, high = case.p_observed.interval
    return {
        "file": case.file,
        "body": case.body,
        "scenario": case.scenario,
        "as_of": case.as_of.isoformat(),
        "seed": case.seed,
        "trials": case.trials,
        "observed": {
            "outcome": case.outcome.appointed,
            "date": case.outcome.date.isoformat() if case.outcome.date else None,
            "timing_bin": case.observed.timing_bin,
            "last_holdout": case.outcome.last_holdout,
        },
        "timing_bins": list(case.bins.labels),
        "p_observed": {"probability": case.p_observed.p, "ci_low": low, "ci_high": high},
        "top_holdouts": [{"member": m, "p_last_holdout": e.p} for m, e in case.top_holdouts],
        "front_runner": case.front_runner,
        "forecasts": {
            name: {
                "outcomes": dict(zip(case.outcome_names, f.outcomes, strict=True)),
                "timing": list(f.timing),
                "scores": asdict(case.scores[name]),
            }
            for name, f in case.forecasts.items()
        },
    }


def sensitivity_json(result: Sensitivity) -> dict[str, Any]:
    """The analysis as plain data, every number in the measure's units."""
    return {
        "natosim_version": __version__,
        "scenario": result.loaded.scenario.name,
        "scenario_file": result.loaded.label,
        "scenario_sha256": result.loaded.sha256,
        "measure": result.measure.id,
        "method": result.method,
        "samples": result.samples,
        "seed": result.seed,
        "trials": result.trials,
        "evaluations": result.evaluations,
        "base": result.base,
        "base_se": result.base_se,
        "spread": vars(result.spread),
        "effects": [
            {
                "range": e.parameter.name,
                "low": e.parameter.low,
                "high": e.parameter.high,
                "index": e.index,
                "conf": e.conf,
                **e.stats,
                "at_low": e.at_low,
                "at_high": e.at_high,
            }
            for e in result.effects
        ],
        "fixed": [r.name for r in result.fixed],
    }


def sweep_json(sweep: Sweep, measures: Sequence[Measure]) -> dict[str, Any]:
    """The sweep's grid and, at every point, each measure with its 95 % interval."""
    first = sweep.reports[0]
    return {
        "natosim_version": __version__,
        "scenario": first.scenario,
        "scenario_file": sweep.loaded.label,
        "scenario_sha256": sweep.loaded.sha256,
        "seed": sweep.seed,
        "trials": sweep.trials,
        "engine": sweep.engine,
        "vary": [{"path": path, "values": plain(list(values))} for path, values in sweep.varies],
        "measures": [{"id": m.id, "label": m.label, "kind": m.kind} for m in measures],
        "points": [
            {
                "values": plain(list(point)),
                "variant_sha256": report.scenario_sha256,
                "measures": {m.id: _measure(m.read(report.summary)) for m in measures},
            }
            for point, report in zip(sweep.points, sweep.reports, strict=True)
        ],
    }


def _measure(value: Estimate | dt.date | None) -> dict[str, Any] | str | None:
    if isinstance(value, Estimate):
        return estimate(value)
    return iso(value)


def explanation_json(found: Explanation) -> dict[str, Any]:
    """One simulated trial: how it ended, how it was picked, and every logged change."""
    model = found.model
    selection = found.selection
    return {
        "natosim_version": __version__,
        "scenario": found.scenario,
        "seed": found.seed,
        "engine": found.engine,
        "trial": found.trial,
        "outcome": model.outcome_names[found.outcome],
        "decision_round": found.decision_round,
        "decision_date": model.dates[found.decision_round].isoformat(),
        "selection": None if selection is None else asdict(selection),
        "events": [_entry(model, entry) for entry in found.log],
    }


def _entry(model: Model, entry: LogEntry) -> dict[str, Any]:
    stances = [s.name.lower() for s in Stance]
    return {
        "round": entry.round,
        "date": model.dates[entry.round].isoformat(),
        "what": entry.what,
        "why": entry.why,
        "member": model.members[entry.member] if entry.member >= 0 else None,
        "candidate": model.candidates[entry.candidate] if entry.candidate >= 0 else None,
        "old": stances[entry.old] if entry.what == "stance" and entry.old >= 0 else None,
        "new": stances[entry.new] if entry.what == "stance" and entry.new >= 0 else None,
    }

"""The JSON documents of the studies: what-if, sensitivity and back-test."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from natosim import __version__
from natosim.output.json.run import report_json
from natosim.output.json.values import plain
from natosim.studies.backtest import Backtest, Case, averages
from natosim.studies.scoring import FLOOR, TOP
from natosim.studies.sensitivity import Sensitivity
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
        "averages": {
            name: {key: {"mean": m.value, "n": m.n} for key, m in means.items()}
            for name, means in averages(backtest).items()
        },
    }


def _case_json(case: Case) -> dict[str, Any]:
    low, high = case.p_observed.interval
    return {
        "file": case.file,
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

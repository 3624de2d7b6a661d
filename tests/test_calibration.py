"""The calibration set is sourced, apart from the back-test, and reproduces its committed fit."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).parent.parent
CALIBRATION = ROOT / "calibration"
RESULT = CALIBRATION / "fit-result.json"
REL_TOL = 1e-4  # committed floats against a fresh run; ABS_TOL for values near zero
ABS_TOL = 1e-6

# Words that name a back-test case (docs/validation.md). An episode whose id or decision
# contains one of them would let the back-test measure the tuning rather than the model.
BACKTEST_KEYWORDS = ("finland", "sweden", "stoltenberg", "rutte", "extension")
BACKTEST_SG_YEARS = (2014, 2023, 2024)


def load_fit() -> ModuleType:
    """Import calibration/fit.py, which is a script rather than a package module."""
    spec = importlib.util.spec_from_file_location("calibration_fit", CALIBRATION / "fit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fit = load_fit()


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    from ruamel.yaml import YAML

    loaded: dict[str, Any] = YAML(typ="safe").load((CALIBRATION / "episodes.yaml").read_text())
    return loaded


@pytest.fixture(scope="module")
def fresh() -> dict[str, Any]:
    result: dict[str, Any] = fit.run()
    return result


def walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every dict in ``node`` with its path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}[{i}]")


# --------------------------------------------------------------------------- (a) well formed


def test_every_episode_has_the_fields_the_fit_reads(data: dict[str, Any]) -> None:
    ids = [e["id"] for e in data["episodes"]]
    assert len(ids) == len(set(ids)) >= 8
    for episode in data["episodes"]:
        assert episode["body"] in ("NATO", "EU"), episode["id"]
        assert episode["decision"] and episode["deadlines"], episode["id"]
        assert episode["members"]["count"] > len(episode["holdouts"]), episode["id"]
        for holdout in episode["holdouts"]:
            assert len(holdout["member"]) == 3 and holdout["member"].isupper()
            assert holdout["start"]["date"] < holdout["end"]["date"], episode["id"]
            assert holdout["exit"] in fit.EXITS
            assert holdout["how"].strip()
            assert holdout["lift_class"]["value"] in ("entrenched", "ordinary")
            assert holdout["grant_class"]["value"] in fit.GRANT_CLASSES
        for deadline in episode["deadlines"]:
            assert deadline["kind"] in fit.PRESSURE


def test_every_date_and_fact_names_a_known_source(data: dict[str, Any]) -> None:
    known = data["sources"]
    checked = 0
    for path, node in walk(data["episodes"]):
        if "date" in node or "text" in node or "count" in node:
            assert node.get("sources"), f"{path} has no source"
            missing = [s for s in node["sources"] if s not in known]
            assert not missing, f"{path} cites unknown sources {missing}"
            checked += 1
        if "date" in node:
            assert isinstance(node["date"], dt.date), path
    assert checked > 50


def test_every_classification_and_date_note_states_its_judgement(data: dict[str, Any]) -> None:
    for path, node in walk(data["episodes"]):
        if "value" in node or path.endswith(".date_note"):
            assert str(node.get("judgement", "")).strip(), f"{path} gives no reason"


def test_sources_have_a_title_and_address_and_are_all_cited(data: dict[str, Any]) -> None:
    cited = {s for _, node in walk(data["episodes"]) for s in node.get("sources", [])}
    for key, source in data["sources"].items():
        assert source["title"].strip(), key
        assert source["url"].startswith(("http://", "https://")), key
    assert cited == set(data["sources"])


# --------------------------------------------------------------------------- (b) reproduction


def close(a: Any, b: Any, where: str = "") -> list[str]:
    """Where ``a`` and ``b`` differ beyond the tolerances (floats) or at all (the rest)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys differ"]
        return [d for k in a for d in close(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: lengths differ"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in close(x, y, f"{where}[{i}]")
        ]
    if isinstance(a, float) or isinstance(b, float):
        ok = math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=ABS_TOL)
        return [] if ok else [f"{where}: {a} != {b}"]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def test_the_committed_result_is_what_the_script_computes(fresh: dict[str, Any]) -> None:
    committed = json.loads(RESULT.read_text(encoding="utf-8"))
    rerun = json.loads(json.dumps(fresh))
    differences = close(committed, rerun)
    assert not differences, "\n".join(differences[:20])


def test_the_tolerance_check_notices_a_changed_estimate(fresh: dict[str, Any]) -> None:
    changed = json.loads(json.dumps(fresh))
    changed["estimates"][0]["estimate"] *= 1.001
    assert close(fresh, changed)


def test_the_score_is_the_gradient_of_the_likelihood() -> None:
    rounds = fit.flatten(fit.build_spells(fit.load_episodes()))
    theta = np.array([2.0, 0.7, -6.0, -4.0, -5.5])
    step = 1e-6
    numeric = [
        (
            fit.log_likelihood(theta + step * e, rounds)
            - fit.log_likelihood(theta - step * e, rounds)
        )
        / (2 * step)
        for e in np.eye(5)
    ]
    np.testing.assert_allclose(fit.score(theta, rounds), numeric, rtol=1e-5, atol=1e-6)


def test_a_one_round_grant_scores_its_probability() -> None:
    spell = fit.Spell(
        episode="toy",
        member="AAA",
        exit="grant",
        grant_class=1,
        pi=np.array([math.log(3.0)]),
        inv_b=np.array([1.0]),
        z=np.array([1.0]),
    )
    theta = np.array([1.0, 1.0, math.log(0.01), math.log(0.05), math.log(0.02)])
    expected = math.log(1.0 - math.exp(-0.05 * 3.0))
    assert fit.log_likelihood(theta, fit.flatten([spell])) == pytest.approx(expected)


# ------------------------------------------------------------ (c) apart from the back-test


def backtest_overlap(episode: dict[str, Any]) -> list[str]:
    """The reasons ``episode`` may be, or be part of, a back-test case."""
    text = f"{episode['id']} {episode['decision']}".lower()
    reasons = [word for word in BACKTEST_KEYWORDS if word in text]
    years = {h["start"]["date"].year for h in episode["holdouts"]}
    years |= {h["end"]["date"].year for h in episode["holdouts"]}
    secretary_general = "secretary general" in text or "-sg-" in text
    if episode["body"] == "NATO" and secretary_general and years & set(BACKTEST_SG_YEARS):
        reasons.append("NATO Secretary General selection in a back-test year")
    return reasons


def test_no_episode_is_a_backtest_case(data: dict[str, Any]) -> None:
    overlaps = {e["id"]: backtest_overlap(e) for e in data["episodes"]}
    assert not {k: v for k, v in overlaps.items() if v}


@pytest.mark.parametrize(
    ("episode_id", "decision", "year"),
    [
        ("tur-sweden-ratification", "Ratification of Sweden's accession", 2023),
        ("hun-fin", "Ratification of Finland's accession protocol", 2023),
        ("rou-nato-sg-2024", "Appointment of the NATO Secretary General", 2024),
        ("sg-2023", "Extension of the Secretary General's term", 2023),
    ],
)
def test_the_overlap_check_recognises_backtest_cases(
    episode_id: str, decision: str, year: int
) -> None:
    day = dt.date(year, 3, 1)
    fake = {
        "id": episode_id,
        "body": "NATO",
        "decision": decision,
        "holdouts": [{"start": {"date": day}, "end": {"date": day + dt.timedelta(days=30)}}],
    }
    assert backtest_overlap(fake)


# --------------------------------------------------------------------------- (d) against the null


def test_deadline_pressure_beats_a_model_without_it(fresh: dict[str, Any]) -> None:
    nulls = fresh["null_models"]
    assert nulls["lr_statistic"] > fit.CHI2_95
    assert fresh["log_likelihood"] > nulls["no_deadline_no_isolation_log_likelihood"]
    assert fresh["estimates"][0]["low"] > 0.0


def test_the_fit_beats_the_current_shared_table(fresh: dict[str, Any]) -> None:
    assert fresh["log_likelihood"] > fresh["current_table_log_likelihood"] + 10.0


def test_isolation_and_influence_are_not_identified(fresh: dict[str, Any]) -> None:
    """What is true of the data: neither held strength moves the likelihood by 1.92."""
    drops = [p["drop"] for p in fresh["profiles"]["isolation"]]
    drops += [abs(p["drop"]) for p in fresh["profiles"]["influence"]]
    assert max(drops) < fit.CHI2_95 / 2.0

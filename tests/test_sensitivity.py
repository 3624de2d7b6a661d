"""``natosim sensitivity``: rankings that must come out, exact zeros, and the documented example.

The scenario ONE_MATTERS has three ranges, of which only Hungary's lift rate can change
anything: the only candidate is always the front-runner, so it never withdraws, and with
influence switched off clout counts for nothing. With every dynamics strength at 0 and no
other blocker, P(appointed by round T) = 1 - (1 - lift_rate)^T exactly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import printed, within
from typer.testing import CliRunner

from natosim.cli import app
from natosim.errors import UserError
from natosim.model.prepared import prepare
from natosim.studies.sensitivity import Sensitivity, analyse, pick_measure, plan

ROOT = Path(__file__).parent.parent
HOWTO = ROOT / "docs" / "how-to" / "find-the-assumptions-that-matter.md"
TRIALS = 4096
ONE_MATTERS = """\
name: Only Hungary's lift rate matters
start: 2030-01-07
end: 2030-04-01
deadlines:
  - {name: Summit, date: 2030-03-04}
candidates:
  berg:
    name: Anna Berg
    home: DEU
    withdraws: {rate: {low: 0.0, high: 0.5}}
members:
  HUN: {stance: object, lift_rate: {low: 0.02, high: 0.3}}
  USA: {clout: {low: 1, high: 50}}
dynamics: {deadline_pressure: 0, isolation: 0, influence: 0}
simulation: {seed: 7}
"""
SUMMIT_ROUND = 8  # 2030-03-04 is eight weeks after 2030-01-07
IDLE = ("candidates.berg.withdraws.rate", "members.USA.clout")


@pytest.fixture
def one_matters(tmp_path: Path) -> Path:
    path = tmp_path / "one.yaml"
    path.write_text(ONE_MATTERS, encoding="utf-8")
    return path


def run(path: Path, method: str = "morris", samples: int = 4, workers: int = 1) -> Sensitivity:
    prepared = prepare(path)
    measure = pick_measure(prepared.model, None)
    return analyse(prepared.loaded, measure, method, samples, TRIALS, workers=workers)


def test_the_range_that_matters_ranks_first_and_the_others_get_exactly_zero(
    one_matters: Path,
) -> None:
    result = run(one_matters)
    assert result.measure.id == "by-summit"
    assert result.effects[0].parameter.name == "members.HUN.lift_rate"
    assert result.effects[0].index > 0.5  # 0.15 to 0.94 over the range
    idle = {e.parameter.name: e for e in result.effects[1:]}
    assert sorted(idle) == sorted(IDLE)
    for effect in idle.values():
        assert effect.index == 0.0  # common random numbers: nothing else changes
        assert effect.at_low == effect.at_high == result.base


def test_one_at_a_time_ends_match_the_closed_form(one_matters: Path) -> None:
    effect = run(one_matters).effects[0]
    for lift, value in ((0.02, effect.at_low), (0.3, effect.at_high)):
        exact = 1 - (1 - lift) ** SUMMIT_ROUND
        assert within(value, exact, TRIALS), (lift, value, exact)


def test_sobol_gives_the_range_that_matters_all_the_variance(one_matters: Path) -> None:
    result = run(one_matters, "sobol", samples=8)
    assert result.samples == 8
    assert result.evaluations == 8 * (3 + 2) + 2 * 3 + 1
    first, *rest = result.effects
    assert first.parameter.name == "members.HUN.lift_rate"
    assert first.stats["ST"] > 0.9
    assert all(e.stats["ST"] == 0.0 for e in rest)


def test_parameter_spread_and_monte_carlo_noise_are_reported_apart(one_matters: Path) -> None:
    result = run(one_matters)
    assert result.spread.n == 4 * (3 + 1)
    assert result.spread.p5 < result.base < result.spread.p95
    assert result.spread.sd > 10 * result.spread.mc_se
    assert 0 < result.spread.mc_se <= 0.5 / TRIALS**0.5  # binomial, at most sqrt(1/4 / n)


def test_the_result_does_not_depend_on_the_number_of_workers(one_matters: Path) -> None:
    one, two = run(one_matters, samples=2), run(one_matters, samples=2, workers=2)
    assert [(e.parameter, e.stats, e.at_low) for e in one.effects] == [
        (e.parameter, e.stats, e.at_low) for e in two.effects
    ]


def test_a_scenario_without_ranges_is_refused_with_a_hint() -> None:
    prepared = prepare(ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml")
    with pytest.raises(UserError, match=r"no ranges to vary.*\{low: 0.02, high: 0.08\}"):
        plan(prepared.loaded, "morris", 4)


def test_measures_default_to_the_first_soft_deadline_and_unknown_ones_are_refused() -> None:
    model = prepare(ROOT / "natosim" / "scenarios" / "nato-2024-rutte-ranges.yaml").model
    assert pick_measure(model, None).id == "by-washington-summit"
    assert pick_measure(model, "median").kind == "date"
    with pytest.raises(UserError, match="not a measure"):
        pick_measure(model, "by-christmas")


def test_an_undefined_date_measure_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "never.yaml"
    path.write_text(ONE_MATTERS.replace("{low: 0.02, high: 0.3}", "{low: 0.0, high: 0.02}"))
    prepared = prepare(path)
    with pytest.raises(UserError, match="undefined in"):
        analyse(
            prepared.loaded, pick_measure(prepared.model, "median"), "morris", 2, 100, workers=1
        )


def test_plan_counts_the_runs() -> None:
    loaded = prepare(ROOT / "natosim" / "scenarios" / "nato-2024-rutte-ranges.yaml").loaded
    d = 12
    assert plan(loaded, "morris", 10) == (10, 10 * (d + 1) + 2 * d + 1)
    assert plan(loaded, "sobol", 50) == (64, 64 * (d + 2) + 2 * d + 1)


def test_the_command_prints_the_ranking_and_json(one_matters: Path) -> None:
    runner = CliRunner()
    args = ["sensitivity", str(one_matters), "--samples", "2", "--workers", "1"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "1   members.HUN.lift_rate" in table.output
    assert "Tornado" in table.output
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert data["effects"][0]["range"] == "members.HUN.lift_rate"
    assert data["seed"] == 7
    assert data["trials"] == TRIALS


def test_the_command_refuses_a_scenario_without_ranges() -> None:
    result = CliRunner().invoke(
        app, ["sensitivity", str(ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml")]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, UserError)


EXAMPLE_COMMAND = "natosim sensitivity nato-2024-rutte-ranges --samples 4"
BLOCK = re.compile(r"```console\n\$ (natosim sensitivity [^\n]*)\n(.*?)```", re.S)


def test_the_how_to_shows_what_the_example_prints(update_golden: bool) -> None:
    page = HOWTO.read_text(encoding="utf-8")
    found = BLOCK.search(page)
    assert found is not None and found[1] == EXAMPLE_COMMAND
    output = printed(EXAMPLE_COMMAND, with_stderr=False)
    # The page's prose names the first and the last of the ranking.
    assert re.search(r"^ +1 +dynamics\.deadline_pressure ", output, re.M)
    assert re.search(r"^ +2 +deadlines\.0\.pressure ", output, re.M)
    assert re.search(r"^ +4 +members\.HUN\.stance\.rutte\.object ", output, re.M)
    assert re.search(r"^ +12 +defaults\.lift_rate ", output, re.M)
    if update_golden:
        HOWTO.write_text(page[: found.start(2)] + output + page[found.end(2) :], encoding="utf-8")
    else:
        assert found[2] == output, "the how-to is stale: run pytest with --update-golden"

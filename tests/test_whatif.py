"""What-if comparisons: paired differences on common random numbers, and the command."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from helpers import run_natosim
from typer.testing import CliRunner

from natosim.cli import app
from natosim.model.prepared import Prepared, prepare
from natosim.results.paired import paired_difference
from natosim.results.stats import Z95
from natosim.studies.whatif import Difference, WhatIf, run_whatif

SCENARIO = Path(__file__).parent.parent / "natosim" / "scenarios" / "nato-2024-rutte.yaml"
TRIALS = 4096


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(SCENARIO)


@pytest.fixture(scope="module")
def harder_hungary(prepared: Prepared) -> WhatIf:
    """A real variant: Hungary objects more often (0.6 instead of 0.4, the rest acquiescing)."""
    stance = {"object": 0.6, "conditional": 0.4}
    return run_whatif(prepared, [("members.HUN.stance.rutte", stance)], TRIALS, seed=11, workers=1)


def by_id(found: WhatIf) -> dict[str, Difference]:
    return {d.measure: d for d in found.differences}


def width(interval: tuple[float, float] | None) -> float:
    assert interval is not None
    return interval[1] - interval[0]


def test_paired_difference_matches_a_hand_computed_value() -> None:
    a = np.array([1, 1, 0, 0], dtype=bool)
    b = np.array([1, 0, 0, 1], dtype=bool)
    mean, paired, unpaired = paired_difference(a, b)
    # differences 0, -1, 0, 1: mean 0, sample variance 2/3, standard error sqrt(2/3 / 4)
    assert mean == 0.0
    assert paired == pytest.approx((-Z95 * math.sqrt(1 / 6), Z95 * math.sqrt(1 / 6)))
    # each run has p = 1/2: unpaired standard error sqrt(2 * 1/4 / 4)
    assert unpaired == pytest.approx((-Z95 * math.sqrt(1 / 8), Z95 * math.sqrt(1 / 8)))


def test_the_paired_interval_is_narrower_than_the_unpaired_one(harder_hungary: WhatIf) -> None:
    rows = by_id(harder_hungary)
    for measure in ("rutte", "by-washington-summit", "holdout-HUN"):
        d = rows[measure]
        assert width(d.paired) < 0.9 * width(d.unpaired), measure
    assert rows["rutte"].difference is not None and rows["rutte"].difference < 0
    # docs/model.md, "Randomness and reproducibility": less than half as wide.
    assert width(rows["rutte"].paired) < 0.5 * width(rows["rutte"].unpaired)


def test_differences_agree_with_the_two_runs_reports(harder_hungary: WhatIf) -> None:
    rows = by_id(harder_hungary)
    base, variant = harder_hungary.base.summary, harder_hungary.variant.summary
    for name, estimate in base.outcomes:
        assert rows[name].base == estimate.p
    for (name, e_base), (_, e_variant) in zip(base.outcomes, variant.outcomes, strict=True):
        assert rows[name].difference == pytest.approx(e_variant.p - e_base.p)
    assert rows["median"].base == base.timing[1]
    assert rows["median"].variant == variant.timing[1]


def test_a_no_op_set_gives_exactly_zero_differences(prepared: Prepared) -> None:
    found = run_whatif(prepared, [("dynamics.isolation", 1.0)], 2000, seed=3, workers=1)
    assert found.variant.scenario_sha256 == found.base.scenario_sha256
    for d in found.differences:
        assert d.difference == 0.0, d.measure
        assert d.paired == (0.0, 0.0), d.measure
    assert np.array_equal(found.base.run.outcome, found.variant.run.outcome)


def test_the_median_date_moves_by_whole_rounds(prepared: Prepared) -> None:
    found = run_whatif(prepared, [("dynamics.deadline_pressure", 0)], 2000, seed=3, workers=1)
    median = by_id(found)["median"]
    assert median.unit == "date" and median.paired is not None and median.unpaired is not None
    for value in (median.difference, *median.paired, *median.unpaired):
        assert value is not None and value % 7 == 0
    assert median.paired[0] <= median.difference <= median.paired[1]


def test_the_command_prints_the_table_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["whatif", str(SCENARIO), "--set", "members.HUN.stance.rutte=support"]
    args += ["--trials", "1000", "--seed", "2", "--workers", "1"]
    table = runner.invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert table.exit_code == 0, table.output
    assert "What if members.HUN.stance.rutte = support?" in table.output
    assert "HUN last holdout" in table.output
    document = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    assert document["set"] == [{"path": "members.HUN.stance.rutte", "value": "support"}]
    rutte = next(d for d in document["differences"] if d["measure"] == "rutte")
    assert rutte["ci_low"] <= rutte["difference"] <= rutte["ci_high"]
    assert rutte["unpaired_ci_low"] <= rutte["ci_low"]
    assert document["base"]["trials"] == document["variant"]["trials"] == 1000


def test_whatif_json_names_members_as_run_does() -> None:
    args = ["whatif", str(SCENARIO), "--set", "members.HUN.stance.rutte=support"]
    args += ["--trials", "500", "--seed", "2", "--workers", "1", "--format", "json"]
    document = json.loads(CliRunner().invoke(app, args).output)
    run_args = ["run", str(SCENARIO), "--trials", "500", "--format", "json"]
    run = json.loads(CliRunner().invoke(app, run_args).output)
    names = {m["member"]: m["name"] for m in run["members"]}
    assert names["ROU"] == "Romania"
    for side in ("base", "variant"):
        shown = {m["member"]: m["name"] for m in document[side]["members"]}
        assert shown["ROU"] == "Romania"
        assert all(names.get(code, name) == name for code, name in shown.items())


def test_whatif_refuses_a_format_it_cannot_write() -> None:
    args = ["whatif", str(SCENARIO), "--set", "dynamics.deadline_pressure=0", "--format", "yaml"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "table" in result.output and "markdown" in result.output


def test_whatif_csv_and_markdown_hold_the_json_numbers() -> None:
    args = ["whatif", str(SCENARIO), "--set", "members.HUN.stance.rutte=object"]
    args += ["--trials", "1000", "--seed", "2", "--workers", "1", "--format"]
    document = json.loads(CliRunner().invoke(app, [*args, "json"]).output)
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(app, [*args, "csv"]).output)))
    assert [r["measure"] for r in rows] == [d["measure"] for d in document["differences"]]
    rutte = next(d for d in document["differences"] if d["measure"] == "rutte")
    row = next(r for r in rows if r["measure"] == "rutte")
    assert float(row["difference"]) == rutte["difference"]
    assert row["set"] == "members.HUN.stance.rutte=object"
    markdown = CliRunner().invoke(app, [*args, "markdown"]).output
    assert "**What if members.HUN.stance.rutte = object?**" in markdown
    cell = f"{100 * rutte['difference']:+.1f} pp".replace("-", "−")
    assert f"| Mark Rutte appointed | {100 * rutte['base']:.1f} % |" in markdown
    assert cell in markdown


@pytest.mark.parametrize(
    "edit",
    [("deadlines", []), ("deadlines.0.name", "Vilnius"), ("end", "2025-06-30")],
)
def test_a_variant_may_drop_rename_or_move_deadlines_and_the_end(
    prepared: Prepared, edit: tuple[str, object]
) -> None:
    """The deadlines measured are the base's, in both runs; a longer run shares its dates."""
    found = run_whatif(prepared, [edit], 2000, seed=3, workers=1)
    rows = by_id(found)
    assert "by-washington-summit" in rows and rows["median"].base is not None
    if edit[0] != "end":
        assert rows["by-washington-summit"].difference is not None


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("extends=other.yaml", "--set extends  cannot be set: the files a scenario extends"),
        ("round_days=1", "error: --set round_days: the variant's rounds fall on other dates"),
    ],
)
def test_edits_that_cannot_be_compared_are_refused(option: str, message: str) -> None:
    result = run_natosim("whatif", str(SCENARIO), "--set", option, "--trials", "100")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(message)


def test_a_stance_edit_that_an_endorsement_overrides_is_pointed_out(prepared: Prepared) -> None:
    """The United States endorses Rutte before the start: editing its stance changes nothing."""
    found = run_whatif(prepared, [("members.USA.stance.rutte", "object")], 4096, seed=3, workers=1)
    assert all(d.difference in (0, None) for d in found.differences)
    assert found.notes == (
        "--set members.USA.stance.rutte: changes nothing, because an endorsement dated on or "
        "before the start sets USA's stance on rutte; edit or remove that event instead",
    )


def test_a_stance_edit_that_shows_gets_no_note(harder_hungary: WhatIf) -> None:
    assert harder_hungary.notes == ()

"""The report's pieces: number formats, paired differences, growing and interrupted runs,
the chart, the comparison and atomic output."""

from __future__ import annotations

import dataclasses
import math
import os
import stat
import threading
from pathlib import Path

import numpy as np
import pytest
from helpers import tiny_model

from natosim.engine.streams import CHUNK_SIZE
from natosim.errors import UserError
from natosim.model.prepared import Prepared, prepare
from natosim.output.tables.cells import bar, interval, percent, points, points_plus_minus
from natosim.output.tables.chart import cumulative_chart
from natosim.output.text.files import check_writable, output_target, write_atomic, write_output
from natosim.results.compare import compare
from natosim.results.precision import Settings, _next_target, run_report
from natosim.results.report import RunReport, outcome_labels
from natosim.results.stats import Estimate, paired_difference, unpaired_difference, wilson
from natosim.trials.chunks import Run, RunInterrupted, extend_run, run_model

ROOT = Path(__file__).parent.parent
SCENARIO = ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml"
VARIANT = ROOT / "tests" / "golden" / "hungary-supports.yaml"


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(SCENARIO)


# --- how numbers read -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "n", "text"),
    [
        (0, 1000, "0 %"),
        (1000, 1000, "100 %"),
        (1, 10_000, "<0.1 %"),
        (9_999, 10_000, ">99.9 %"),
        (912, 1000, "91.2 %"),
        (5, 1000, "0.5 %"),
    ],
)
def test_percent_says_exactly_zero_only_when_no_trial(count: int, n: int, text: str) -> None:
    assert percent(Estimate(count, n)) == text


def test_intervals_are_rounded_outwards() -> None:
    e = Estimate(7449, 10_000)
    low, high = wilson(7449, 10_000)
    text = interval(e)
    shown_low, shown_high = (float(part) / 100 for part in text.split("–"))
    assert shown_low <= low and shown_high >= high
    assert shown_high - shown_low <= high - low + 0.002
    assert interval(Estimate(0, 8192)) == "0.0–0.1"  # the upper end 0.047 % rounds up


def test_bar_lengths_in_eighths() -> None:
    assert bar(1.0, 20) == "█" * 20
    assert bar(0.0, 20) == ""
    assert bar(0.5, 4) == "██"
    assert bar(0.0625, 2) == "▏"  # one eighth of 2 cells


def test_differences_read_in_percentage_points_with_a_true_minus() -> None:
    d = paired_difference(np.array([True, False] * 50), np.array([True, True] * 50))
    assert points(d).startswith("+50.0 (")
    assert points_plus_minus(dataclasses.replace(d, mean=-d.mean)).startswith("−50.0 ±")


# --- differences ------------------------------------------------------------------------------


def test_paired_difference_matches_a_hand_computation() -> None:
    a = np.array([1, 1, 0, 0, 1, 0, 1, 0], dtype=bool)
    b = np.array([1, 0, 1, 0, 1, 1, 1, 0], dtype=bool)
    d = b.astype(float) - a.astype(float)  # 0, -1, 1, 0, 0, 1, 0, 0: mean 1/8
    sd = math.sqrt(((d - d.mean()) ** 2).sum() / 7)
    result = paired_difference(a, b)
    assert result.mean == pytest.approx(0.125)
    assert result.high - result.mean == pytest.approx(1.959963984540054 * sd / math.sqrt(8))
    assert result.paired and result.n == 8


def test_paired_difference_uses_the_trials_both_ran() -> None:
    a = np.ones(10, dtype=bool)
    b = np.zeros(6, dtype=bool)
    assert paired_difference(a, b).n == 6
    assert paired_difference(a, b).mean == -1.0


def test_unpaired_difference_adds_both_variances() -> None:
    d = unpaired_difference(Estimate(50, 100), Estimate(60, 100))
    half = 1.959963984540054 * math.sqrt(0.25 / 100 + 0.24 / 100)
    assert d.mean == pytest.approx(0.1)
    assert (d.low, d.high) == pytest.approx((0.1 - half, 0.1 + half))
    assert not d.paired


def test_a_variant_with_the_same_seed_is_compared_far_more_sharply(tmp_path: Path) -> None:
    """Common random numbers: the paired interval is much narrower than the unpaired one.

    The variant is a modest change (Hungary objects more often), where pairing helps most.
    """
    variant = tmp_path / "hungary-harder.yaml"
    variant.write_text(
        f"extends: {SCENARIO}\nname: Hungary harder\n"
        "members: {HUN: {stance: {rutte: {object: 0.6, conditional: 0.4}}}}\n"
    )
    settings = Settings(trials=CHUNK_SIZE, seed=3, workers=1)
    reports = tuple(run_report(prepare(p), settings) for p in (SCENARIO, variant))
    paired = compare(reports).rows[0].differences[1]
    other = run_report(prepare(variant), dataclasses.replace(settings, seed=4))
    unpaired = compare((reports[0], other)).rows[0].differences[1]
    assert paired is not None and unpaired is not None
    assert paired.paired and not unpaired.paired
    assert paired.high - paired.low < 0.7 * (unpaired.high - unpaired.low)
    assert compare((reports[0], other)).pairing(1) == "different seeds"


# --- growing and interrupted runs ------------------------------------------------------------


def _same_run(a: Run, b: Run) -> None:
    assert a.trials == b.trials
    assert np.array_equal(a.outcome, b.outcome)
    assert np.array_equal(a.decision_round, b.decision_round)
    for field in dataclasses.fields(a.tally):
        assert np.array_equal(getattr(a.tally, field.name), getattr(b.tally, field.name))


def test_extending_a_run_gives_the_longer_run(prepared: Prepared) -> None:
    short = run_model(prepared.model, seed=8, trials=2 * CHUNK_SIZE, workers=1)
    longer = extend_run(prepared.model, 8, 3 * CHUNK_SIZE + 100, workers=1, base=short)
    _same_run(longer, run_model(prepared.model, seed=8, trials=3 * CHUNK_SIZE + 100, workers=1))


def test_only_runs_of_whole_chunks_can_be_extended(prepared: Prepared) -> None:
    ragged = run_model(prepared.model, seed=8, trials=100, workers=1)
    with pytest.raises(ValueError, match="whole chunks"):
        extend_run(prepared.model, 8, CHUNK_SIZE * 2, workers=1, base=ragged)


def test_ctrl_c_keeps_the_chunks_already_done(prepared: Prepared) -> None:
    def stop_after_two(done: int, _tally: object) -> None:
        if done >= 2 * CHUNK_SIZE:
            raise KeyboardInterrupt

    with pytest.raises(RunInterrupted) as caught:
        extend_run(prepared.model, 5, 10 * CHUNK_SIZE, workers=1, progress=stop_after_two)
    assert caught.value.run is not None
    _same_run(caught.value.run, run_model(prepared.model, seed=5, trials=2 * CHUNK_SIZE, workers=1))


def test_precision_stops_when_every_half_width_is_small_enough(prepared: Prepared) -> None:
    report = run_report(prepared, Settings(seed=2, workers=1, precision=0.01))
    widest = report.summary.widest()
    assert report.stop.reason == "precision" and widest is not None
    assert widest[1].half_width <= 0.01
    assert report.run.trials % CHUNK_SIZE == 0
    again = run_model(prepared.model, seed=2, trials=report.run.trials, workers=1)
    _same_run(report.run, again)


def test_precision_stops_at_the_cap(prepared: Prepared) -> None:
    settings = Settings(seed=2, workers=1, precision=0.001, max_trials=3 * CHUNK_SIZE + 5)
    report = run_report(prepared, settings)
    assert report.stop.reason == "max_trials"
    assert report.run.trials == 3 * CHUNK_SIZE + 5
    assert report.requested == 3 * CHUNK_SIZE + 5


def test_next_target_aims_at_the_needed_trials() -> None:
    # Half-width 0.02 at 4,096 trials, target 0.01: about four times the trials, plus 10 %.
    assert _next_target(CHUNK_SIZE, 0.02, 0.01, 10**6) == 5 * CHUNK_SIZE
    assert _next_target(CHUNK_SIZE, 0.0101, 0.01, 10**6) == 2 * CHUNK_SIZE  # at least a chunk
    assert _next_target(CHUNK_SIZE, 0.5, 0.001, 50_000) == 50_000  # never past the cap


# --- the tally's "blocks the winner" ----------------------------------------------------------


def test_blocking_the_winner_is_blocking_the_decisive_candidate_in_appointments() -> None:
    # Two members: M00 objects to the only candidate, M01 supports; M00 lifts at 0.3 a round.
    model = tiny_model(["O", "S"], rounds=4, lift_rate=np.array([0.3, 0.0]))
    run = run_model(model, seed=1, trials=3000, workers=1)
    appointed = int((run.outcome == 0).sum())
    assert run.tally.ever_blocks[0] == 3000  # blocks at round 0 in every trial
    assert run.tally.blocks_winner[0] == appointed  # the winner, where there is one
    assert run.tally.blocks_winner[1] == 0
    assert 0 < appointed < 3000


# --- the chart --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [20, 40, 60, 80, 100, 160])
def test_the_chart_fits_any_width(prepared: Prepared, width: int) -> None:
    report = run_report(prepared, Settings(trials=2000, seed=1, workers=1))
    chart = cumulative_chart(report, width)
    assert all(len(line) <= max(width, 15) for line in chart.lines)
    assert chart.markers.strip() == "1" + " " * (len(chart.markers.strip()) - 2) + "2"
    assert len(chart.legend) == len(prepared.model.deadlines)


def test_the_chart_rises_to_the_final_probability(prepared: Prepared) -> None:
    report = run_report(prepared, Settings(trials=2000, seed=1, workers=1))
    chart = cumulative_chart(report, 100)
    final = report.summary.cumulative[-1][1].p
    full_rows = sum(1 for line in chart.plot[:-1] if line.endswith("█"))
    assert abs(full_rows - final * 5) < 1  # each row is 20 points


# --- labels and comparison --------------------------------------------------------------------


def test_outcome_labels_name_the_deadlines_that_end_the_process(prepared: Prepared) -> None:
    labels = outcome_labels(prepared.model)
    assert labels[0] == "Mark Rutte appointed"
    assert labels[-3] == "Extension at Washington summit or 2024-10-01"
    unsettled = dataclasses.replace(prepared.model, deadlines=(prepared.model.deadlines[1],))
    assert outcome_labels(unsettled)[-3] == "Extension at the hard deadline (2024-10-01)"


def test_comparison_rows_follow_outcomes_then_deadlines(prepared: Prepared) -> None:
    report = run_report(prepared, Settings(trials=1000, seed=1, workers=1))
    comparison = compare((report, report))
    keys = [(row.table, row.key) for row in comparison.rows]
    assert keys[:5] == [("outcomes", name) for name in prepared.model.outcome_names]
    assert keys[5:] == [("deadlines", d.name) for d in prepared.model.deadlines]
    for row in comparison.rows:
        d = row.differences[1]
        assert d is not None and d.mean == 0.0 and d.low == d.high == 0.0


# --- atomic output ----------------------------------------------------------------------------


def test_write_atomic_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", fail)
    with pytest.raises(UserError, match="No space left on device"):
        write_atomic(tmp_path / "out.csv", "data")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing/out.json", "file/out.json", "."])
def test_unwritable_paths_are_a_user_error(tmp_path: Path, where: str) -> None:
    (tmp_path / "file").write_text("not a directory")
    target = tmp_path / where
    with pytest.raises(UserError, match="cannot write"):
        check_writable(target)
    with pytest.raises(UserError, match="cannot write"):
        write_atomic(target, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old")
    (tmp_path / "link").symlink_to("real.txt")
    write_output(output_target(str(tmp_path / "link")), "new")
    assert (tmp_path / "link").is_symlink()
    assert (tmp_path / "real.txt").read_text() == "new"


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_output(output_target(str(fifo)), "through ✓")
    reader.join(timeout=10)
    assert got == ["through ✓".encode()]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_devices_are_written_through() -> None:
    target = output_target(os.devnull)
    assert target.through and target.path == Path(os.devnull)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("newdir/", "a trailing slash names a directory"),
        ("read-only.txt", "it is read-only"),
        ("a" * 300, "a name too long for the file system"),
    ],
)
def test_outputs_refused_before_a_run(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "read-only.txt").write_text("keep")
    (tmp_path / "read-only.txt").chmod(0o444)
    with pytest.raises(UserError, match=message):
        output_target(f"{tmp_path}{os.sep}{name}")
    assert (tmp_path / "read-only.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["read-only.txt"]


def test_report_json_keeps_the_contract_and_adds(prepared: Prepared) -> None:
    from natosim.output.json.run import report_json as to_json

    report = run_report(prepared, Settings(trials=1500, seed=1, workers=1))
    doc = to_json(report)
    assert doc["complete"] is True and doc["stopped_by"] == "trials"
    assert doc["trials_requested"] == 1500
    assert len(doc["cumulative"]) == prepared.model.n_rounds
    member = doc["members"][0]
    assert member["p_ever_blocks_winner"] <= member["p_ever_blocks"]
    assert isinstance(report, RunReport) and report.member_name("HUN") == "Hungary"

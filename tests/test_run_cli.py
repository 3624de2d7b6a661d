"""``natosim run``: every option, format and exit status; Ctrl-C; output files.

Most tests run the command in this process (typer's runner) for speed; those about exit
statuses, signals, terminals and error messages run ``python -m natosim`` as a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import run_natosim, start_natosim
from rich.console import Console
from typer.testing import CliRunner, Result

from natosim.cli import app
from natosim.cli.progress import ProgressDisplay
from natosim.errors import UserError
from natosim.results.precision import Tick

ROOT = Path(__file__).parent.parent
SCENARIO = str(ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml")
VARIANT = str(ROOT / "tests" / "golden" / "hungary-supports.yaml")
QUICK = ("--trials", "2000", "--seed", "7", "--workers", "1", "--quiet")
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-9]|9[0-7]|38;)")


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """``natosim run ARGS`` in this process, without colour, 100 columns wide."""
    result = CliRunner().invoke(
        app, ["run", *args], env={"NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
    )
    return result


def natosim(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m natosim ARGS`` as a subprocess."""
    return run_natosim(*args, columns=100, timeout=120)


def as_json(result: Result) -> dict:  # type: ignore[type-arg]
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# --- trials, seed, workers, engine -----------------------------------------------------------


def test_trials_and_seed_are_used_and_reported() -> None:
    doc = as_json(invoke(SCENARIO, *QUICK, "--format", "json"))
    assert (doc["trials"], doc["seed"], doc["workers"], doc["engine"]) == (2000, 7, 1, "fast")
    assert doc["complete"] is True and doc["stopped_by"] == "trials"


def test_without_options_the_files_settings_apply() -> None:
    text = Path(SCENARIO).read_text(encoding="utf-8")
    seed = int(re.search(r"^  seed: (\d+)", text, re.MULTILINE).group(1))  # type: ignore[union-attr]
    doc = as_json(invoke(SCENARIO, "--workers", "1", "--quiet", "--format", "json"))
    assert doc["seed"] == seed


def test_two_workers_give_the_same_numbers() -> None:
    one = as_json(invoke(SCENARIO, *QUICK, "--trials", "9000", "--format", "json"))
    two = as_json(
        invoke(SCENARIO, *QUICK, "--trials", "9000", "--workers", "2", "--format", "json")
    )
    for key in ("outcomes", "members", "cumulative", "timing"):
        assert one[key] == two[key]


def test_the_reference_engine_is_named_in_the_footer() -> None:
    result = invoke(SCENARIO, *QUICK, "--trials", "100", "--engine", "reference")
    assert result.exit_code == 0, result.output
    assert "engine reference" in result.stdout and "--engine reference" in result.stdout


# --- precision ------------------------------------------------------------------------------


def test_precision_adds_trials_until_every_interval_is_narrow_enough() -> None:
    doc = as_json(invoke(SCENARIO, *QUICK, "--precision", "0.01", "--format", "json"))
    assert doc["stopped_by"] == "precision" and doc["precision"] == 0.01
    assert doc["widest_half_width"] <= 0.01 and doc["trials"] % 4096 == 0
    for o in doc["outcomes"]:
        assert (o["ci_high"] - o["ci_low"]) / 2 <= 0.01


def test_max_trials_caps_precision_and_the_footer_says_so() -> None:
    result = invoke(SCENARIO, *QUICK, "--precision", "0.001", "--max-trials", "6000")
    assert result.exit_code == 0, result.output
    assert "Stopped: --max-trials 6,000 reached before ±0.10 pts" in result.stdout
    assert "6,000 trials" in result.stdout


@pytest.mark.parametrize("precision", ["1e-160", "1e-300", "5e-324"])
def test_a_tiny_precision_stops_at_the_cap_without_overflow(precision: str) -> None:
    result = invoke(SCENARIO, *QUICK, "--precision", precision, "--max-trials", "5000")
    assert result.exit_code == 0, result.output
    assert "Stopped: --max-trials 5,000 reached" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--precision", "0"),
        ("--precision", "0.7"),
        ("--max-trials", "5000"),
        ("--trials", "0"),
        ("--workers", "0"),
        ("--width", "5"),
        ("--format", "xml"),
        ("--engine", "warp"),
    ],
)
def test_bad_options_are_usage_errors(args: tuple[str, ...]) -> None:
    assert invoke(SCENARIO, *QUICK, *args).exit_code == 2


# --- formats ----------------------------------------------------------------------------------


def test_the_table_report_has_every_section_in_order() -> None:
    result = invoke(SCENARIO, *QUICK)
    assert result.exit_code == 0, result.output
    titles = [
        "Mark Rutte appointed:",
        "Outcomes",
        "Appointment date",
        "Deadlines",
        "Cumulative probability of appointment",
        "Holdouts",
        "Demands",
        "Candidates",
        "Repeat: natosim run",
    ]
    positions = [result.stdout.index(title) for title in titles]
    assert positions == sorted(positions)
    assert not COLOUR.search(result.stdout)


def test_csv_is_tidy() -> None:
    result = invoke(SCENARIO, *QUICK, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    tables = {row["table"] for row in rows}
    assert {"outcomes", "deadlines", "timing", "cumulative", "holdouts", "demands"} <= tables
    keys = [(row["scenario_file"], row["table"], row["row"]) for row in rows]
    assert len(keys) == len(set(keys))  # one row per scenario × table × row


def test_markdown_has_pipe_tables_and_the_chart_in_a_code_block() -> None:
    result = invoke(SCENARIO, *QUICK, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "### Outcomes\n\n| outcome | probability | 95 % interval |" in result.stdout
    assert "```text\n100 % ┤" in result.stdout


# --- several scenarios ------------------------------------------------------------------------


def test_two_files_give_one_comparison_with_a_paired_difference() -> None:
    result = invoke(SCENARIO, VARIANT, *QUICK)
    assert result.exit_code == 0, result.output
    assert "B − A" in result.stdout and "paired trial by trial" in result.stdout
    assert "Holdouts" not in result.stdout  # the full reports only with --detail
    detail = invoke(SCENARIO, VARIANT, *QUICK, "--detail")
    assert detail.stdout.count("Holdouts") == 2


def test_files_with_their_own_seeds_are_compared_unpaired(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {VARIANT}\nsimulation:\n  seed: 99\n", encoding="utf-8")
    result = invoke(SCENARIO, str(other), "--trials", "2000", "--workers", "1", "--quiet")
    assert result.exit_code == 0, result.output
    assert "unpaired (different seeds" in result.stdout


def test_comparison_json_and_csv() -> None:
    doc = as_json(invoke(SCENARIO, VARIANT, *QUICK, "--format", "json"))
    assert [run["scenario_file"] for run in doc["runs"]] == ["nato-2024-rutte", VARIANT]
    first = doc["comparison"]["rows"][0]
    assert first["differences"][0] is None and first["differences"][1]["paired"] is True
    rows = list(
        csv.DictReader(io.StringIO(invoke(SCENARIO, VARIANT, *QUICK, "--format", "csv").stdout))
    )
    compared = [r for r in rows if r["table"] == "comparison" and r["scenario_file"] == VARIANT]
    assert compared and all(r["difference"] for r in compared)


def test_a_quoted_glob_is_expanded_in_order(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yaml"):
        (tmp_path / name).write_text(f"extends: {SCENARIO}\n", encoding="utf-8")
    doc = as_json(invoke(str(tmp_path / "*.yaml"), *QUICK, "--format", "json"))
    assert [Path(r["scenario_file"]).name for r in doc["runs"]] == ["a.yaml", "b.yaml"]


# --- width and colour ------------------------------------------------------------------------


@pytest.mark.parametrize("width", [40, 60, 100, 140])
def test_the_report_fits_the_width(width: int) -> None:
    result = invoke(SCENARIO, *QUICK, "--width", str(width))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if not line.startswith("Repeat: ")]
    assert max(len(line) for line in lines) <= width
    assert "Repeat: natosim run " in result.stdout  # a command to copy is never broken


def test_a_narrow_terminal_gets_the_compact_tables() -> None:
    narrow = invoke(SCENARIO, *QUICK, "--width", "60").stdout
    assert "Holdouts (percent of trials)" in narrow
    assert "P(blocks the decisive candidate)" not in narrow


def test_no_color_on_a_terminal_gives_no_colour() -> None:
    code = (
        "import sys; from natosim.cli import main; sys.argv = ['natosim', 'run', *sys.argv[1:]];"
        " main()"
    )
    master, slave = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-c", code, SCENARIO, *QUICK], stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    output = _read_all(master, process)
    assert process.returncode == 0
    assert "Mark Rutte appointed" in output and not COLOUR.search(output)


# --- output files -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["table", "json", "csv", "markdown"])
def test_output_writes_the_same_report_to_a_file(tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"report.{kind}"
    result = invoke(SCENARIO, *QUICK, "--format", kind, "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    if kind == "table":
        assert "Mark Rutte appointed:" in written and "\x1b[" not in written
        assert max(len(line) for line in written.splitlines() if "Repeat" not in line) <= 100
    else:
        printed = invoke(SCENARIO, *QUICK, "--format", kind).stdout
        seconds = re.compile(r'("seconds": |· )[0-9.]+')
        assert seconds.sub("", written) == seconds.sub("", printed)


def test_an_unwritable_output_is_a_clear_error_before_the_run(tmp_path: Path) -> None:
    began = time.monotonic()
    target = tmp_path / "missing" / "out.json"
    result = natosim("run", SCENARIO, *QUICK, "--trials", "100000000", "-o", str(target))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot write {target}: No such file or directory")
    assert "Traceback" not in result.stderr
    assert time.monotonic() - began < 30  # refused before a hundred million trials
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["a-file/out.json", "."])
def test_other_unwritable_outputs(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    result = invoke(SCENARIO, *QUICK, "--trials", "100000000", "-o", str(tmp_path / where))
    assert isinstance(result.exception, UserError) and "cannot write" in str(result.exception)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


# --- exit statuses ----------------------------------------------------------------------------


def test_a_bad_file_among_several_exits_1_listing_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstart: 2024-01-01\nend: 2024-02-01\ncandidates: {}\n")
    result = natosim("run", SCENARIO, str(bad), *QUICK)
    assert result.returncode == 1
    assert f"{bad}:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_glob_without_matches_is_a_user_error(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "*.yaml"), *QUICK)
    assert isinstance(result.exception, UserError) and "no file matches" in str(result.exception)


def test_a_complete_run_exits_0_without_stderr_in_a_pipe() -> None:
    result = natosim("run", SCENARIO, "--trials", "2000", "--workers", "1")
    assert result.returncode == 0 and result.stderr == ""


# --- progress bar -----------------------------------------------------------------------------


def _read_all(master: int, process: subprocess.Popen[bytes]) -> str:
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if not data and process.poll() is not None:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", errors="replace")


LONG = ("--workers", "1", "--trials", "100000", "--format", "json")
"""A run of a few seconds, long enough for the progress bar."""


def test_a_long_run_shows_progress_on_stderr_when_it_is_a_terminal() -> None:
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "natosim", "run", SCENARIO, *LONG],
        stdout=subprocess.DEVNULL,
        stderr=slave,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
    )
    os.close(slave)
    shown = _read_all(master, process)
    assert process.returncode == 0
    assert re.search(r"[\d,]+ trials Mark Rutte \d+\.\d %", shown), shown[-300:]


def _ticks(done: int) -> Tick:
    from natosim.model.prepared import prepare
    from natosim.trials.chunks import run_model

    model = prepare(Path(SCENARIO)).model
    tally = run_model(model, seed=1, trials=done, workers=1).tally
    return Tick(0, SCENARIO, done, 8192, model, tally, None)


def test_the_bar_waits_a_second_and_never_shows_when_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr("natosim.cli.progress.time.monotonic", lambda: clock[0])
    tick = _ticks(4096)
    for enabled, wait, seen in ((True, 0.5, False), (True, 1.5, True), (False, 5.0, False)):
        out = io.StringIO()
        console = Console(file=out, force_terminal=True, width=100)
        with ProgressDisplay(console, enabled) as display:
            clock[0] += wait
            display(tick)
        assert ("4,096 trials" in out.getvalue()) is seen, (enabled, wait)


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    console = Console(file=io.StringIO(), force_terminal=False)
    assert not ProgressDisplay(console, enabled=True).enabled


# --- Ctrl-C -----------------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and of its live children (the worker processes)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:  # a kernel without CONFIG_PROC_CHILDREN: the parent's time alone
        children = []
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(_cpu_seconds(int(child)) for child in children)


def _interrupt(*args: str, group: bool) -> subprocess.CompletedProcess[str]:
    """Start a long run, wait until it is simulating, send SIGINT (to its group if asked).

    Why 5 s of CPU: starting takes each process over a second (importing numpy and natosim,
    loading numba's compiled loops), and a chunk finishes some 30 ms after that.
    """
    process = start_natosim("run", SCENARIO, "--trials", "50000000", *args)
    deadline = time.monotonic() + 60
    while _cpu_seconds(process.pid) < 5.0 and time.monotonic() < deadline:
        time.sleep(0.1)
    if group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_prints_a_partial_report_and_exits_130() -> None:
    result = _interrupt("--workers", "1", group=False)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("PARTIAL REPORT: interrupted after ")
    done = int(re.search(r"after ([\d,]+) of 50,000,000", result.stdout).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert done > 0 and done % 4096 == 0
    assert f"Stopped: interrupted (Ctrl-C) after {done:,} of 50,000,000 trials." in result.stdout


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_at_the_terminal_stops_the_workers_cleanly(tmp_path: Path) -> None:
    """A terminal sends SIGINT to every process of the group, the workers included."""
    target = tmp_path / "partial.json"
    result = _interrupt("--workers", "2", "--format", "json", "-o", str(target), group=True)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["complete"] is False and doc["stopped_by"] == "interrupted"
    assert 0 < doc["trials"] < doc["trials_requested"] == 50_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partial.json"]


def test_a_comparison_wider_than_the_screen_is_written_one_scenario_a_row() -> None:
    """Eleven files at 80 columns: the long layout, every value readable on one line."""
    files = [str(ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml")] * 11
    result = run_natosim("run", *files, "--trials", "4096", "--width", "80", columns=80)
    assert result.returncode == 0, result.stderr
    assert "One scenario a row" in result.stdout
    rows = [line for line in result.stdout.splitlines() if "│ K │" in line]
    assert rows and "%" in rows[0]
    table = [line for line in result.stdout.splitlines() if "repeat: natosim" not in line]
    assert max(len(line) for line in table) <= 80  # commands to repeat a run are never cut

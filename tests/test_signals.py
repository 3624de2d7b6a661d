"""Ctrl-C, SIGTERM and SIGHUP end a run cleanly: real processes, real signals, timeouts.

Each test starts ``python -m natosim run`` in its own process group, signals the whole group
(as a terminal or ``kill -TERM -PGID`` does), and checks the exit status, that stderr has no
traceback, that stdout is empty or a valid partial report, and that no process of the group
(no worker) is left alive.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import start_natosim

ROOT = Path(__file__).parent.parent
SCENARIO = ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml"
TIMEOUT = 60

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or sys.platform != "linux", reason="needs Linux /proc"
)


def start(*args: str) -> subprocess.Popen[str]:
    """A run of the 2024 scenario in its own process group."""
    return start_natosim("run", str(SCENARIO), *args)


def group_alive(pgid: int) -> list[int]:
    """Processes of the group ``pgid`` still alive (zombies excluded)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


GRACE = 5.0
"""Seconds a worker may take to exit after the main process (a Dask worker's nanny polls)."""


def outlived(pgid: int) -> list[int]:
    """The group's processes still alive :data:`GRACE` seconds after the main one ended."""
    deadline = time.monotonic() + GRACE
    while (alive := group_alive(pgid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def stop(
    process: subprocess.Popen[str], sig: int, after: float, again: float | None = None
) -> tuple[int, str, str]:
    """Signal the group after ``after`` seconds (and ``again`` seconds later); wait for it."""
    time.sleep(after)
    os.killpg(process.pid, sig)
    if again is not None:
        time.sleep(again)
        os.killpg(process.pid, sig)
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the process hung after the signal")
    assert outlived(process.pid) == [], "a worker outlived the run"
    return process.returncode, out, err


def check_partial(out: str) -> None:
    """Stdout is empty (no chunk finished) or a complete JSON document of a partial run."""
    if out:
        doc = json.loads(out)
        assert doc["complete"] is False and doc["stopped_by"] == "interrupted"
        assert 0 < doc["trials"] < 50_000_000


LONG = ("--trials", "50000000", "--workers", "2", "--format", "json")


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_and_sighup_end_a_run_like_ctrl_c(sig: int, status: int) -> None:
    code, out, err = stop(start(*LONG), sig, after=3.0)
    assert code == status, err
    assert "Traceback" not in err
    check_partial(out)


def test_a_double_ctrl_c_never_hangs() -> None:
    code, out, err = stop(start(*LONG), signal.SIGINT, after=3.0, again=0.1)
    assert code == 130, err
    assert "Traceback" not in err
    check_partial(out)


@pytest.mark.parametrize("after", [0.1, 0.2, 0.35, 0.6])
def test_an_early_signal_exits_cleanly(after: float) -> None:
    """While Python imports numpy, rich and typer, or loads the file: 130, one line."""
    code, out, err = stop(start(*LONG), signal.SIGINT, after=after)
    assert code == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    check_partial(out)


def test_the_partial_report_names_the_signal() -> None:
    """The footer of a report cut short by SIGTERM says so, not Ctrl-C."""
    code, out, err = stop(start("--trials", "50000000", "--workers", "2"), signal.SIGTERM, 3.0)
    assert code == 143, err
    assert "interrupted (SIGTERM) after" in out
    assert "Ctrl-C" not in out


def test_an_interrupt_wrapped_by_an_import_exits_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    """A signal during a class body's ``__set_name__`` (matplotlib's import) reaches the
    entry point as a RuntimeError caused by KeyboardInterrupt: still 130, no traceback."""
    import types

    from natosim import __main__ as entry
    from natosim import signals

    def interrupted(name: str) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as stop:
            raise RuntimeError("Error calling __set_name__") from stop

    cli = types.ModuleType("natosim.cli")
    cli.__getattr__ = interrupted  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "natosim.cli", cli)
    monkeypatch.setattr(signals, "exit_interrupted", lambda: sys.exit(signals.exit_status()))
    monkeypatch.setattr(signals, "install", lambda: signals._received.append(signal.SIGINT))
    monkeypatch.setattr(signals, "_received", [])
    with pytest.raises(SystemExit) as ended:
        entry.main()
    assert ended.value.code == 130
    monkeypatch.setattr(signals, "install", lambda: signals._received.clear())
    with pytest.raises(RuntimeError, match="__set_name__"):
        entry.main()


def test_an_interrupt_wrapped_by_compiled_code_stops_an_in_process_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """numba loading its loops turns a KeyboardInterrupt into a SystemError: in this process
    the run still stops as on Ctrl-C; with no signal received the error is left alone."""
    from natosim import signals
    from natosim.trials.pool import InlinePool

    def task(item: int) -> int:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as stop:
            raise SystemError("_numba_unpickle returned a result with an exception set") from stop

    monkeypatch.setattr(signals, "_received", [signal.SIGINT])
    with pytest.raises(KeyboardInterrupt):
        list(InlinePool().imap(task, [1, 2]))
    monkeypatch.setattr(signals, "_received", [])
    with pytest.raises(SystemError):
        list(InlinePool().imap(task, [1, 2]))


def test_a_signal_lost_in_an_import_still_stops_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python ignores a KeyboardInterrupt raised in a weakref callback (importlib's module
    locks run one on every import): once a signal has come, no further task starts."""
    from natosim import signals
    from natosim.trials.pool import InlinePool, ProcessPool

    ran: list[int] = []
    monkeypatch.setattr(signals, "_received", [signal.SIGINT])
    for pool in (InlinePool(), ProcessPool(2)):
        with pytest.raises(KeyboardInterrupt):
            list(pool.imap(ran.append, [1]))
    assert ran == []


def test_an_interrupt_python_cannot_raise_is_not_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python prints an exception raised in a weakref callback as "Exception ignored" with a
    traceback; once a signal has come, its KeyboardInterrupt is left to the command to report.
    Any other such exception is still printed."""
    from natosim import signals

    def unraisable(error: BaseException) -> object:
        """What Python hands its hook for ``error`` raised in a finaliser."""
        captured: list[object] = []

        class Finalised:
            def __del__(self) -> None:
                raise error

        hook, sys.unraisablehook = sys.unraisablehook, captured.append
        try:
            Finalised()
        finally:
            sys.unraisablehook = hook
        return captured[0]

    monkeypatch.setattr(signals, "_received", [signal.SIGINT])
    signals._unraisable(unraisable(KeyboardInterrupt()))
    assert capsys.readouterr().err == ""
    signals._unraisable(unraisable(ValueError("a bug")))
    assert "ValueError: a bug" in capsys.readouterr().err
    monkeypatch.setattr(signals, "_received", [])
    signals._unraisable(unraisable(KeyboardInterrupt()))
    assert "KeyboardInterrupt" in capsys.readouterr().err

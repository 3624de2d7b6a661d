"""Ctrl-C, SIGTERM and SIGHUP all end a command the same way: cleanly, once.

Why: a run stopped by Ctrl-C prints the report of the trials done and waits for its workers
to finish their chunks. SIGTERM (from ``kill``, a job scheduler, a container) and SIGHUP
(the terminal closed) deserve the same: by default they would kill the main process at once
and leave its workers orphaned, holding stdout open. So the first of these signals raises
:class:`KeyboardInterrupt` in the main process, and any later one is only counted: a second
Ctrl-C while the workers are being stopped must not break that stop and hang the process.
The command then exits with 128 + the first signal's number, as shells report it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType
from typing import Any, NoReturn

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""The signals that stop a command with a partial result."""

_received: list[int] = []


def install() -> None:
    """Handle :data:`HANDLED` in this (the main) process; call before any worker starts.

    Workers ignore them (:func:`natosim.trials.pool.ignore_stop_signals`): the main process alone
    decides when they stop.
    """
    _received.clear()
    for number in HANDLED:
        signal.signal(number, _on_signal)
    sys.unraisablehook = _unraisable


def _unraisable(unraisable: Any) -> None:
    """Print what Python could not raise, except our own stop signal's KeyboardInterrupt.

    Why: a signal whose KeyboardInterrupt is raised in a weakref callback (importlib runs one
    on every import) cannot propagate; Python would print it as "Exception ignored" with a
    traceback. :func:`stop_if_received` stops the command instead, with its one line.
    """
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _received:
        return
    sys.__unraisablehook__(unraisable)


def installed() -> bool:
    """Whether :func:`install` has set the handlers in this process."""
    return signal.getsignal(signal.SIGTERM) is _on_signal


def received() -> bool:
    """Whether a handled signal has arrived since :func:`install`."""
    return bool(_received)


def stop_if_received() -> None:
    """Raise KeyboardInterrupt if a stop signal has come; call between tasks.

    Why: Python ignores an exception raised in a weakref callback (it prints "Exception
    ignored" and goes on), and one runs on every import (importlib's module locks). A signal
    whose KeyboardInterrupt was raised there would be lost, and a long run would go on to
    its end; checked between tasks, it stops the work at the next one.
    """
    if _received:
        raise KeyboardInterrupt


def caused_by_signal(error: BaseException) -> bool:
    """Whether a stop signal has come and its KeyboardInterrupt is in the chain of ``error``.

    Why: an interrupt raised in Python code that a library calls back (a class body's
    ``__set_name__`` hooks while matplotlib is imported, numba loading compiled code) reaches
    the caller as the cause of another exception, a RuntimeError or a SystemError.
    """
    seen: BaseException | None = error
    for _ in range(100):
        if seen is None or isinstance(seen, KeyboardInterrupt):
            return seen is not None and received()
        seen = seen.__cause__ or seen.__context__
    return False


def exit_status() -> int:
    """128 + the number of the first signal received (130 for Ctrl-C when none was seen)."""
    return 128 + (_received[0] if _received else signal.SIGINT)


def name() -> str:
    """How to name the first signal received in a message ("Ctrl-C", "SIGTERM")."""
    number = _received[0] if _received else signal.SIGINT
    return "Ctrl-C" if number == signal.SIGINT else signal.Signals(number).name


def exit_interrupted() -> NoReturn:
    """Say which signal stopped the command and exit with 128 + its number, at once.

    Why ``os._exit`` after flushing: a signal that arrived while an extension module ran
    Python code during an import leaves CPython's "unhandled KeyboardInterrupt" flag set,
    and a normal exit would then kill the process with SIGINT (status -2) whatever status
    was asked for. Nothing else is left to clean up when this is called: no worker has
    started, or the pool was shut down on the way here.
    """
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"Interrupted ({name()}).\n")
    exit_at_once(exit_status())


def exit_at_once(status: int) -> NoReturn:
    """Flush the output and end the process with ``status`` without finalising Python.

    Why: once a stop signal has come, the next one must not kill the process. Python resets
    the handlers to their defaults while it shuts down (longer with numba's compiled code
    loaded), and a second Ctrl-C in that window would end it with status -2 instead.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def _on_signal(number: int, frame: FrameType | None) -> None:
    _received.append(number)
    if len(_received) == 1:
        raise KeyboardInterrupt

"""Where the work of a run or a study is done: this process, local processes, or a cluster.

Why one interface: runs, batches and studies hand a sequence of independent tasks (chunks of
trials, or whole study runs) to a pool and read the results back in order. A task's result
depends only on its arguments, so every pool gives the same numbers; only the speed differs.
A study opens one pool and hands it to every run it makes, so worker processes start once per
study, not once per run or per batch of runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Protocol, TypeVar, runtime_checkable

from natosim import signals

T = TypeVar("T")
R = TypeVar("R")


@runtime_checkable
class Pool(Protocol):
    """Runs tasks and gives their results back in task order."""

    @property
    def workers(self) -> int:
        """How many tasks can run at once (recorded with every run)."""
        ...

    def imap(self, function: Callable[[T], R], items: Sequence[T]) -> Generator[R, None, None]:
        """``function(item)`` for every item, lazily and in order.

        Closing the iterator early (Ctrl-C, say) cancels the tasks not yet started.
        """
        ...


Workers = int | Pool | None
"""How a caller says where to run: a number of local processes (None: all cores) or a pool."""


def default_workers() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class InlinePool:
    """Runs every task in this process, one after the other."""

    workers = 1

    def imap(self, function: Callable[[T], R], items: Sequence[T]) -> Generator[R, None, None]:
        """``function(item)`` for every item, in this process."""
        return (_unwrapped(function, item) for item in items)


def _unwrapped(function: Callable[[T], R], item: T) -> R:
    """``function(item)``, with a stop signal that a library wrapped raised as itself.

    Why: a signal whose KeyboardInterrupt is raised inside Python code that compiled code
    called back (numba loading its cached loops) reaches here as a SystemError caused by it;
    the run must still stop as on Ctrl-C, with its partial report.
    """
    signals.stop_if_received()
    try:
        return function(item)
    except Exception as error:
        if signals.caused_by_signal(error):
            raise KeyboardInterrupt from error
        raise


class ProcessPool:
    """Local worker processes, started at the first task that needs them and kept until closed.

    At most two tasks per worker are queued at a time, so memory does not grow with the
    number of tasks. The pool is started, fed and shut down with the stop signals deferred: a
    signal that interrupted the pool's own bookkeeping could leave it unable to shut down.
    Workers ignore SIGINT, SIGTERM and SIGHUP, so a Ctrl-C at the terminal, which reaches
    every process of the group, stops the work here and prints no worker tracebacks.
    """

    def __init__(self, workers: int) -> None:
        """A pool of ``workers`` processes (none started yet)."""
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._size = 0

    def imap(self, function: Callable[[T], R], items: Sequence[T]) -> Generator[R, None, None]:
        """``function(item)`` for every item, over the pool's processes (inline for one)."""
        if len(items) <= 1:
            return InlinePool().imap(function, items)
        return self._imap(function, items)

    def _imap(self, function: Callable[[T], R], items: Sequence[T]) -> Generator[R, None, None]:
        with signals_deferred():
            executor = self._started(min(self.workers, len(items)))
        queued: deque[Future[R]] = deque()
        todo = iter(items)
        try:
            while True:
                with signals_deferred():
                    for item in islice(todo, 2 * self.workers - len(queued)):
                        queued.append(executor.submit(function, item))
                if not queued:
                    return
                signals.stop_if_received()
                yield queued.popleft().result()
        finally:
            with signals_deferred():
                for future in queued:
                    future.cancel()

    def _started(self, size: int) -> ProcessPoolExecutor:
        """The executor, with at least ``size`` processes.

        Why not all the workers at once: a run of two chunks needs two processes, whatever
        the number of cores; the pool grows (between two maps) when more work comes.
        """
        if self._executor is None or self._size < size:
            self.close()
            self._executor = ProcessPoolExecutor(size, initializer=ignore_stop_signals)
            self._size = size
        return self._executor

    def close(self) -> None:
        """Stop the processes: cancel what has not started, wait for what has."""
        with signals_deferred():
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None


@contextlib.contextmanager
def pool_for(workers: Workers) -> Iterator[Pool]:
    """The pool ``workers`` names, closed at the end of the block if this function opened it.

    Why a pool passed in is not closed: the study that opened it runs more work on it.
    """
    if isinstance(workers, Pool):
        yield workers
        return
    count = workers or default_workers()
    if count <= 1:
        yield InlinePool()
        return
    pool = ProcessPool(count)
    try:
        yield pool
    finally:
        pool.close()


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends (their handlers run after it)."""
    stops = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_stop_signals() -> None:
    """A worker's initializer: ignore Ctrl-C, SIGTERM and SIGHUP; the main process stops it.

    Why: a signal sent to the whole process group would kill a worker mid-task and break the
    pool; the main process instead cancels the tasks not started and waits for the others.
    """
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_IGN)

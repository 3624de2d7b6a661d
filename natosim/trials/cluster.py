"""Run on a Dask cluster: ``--cluster ADDRESS`` (a running scheduler) or ``--cluster local[:N]``.

Why Dask: it runs on a laptop, on a Slurm allocation (dask-jobqueue) and on Kubernetes
(dask-kubernetes) with the same client code, and it retries the tasks of a worker that dies.
natosim sends it the same tasks a local pool runs (chunks of trials, or whole study runs),
grouped into blocks, and reads the results back in task order. A task's numbers depend only
on its arguments, so a cluster gives the same numbers, bit for bit, as one process; a task
lost with its worker runs again elsewhere and gives the same numbers again.

Dask is an optional extra (``pip install "natosim[cluster]"``); without it ``--cluster``
says how to install it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import logging
import math
import re
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import numpy as np

from natosim import __version__, signals
from natosim.errors import UserError
from natosim.trials.pool import default_workers

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")
R = TypeVar("R")

MAX_BLOCK = 16
"""Most tasks in one block: 16 chunks of the 2024 scenario are about a second of one worker."""
BLOCKS_PER_WORKER = 4
"""Blocks made per worker when a map has few tasks: enough to balance the load at the end."""
HELD_PER_WORKER = 4
"""Most blocks per worker submitted and not yet yielded, finished ones waiting in line included."""
CONNECT_SECONDS = 30
"""How long to wait for a scheduler, and for its first worker."""

_LOCAL = re.compile(r"^local(?::(\d+))?$")
INSTALL_HINT = 'pip install "natosim[cluster]"'


@dataclass(frozen=True)
class ClusterSpec:
    """Where ``--cluster`` points: a local cluster of ``local`` workers, or an ``address``."""

    address: str | None = None
    local: int | None = None

    @classmethod
    def parse(cls, text: str) -> ClusterSpec:
        """``local``, ``local:N`` or a scheduler's address (``tcp://host:8786``, ``host:8786``).

        Raises:
            UserError: for ``local:0`` or an empty address.
        """
        text = text.strip()
        found = _LOCAL.match(text)
        if found:
            count = int(found[1]) if found[1] else default_workers()
            if count < 1:
                raise UserError(f"--cluster {text}: a local cluster needs at least 1 worker")
            return cls(local=count)
        if not text:
            raise UserError("--cluster: give a scheduler's address (tcp://host:8786) or local[:N]")
        return cls(address=text)


def block_size(tasks: int, workers: int) -> int:
    """Tasks per block: few enough blocks to keep scheduling cheap, enough to share the work.

    Why: a Dask task costs about a millisecond of scheduling and a round trip; a chunk costs
    tens. Blocks of several chunks keep the overhead to a few percent (docs/performance.md),
    and at least :data:`BLOCKS_PER_WORKER` blocks per worker keep every worker busy to the end.
    """
    return max(1, min(MAX_BLOCK, math.ceil(tasks / (BLOCKS_PER_WORKER * max(workers, 1)))))


def blocks(tasks: int, workers: int) -> Iterator[range]:
    """The blocks of ``tasks`` tasks in order: of :func:`block_size`, shrinking at the end.

    Why shrink: a map ends when its last block does. With blocks of one size, one worker runs
    the last block while the others wait, up to a whole block's time. A block here is at most
    the tasks left shared among two blocks per worker (as many as are sent ahead), so the
    blocks shrink to single tasks at the end and the workers finish together, at the cost of
    a few more blocks: 66 instead of 58 for 921 tasks on 2 workers.
    """
    first = block_size(tasks, workers)
    start = 0
    while start < tasks:
        size = max(1, min(first, math.ceil((tasks - start) / (2 * max(workers, 1)))))
        yield range(start, start + size)
        start += size


def run_block(function: Callable[[T], R], block: list[T]) -> list[R]:
    """One cluster task: ``function`` over a block of items (top level, so workers import it)."""
    tune_allocator()
    return [function(item) for item in block]


_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


@functools.cache
def tune_allocator() -> None:
    """Keep freed memory of up to tens of MiB in this process's heap (glibc only; once).

    Why: Dask's nanny starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536``, which makes
    glibc hand back to the system every freed block above 64 KiB and stop adapting its mmap
    threshold. The engine allocates and frees arrays of a few hundred KiB many times a round,
    and then pays a page fault for every page of each: a chunk took 1.7 times as long in a
    Dask worker as in a plain process (docs/performance.md). Raising both thresholds gives
    the plain speed back; a worker keeps at most the thresholds' worth of freed memory.
    """
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)
    mallopt(_M_MMAP_THRESHOLD, 16 << 20)


class DaskPool:
    """A :class:`natosim.trials.pool.Pool` over the workers of a Dask client."""

    def __init__(self, client: Client) -> None:
        """Use ``client``'s workers (counted now: one task per worker thread)."""
        self.client: Any = cast(Any, client)  # Why Any: parts of distributed's API are untyped
        self.workers = max(1, sum(self.client.nthreads().values()))

    def imap(self, function: Callable[[T], R], items: Sequence[T]) -> Generator[R, None, None]:
        """``function(item)`` for every item, in blocks on the cluster, yielded in order.

        At most two blocks per worker run or wait on the cluster at a time, and a new one is
        sent as soon as any of them finishes, not only the oldest: a worker that finishes a
        later block does not wait for a slow first one. Finished blocks wait here, in order,
        up to :data:`HELD_PER_WORKER` per worker. Closing the iterator early cancels the
        blocks submitted and not yet yielded.
        """
        spans = blocks(len(items), self.workers)
        window: _Window[list[R]] = _Window(self.client, self.workers)
        try:
            while True:
                for span in islice(spans, window.room()):
                    window.send(run_block, function, list(items[span.start : span.stop]))
                if not window.queued:
                    return
                if _done(window.queued[0]):
                    signals.stop_if_received()
                    yield from window.queued.popleft().result()
                else:
                    window.wait()
        finally:
            window.cancel()


class _Window(Generic[R]):
    """The blocks of one map that are on the cluster or finished and not yet read, in order.

    Why count the running blocks as they finish (``as_completed``) rather than ask each
    block: a map on thousands of workers holds thousands of blocks, and asking all of them
    at every step would cost more than the blocks' scheduling.
    """

    def __init__(self, client: Any, workers: int) -> None:
        distributed = _distributed()
        self.client, self.workers = client, workers
        self.queued: deque[Future[R]] = deque()
        self.running = 0
        self.finished: Any = distributed.as_completed(loop=client.loop)
        self._wait: Callable[..., object] = distributed.wait

    def room(self) -> int:
        """How many blocks may be sent now: two per worker running, four per worker held."""
        self.running -= len(self.finished.next_batch(block=False))
        held = HELD_PER_WORKER * self.workers - len(self.queued)
        return max(0, min(2 * self.workers - self.running, held))

    def send(self, *task: Any) -> None:
        """Submit one block (``function, *arguments``) behind the others."""
        future = self.client.submit(*task, pure=False)
        self.queued.append(future)
        self.finished.add(future)
        self.running += 1

    def wait(self) -> None:
        """Wait until a block finishes, or the first one when no other is running.

        Why the second case: a finished block lost with its worker runs again, and is then
        the only one left to wait for; ``as_completed`` reported it already.
        """
        if self.finished.is_empty():
            self._wait([self.queued[0]])
        else:
            self.running -= len(self.finished.next_batch(block=True))

    def cancel(self) -> None:
        """Cancel the blocks not yet read (on an early close) and stop tracking them."""
        self.finished.clear()
        if self.queued:
            self.client.cancel(list(self.queued))


def _done(future: Future[Any]) -> bool:
    """Whether ``future`` has its result or its error (typed: distributed's is not)."""
    return bool(cast(Any, future).done())


@contextlib.contextmanager
def open_cluster(spec: ClusterSpec | str) -> Iterator[DaskPool]:
    """Connect to the cluster ``spec`` names (or start a local one) for the length of a block.

    Raises:
        UserError: Dask is not installed, the scheduler cannot be reached, no worker joins,
            or a worker runs another version of natosim or numpy.
    """
    if isinstance(spec, str):
        spec = ClusterSpec.parse(spec)
    distributed = _distributed()
    with contextlib.ExitStack() as stack:
        if spec.local is not None:
            client = stack.enter_context(_local_cluster(distributed, spec.local))
        else:
            client = stack.enter_context(_connect(distributed, spec.address or ""))
        _wait_for_workers(client, spec)
        check_versions(client)
        yield DaskPool(client)


QUIET_LOCAL = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.nanny.memory.monitor-interval": "1s",
}
"""Dask settings of a local cluster: no profiler, and its monitors every second or two.

Why: by default every worker samples its own stack every 10 ms for the dashboard's profile
and checks its event loop every 20 ms and its memory every 100 ms. On a study of 137 runs with
2 workers on 2 cores, that cost 0.6 s of CPU per worker and 0.9 s in the main process for 7 s
of tasks per worker, CPU taken from the tasks when the workers fill the cores; with these
settings it was 0.1 s and 0.3 s (docs/performance.md). The dashboard's profile stays empty.
"""


@contextlib.contextmanager
def _local_cluster(distributed: Any, workers: int) -> Iterator[Client]:
    """A client of a new local cluster of ``workers`` single-threaded worker processes."""
    import dask.config  # installed with distributed

    with (
        dask.config.set(QUIET_LOCAL),
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},  # Why: 8787 may be another cluster's
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        from natosim.trials.dask_workers import LocalWorkers  # needs distributed

        client.register_plugin(LocalWorkers())
        yield client


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UserError(f"--cluster needs Dask, an optional extra: {INSTALL_HINT}") from None
    return distributed


def _connect(distributed: Any, address: str) -> Client:
    try:
        client: Client = distributed.Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as error:
        raise UserError(f"--cluster {address}: no Dask scheduler answered ({error})") from None
    return client


def _wait_for_workers(client: Client, spec: ClusterSpec) -> None:
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except TimeoutError:
        where = spec.address or "local"
        raise UserError(f"--cluster {where}: no worker joined within {CONNECT_SECONDS} s") from None


def worker_versions() -> tuple[str, str]:
    """The natosim and numpy versions of the process that runs this (on every worker)."""
    return __version__, np.__version__


def check_versions(client: Client) -> None:
    """Refuse a cluster whose workers run another natosim or numpy than this process.

    Why: the numbers are the same everywhere only if the code and the random generators are;
    a worker with another version would silently give other numbers for its share of trials.
    """
    ours = worker_versions()
    theirs: dict[str, tuple[str, str]] = client.run(worker_versions)
    wrong = {worker: found for worker, found in theirs.items() if tuple(found) != ours}
    if wrong:
        worker, (natosim, numpy) = next(iter(wrong.items()))
        raise UserError(
            f"--cluster: {len(wrong)} worker(s) run other versions than this natosim "
            f"{ours[0]} with numpy {ours[1]} (e.g. {worker}: natosim {natosim}, numpy {numpy}); "
            "install the same versions on every worker"
        )

"""Benchmark studies at scale: a Sobol analysis and a sweep, locally and on a Dask cluster.

Run from the repository root:  python benchmarks/bench_studies.py [--quick] [--large]
It prints Markdown tables; docs/performance.md records them with the machine they ran on.

- Sobol on ``nato-2024-rutte-ranges`` (11 ranges, runs of 4,096 trials): N = 64 (921 runs),
  and with ``--large`` N = 1,024 (14,361 runs), with 2 local worker processes and through
  ``--cluster local:2``, measured in turn (local, cluster, local, cluster, ...) so that both
  see the same load. Each repeat opens its own pool or cluster, as a command does; the
  cluster's start-up (start and stop of the local cluster) is timed apart from the study.
  The cluster's overhead is its extra time, without and with its start-up.
- Where the time goes, for each path: the workers' busy time (the sum of the tasks' times,
  measured inside the workers), their idle time (workers × the map's time − busy) and the
  time outside the map (the design and the indices, in the main process).
- A sweep of 1,000 points at 100 trials each, 2 local worker processes.
Each figure is the best of ``--repeats`` runs, with the worst in brackets.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's natosim

from natosim.model.prepared import prepare
from natosim.studies.sensitivity import analyse, pick_measure, plan
from natosim.studies.sweep import run_sweep, spread
from natosim.trials.cluster import open_cluster
from natosim.trials.pool import Pool, pool_for

LIBRARY = Path(__file__).resolve().parent.parent / "natosim" / "scenarios"
RANGES = LIBRARY / "nato-2024-rutte-ranges.yaml"
SCENARIO = LIBRARY / "nato-2024-rutte.yaml"
T = TypeVar("T")
R = TypeVar("R")


def timed(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best and worst wall-clock seconds of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times), max(times)


@dataclass(frozen=True)
class Stamped(Generic[T, R]):
    """A task that also gives back how long it ran (on the worker that ran it)."""

    function: Callable[[T], R]

    def __call__(self, item: T) -> tuple[R, float]:
        began = time.perf_counter()
        result = self.function(item)
        return result, time.perf_counter() - began


@dataclass
class Measured:
    """A pool that adds up its tasks' times and the time its maps take."""

    pool: Pool
    busy: float = 0.0
    mapping: float = 0.0

    @property
    def workers(self) -> int:
        return self.pool.workers

    def imap(self, function: Callable[[T], R], items: Sequence[T]) -> Generator[R, None, None]:
        began = time.perf_counter()
        for result, seconds in self.pool.imap(Stamped(function), items):
            self.busy += seconds
            yield result
        self.mapping += time.perf_counter() - began


@dataclass
class Timings:
    """The timings of one way of running the study, over its repeats."""

    walls: list[float] = field(default_factory=list)
    startups: list[float] = field(default_factory=list)
    breakdowns: list[tuple[float, float, float]] = field(default_factory=list)

    def add(self, wall: float, pool: Measured, startup: float = 0.0) -> None:
        """Record a repeat: its wall time, the pool's breakdown and the start-up paid."""
        idle = pool.workers * pool.mapping - pool.busy
        self.walls.append(wall)
        self.startups.append(startup)
        self.breakdowns.append((pool.busy, idle, wall - pool.mapping))

    @property
    def best(self) -> int:
        """The index of the fastest repeat."""
        return self.walls.index(min(self.walls))


def sobol(samples: int, workers: Pool) -> float:
    """Seconds of one Sobol analysis of the ranges scenario, runs of one chunk."""
    prepared = prepare(RANGES)
    measure = pick_measure(prepared.model, None)
    began = time.perf_counter()
    analyse(prepared.loaded, measure, "sobol", samples, 4096, seed=1, workers=workers)
    return time.perf_counter() - began


@contextlib.contextmanager
def cluster_timed(startup: list[float]) -> Iterator[Pool]:
    """A local Dask cluster of 2 workers; appends the seconds of its start and stop."""
    began = time.perf_counter()
    with open_cluster("local:2") as cluster:
        startup.append(time.perf_counter() - began)
        yield cluster
        began = time.perf_counter()
    startup[-1] += time.perf_counter() - began


def compare(samples: int, repeats: int) -> tuple[Timings, Timings]:
    """The study with 2 local processes and on a local cluster, in turn, ``repeats`` times."""
    local, dask = Timings(), Timings()
    for _ in range(repeats):
        with pool_for(2) as pool:
            measured = Measured(pool)
            local.add(sobol(samples, measured), measured)
        startup: list[float] = []
        with cluster_timed(startup) as cluster:
            measured = Measured(cluster)
            wall = sobol(samples, measured)
        dask.add(wall, measured, startup[0])
    return local, dask


def sobol_rows(samples: list[int], repeats: int) -> tuple[list[str], list[str]]:
    """The comparison table's rows, and the breakdown table's."""
    rows, breakdown = [], []
    loaded = prepare(RANGES).loaded
    with pool_for(1) as inline:
        sobol(2, inline)  # imports and caches, outside the timings
    for n in samples:
        _, runs = plan(loaded, "sobol", n)
        trials = runs * 4096
        local, dask = compare(n, repeats)
        best, worst = min(local.walls), max(local.walls)
        on, on_worst = min(dask.walls), max(dask.walls)
        startup = dask.startups[dask.best]
        rows.append(
            f"| {n:,} | {runs:,} | {trials:,} | {best:.1f} ({worst:.1f}) | "
            f"{trials / best:,.0f} | {on:.1f} ({on_worst:.1f}) | {trials / on:,.0f} "
            f"| {on / best - 1:+.1%} | {startup:.1f} | {(on + startup) / best - 1:+.1%} |"
        )
        for name, path in (("2 processes", local), ("`local:2` cluster", dask)):
            busy, idle, outside = path.breakdowns[path.best]
            breakdown.append(
                f"| {n:,} | {name} | {path.walls[path.best]:.1f} | {busy:.1f} | {idle:.1f} "
                f"| {outside:.1f} |"
            )
    return rows, breakdown


def sweep_row(points: int, trials: int, repeats: int) -> str:
    """A sweep of ``points`` points of ``trials`` trials, 2 local processes."""
    prepared = prepare(SCENARIO)
    varies = [("deadlines.0.settles", spread(0.0, 1.0, points))]
    best, worst = timed(lambda: run_sweep(prepared, varies, trials, 1, workers=2), repeats)
    return f"| {points:,} | {trials} | {best:.1f} ({worst:.1f}) | {1000 * best / points:.1f} |"


def main() -> None:
    """Run the study benchmarks and print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small studies, for a smoke test")
    parser.add_argument("--large", action="store_true", help="add Sobol N = 1,024 (minutes)")
    parser.add_argument("--samples", type=int, help="Sobol base samples N (default 64)")
    parser.add_argument("--points", type=int, default=1000, help="sweep points")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    samples = [4] if args.quick else [64, 1024] if args.large else [args.samples or 64]
    points = 20 if args.quick else args.points
    rows, breakdown = sobol_rows(samples, args.repeats)
    print(
        "| N | runs | trials | 2 processes: s (worst) | trials/s | local:2 cluster: s (worst) "
        "| trials/s | cluster overhead | cluster start-up: s | overhead with start-up |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    print("| N | path | wall: s | workers busy: s | workers idle: s | outside the map: s |")
    print("|---:|---|---:|---:|---:|---:|")
    print("\n".join(breakdown))
    print()
    print("| points | trials per point | seconds (worst) | ms per point |")
    print("|---:|---:|---:|---:|")
    print(sweep_row(points, 100, args.repeats))


if __name__ == "__main__":
    main()

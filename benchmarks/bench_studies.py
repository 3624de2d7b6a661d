"""Benchmark studies at scale: a Sobol analysis and a sweep, locally and on a Dask cluster.

Run from the repository root:  python benchmarks/bench_studies.py [--quick] [--large]
It prints Markdown tables; docs/performance.md records them with the machine they ran on.

- Sobol on ``nato-2024-rutte-ranges`` (11 ranges, runs of 4,096 trials): N = 64 (855 runs),
  and with ``--large`` N = 1,024 (13,680 runs), with 2 local worker processes and through
  ``--cluster local:2``, side by side; the cluster's overhead is its extra time.
- A sweep of 1,000 points at 100 trials each, 2 local worker processes.
Each figure is the best of ``--repeats`` runs, with the spread.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's natosim

from natosim.model.prepared import prepare
from natosim.studies.sensitivity import analyse, pick_measure, plan
from natosim.studies.sweep import run_sweep, spread
from natosim.trials.cluster import open_cluster
from natosim.trials.pool import Workers, pool_for

LIBRARY = Path(__file__).resolve().parent.parent / "natosim" / "scenarios"
RANGES = LIBRARY / "nato-2024-rutte-ranges.yaml"
SCENARIO = LIBRARY / "nato-2024-rutte.yaml"


def timed(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best and worst wall-clock seconds of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times), max(times)


def sobol(samples: int, workers: Workers) -> None:
    """One Sobol analysis of the ranges scenario, runs of one chunk."""
    loaded = prepare(RANGES).loaded
    measure = pick_measure(prepare(RANGES).model, None)
    analyse(loaded, measure, "sobol", samples, 4096, seed=1, workers=workers)


def sobol_rows(samples: list[int], repeats: int) -> list[str]:
    """Sobol analyses with 2 local processes and on a local Dask cluster of 2 workers."""
    rows = []
    loaded = prepare(RANGES).loaded
    for n in samples:
        _, runs = plan(loaded, "sobol", n)
        trials = runs * 4096
        with pool_for(2) as pool:
            local = timed(lambda pool=pool, n=n: sobol(n, pool), repeats)
        with open_cluster("local:2") as cluster:
            dask = timed(lambda cluster=cluster, n=n: sobol(n, cluster), repeats)
        overhead = dask[0] / local[0] - 1
        rows.append(
            f"| {n:,} | {runs:,} | {trials:,} | {local[0]:.1f} ({local[1]:.1f}) | "
            f"{trials / local[0]:,.0f} | {dask[0]:.1f} ({dask[1]:.1f}) | {trials / dask[0]:,.0f} "
            f"| {overhead:+.1%} |"
        )
    return rows


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
    print(
        "| N | runs | trials | 2 processes: s (worst) | trials/s "
        "| local:2 cluster: s (worst) | trials/s | cluster overhead |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(sobol_rows(samples, args.repeats)))
    print()
    print("| points | trials per point | seconds (worst) | ms per point |")
    print("|---:|---:|---:|---:|")
    print(sweep_row(points, 100, args.repeats))


if __name__ == "__main__":
    main()

"""Benchmark the engines: speed, speed-up over the reference engine, memory and scaling.

Run from the repository root:  python benchmarks/bench_engine.py [--quick]
It prints Markdown tables; docs/performance.md records them with the machine they ran on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's natosim

from natosim.engine.fast.kernel import KERNEL
from natosim.model.arrays import Model, Reversion
from natosim.model.prepared import prepare
from natosim.trials.chunks import run_model

SCENARIO = Path(__file__).resolve().parent.parent / "natosim" / "scenarios" / "nato-2024-rutte.yaml"


def cpu_model() -> str:
    """The processor's model name, from /proc/cpuinfo where there is one."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def trials_per_second(model: Model, trials: int, engine: str, repeats: int) -> float:
    """Best of ``repeats`` runs, one worker, after one chunk to warm up.

    Why the warm-up: the compiled passes are loaded (or compiled) at their first call in a
    process; that one-time cost is measured apart, by :func:`first_chunk_seconds`.
    """
    run_model(model, seed=1, trials=min(trials, 4096), workers=1, engine=engine)  # type: ignore[arg-type]
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        run_model(model, seed=1, trials=trials, workers=1, engine=engine)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - began)
    return trials / best


def in_fresh_process(code: str, env: dict[str, str]) -> str:
    """What ``code`` prints, run by a new interpreter with ``env`` added to the environment."""
    root = str(Path(__file__).resolve().parent.parent)
    full = {**os.environ, **env, "PYTHONPATH": root}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full)
    out.check_returncode()
    return out.stdout.strip()


def kernel_speed(kernel: str, trials: int, repeats: int) -> tuple[str, float]:
    """The kernel a fresh process runs with ``NATOSIM_KERNEL=kernel``, and its trials/s."""
    here = str(Path(__file__).resolve().parent)
    code = (
        f"import sys; sys.argv = ['bench', '--speed', '{trials}', '--repeats', '{repeats}']\n"
        f"sys.path.insert(0, {here!r}); import bench_engine; bench_engine.main()"
    )
    name, speed = in_fresh_process(code, {"NATOSIM_KERNEL": kernel}).split()
    return name, float(speed)


def first_chunk_seconds(env: dict[str, str]) -> float:
    """Seconds of a new process's first chunk (4,096 trials) less those of its second."""
    code = (
        "import time, pathlib\n"
        "from natosim.model.prepared import prepare\n"
        "from natosim.engine.fast.chunk import simulate_fast\n"
        f"m = prepare(pathlib.Path({str(SCENARIO)!r})).model\n"
        "times = []\n"
        "for c in (0, 1):\n"
        "    t = time.perf_counter(); simulate_fast(m, 1, c, 4096)\n"
        "    times.append(time.perf_counter() - t)\n"
        "print(times[0] - times[1])\n"
    )
    return float(in_fresh_process(code, env))


def peak_memory_mib(trials: int, workers: int) -> tuple[float, float]:
    """Peak resident memory (MiB) of the largest process of a run, and its seconds.

    With workers, the pool's processes are counted one by one: the figure is the largest of
    the parent and its workers, not their sum.
    """
    code = (
        "import resource, time, sys\n"
        "from natosim.model.prepared import prepare\n"
        "from natosim.results.precision import simulate\n"
        f"p = prepare(__import__('pathlib').Path({str(SCENARIO)!r}))\n"
        "t = time.perf_counter()\n"
        f"simulate(p, trials={trials}, seed=1, workers={workers})\n"
        "sys.stdout.write(str(time.perf_counter() - t))\n"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(peak_kib, before) / 1024, float(out.stdout)


def synthetic_model(members: int, candidates: int, rounds: int = 45) -> Model:
    """A body of ``members`` members and ``candidates`` candidates with mixed stances."""
    rng = np.random.default_rng(members * 1000 + candidates)
    probs = rng.dirichlet([4.0, 3.0, 0.5, 0.5], size=(members, candidates))
    start = dt.date(2030, 1, 7)
    demand_member = rng.choice(members, size=max(1, members // 10), replace=False)
    probs[demand_member, 0] = [0.3, 0.3, 0.4, 0.0]
    return Model(
        members=tuple(f"M{i:03d}" for i in range(members)),
        candidates=tuple(f"c{k}" for k in range(candidates)),
        candidate_names=tuple(f"Candidate {k}" for k in range(candidates)),
        dates=tuple(start + dt.timedelta(days=7 * t) for t in range(rounds)),
        present=np.ones((rounds, members), dtype=bool),
        stance_prob=probs,
        lift_rate=np.full(members, 0.05),
        silence_break=np.full(members, 0.001),
        clout=rng.lognormal(0.0, 1.0, members),
        enter_round=np.zeros(candidates, dtype=np.int64),
        withdraw_rate=np.full(candidates, 0.05),
        endorses=np.zeros(candidates, dtype=np.int64) - (np.arange(candidates) == 0),
        home=np.full(candidates, -1, dtype=np.int64),
        demand_member=demand_member.astype(np.int64),
        demand_candidate=np.zeros(demand_member.size, dtype=np.int64),
        grant_rate=np.full(demand_member.size, 0.1),
        demand_descriptions=tuple("demand" for _ in demand_member),
        demand_granted_by=tuple(None for _ in demand_member),
        pressure=np.linspace(0.0, 1.0, rounds),
        hard_round=rounds - 5,
        hard_date=start + dt.timedelta(days=7 * (rounds - 5)),
        reversion=Reversion.EXTENSION,
        events=(),
        deadlines=(),
        deadline_pressure=3.5,
        isolation=1.0,
        influence=1.0,
        package=0.02,
        following=0.25,
        follows=np.eye(members, k=1, dtype=bool) & (np.arange(members) % 10 == 0)[:, None],
        bloc=np.where(np.arange(members) < 3, 0, -1).astype(np.int64),
        bloc_correlation=np.array([0.5]),
    )


def main() -> None:
    """Run every benchmark and print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer trials, for a smoke test")
    parser.add_argument("--speed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    model = prepare(SCENARIO).model
    if args.speed:
        print(KERNEL, trials_per_second(model, args.speed, "fast", args.repeats))
        return
    quick = args.quick
    fast_n, ref_n, repeats = (8192, 200, 1) if quick else (100_000, 2_000, 3)
    fast = trials_per_second(model, fast_n, "fast", repeats)
    ref = trials_per_second(model, ref_n, "reference", 1)
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
    print(f"numpy {np.__version__}; {numba_version()}; this process's kernel: {KERNEL}\n")
    print("| engine | kernel | trials | trials/s (one worker) |\n|---|---|---:|---:|")
    print(f"| fast | {KERNEL} | {fast_n:,} | {fast:,.0f} |")
    for other in {"numpy", "numba"} - {KERNEL}:
        name, speed = kernel_speed(other, fast_n, repeats)
        if name == other:
            print(f"| fast | {name} | {fast_n:,} | {speed:,.0f} |")
    print(f"| reference | — | {ref_n:,} | {ref:,.0f} |")
    print(f"\nSpeed-up of fast over reference: {fast / ref:,.0f}×\n")
    print_first_chunk()
    print("| trials | seconds (one worker) | trials/s |\n|---:|---:|---:|")
    for n in (16_384, 65_536, 262_144) if not quick else (4096, 8192):
        began = time.perf_counter()
        run_model(model, seed=1, trials=n, workers=1)
        secs = time.perf_counter() - began
        print(f"| {n:,} | {secs:.2f} | {n / secs:,.0f} |")
    print()
    big = 100_000 if quick else 1_000_000
    print("| trials | workers | seconds | peak memory (MiB) |\n|---:|---:|---:|---:|")
    for workers in (1, 2):
        mib, secs = peak_memory_mib(big, workers)
        print(f"| {big:,} | {workers} | {secs:.1f} | {mib:.0f} |")
    print("\n| members | candidates | trials/s | µs per trial per member·candidate |")
    print("|---:|---:|---:|---:|")
    for m, k in ((32, 2), (50, 2), (100, 2), (200, 2), (32, 5), (100, 5), (200, 5), (200, 10)):
        n = 4096 if quick else 16_384
        tps = trials_per_second(synthetic_model(m, k), n, "fast", 1)
        print(f"| {m} | {k} | {tps:,.0f} | {1e6 / tps / (m * k):.3f} |")


def numba_version() -> str:
    """numba's version, or that it is not installed."""
    try:
        import numba
    except ImportError:
        return "numba not installed"
    return f"numba {numba.__version__}"


def print_first_chunk() -> None:
    """The one-time cost of a process's first chunk, by kernel and state of numba's cache."""
    print("| kernel | numba's cache | extra seconds of a process's first chunk |")
    print("|---|---|---:|")
    if KERNEL == "numba":
        with tempfile.TemporaryDirectory() as cache:
            cold = first_chunk_seconds({"NUMBA_CACHE_DIR": cache})
            warm = first_chunk_seconds({"NUMBA_CACHE_DIR": cache})
        print(f"| numba | empty (first run after install) | {cold:.2f} |")
        print(f"| numba | filled | {warm:.2f} |")
    print(f"| numpy | — | {first_chunk_seconds({'NATOSIM_KERNEL': 'numpy'}):.2f} |\n")


if __name__ == "__main__":
    main()

"""The full monotonicity sweep: every file, every ally, every ordering, more trials.

Run from the repository root:  python benchmarks/monotone_sweep.py [--trials N] [--top N]
It prints Markdown tables: per kind of check, how many differences were measured, how many
were significant violations and the worst one; the worst violations overall; and, for every
file cut down to its front-runner alone, the trials that break the pathwise promise.

tests/test_monotone.py runs a subset in CI (one ally of each group alike, one chunk); this
runs the same checks (tests/monotone.py) for every ally. At the default 8,192 trials it
runs 3,402 distinct models in all (distributional and pathwise): about 5 minutes on the
2-core machine of docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's natosim, and the checks

import monotone as mono  # noqa: E402
import monotone_variants as variants  # noqa: E402
import numpy as np  # noqa: E402

from natosim.scenario.loader import load_scenario  # noqa: E402


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in rows)])


def interval(f: mono.Finding) -> str:
    return f"[{f.low:+.4f}, {f.high:+.4f}]"


def kind(f: mono.Finding) -> str:
    """The kind of check, with the pair of stances for the stance ladder."""
    return f"stance {f.what.split(' ', 1)[1]}" if f.check == "stance" else f.check


def by_check(found: Sequence[mono.Finding]) -> str:
    """Per kind of check: differences measured, violations, and the most negative one."""
    rows = []
    for name in sorted({kind(f) for f in found}):
        ours = [f for f in found if kind(f) == name]
        bad = mono.violations(ours)
        worst = min(ours, key=lambda f: (f.difference, f.high))
        where = f"{worst.scenario}: {worst.what}: {worst.measure}"
        cells = [f"{worst.difference:+.4f}", interval(worst), where]
        rows.append([name, str(len(ours)), str(len(bad)), *cells])
    header = ["check", "measured", "violations", "lowest diff", "95 % interval", "where"]
    return table(header, rows)


def worst(found: Sequence[mono.Finding], top: int) -> str:
    """The ``top`` violations with the most negative upper bound."""
    rows = [
        [f.scenario, f.what, f.measure, f"{f.difference:+.4f}", interval(f)]
        for f in mono.violations(found)[:top]
    ]
    return table(["scenario", "pair", "measure", "difference", "95 % interval"], rows)


def pathwise(batch: mono.Batch, subjects: Sequence[variants.Subject]) -> str:
    """Every file with its front-runner alone: the trials where hardening helped."""
    cut = [variants.single_candidate(s.loaded, s.front_id) for s in subjects]
    alone = mono.base_subjects(batch, cut)
    pairs = [
        (s, o, batch.add(s.loaded, o.better), batch.add(s.loaded, o.worse))
        for s in alone
        for code in s.model.members
        for o in variants.stance_orderings(s, code)
    ]
    batch.run()
    rows = []
    for s, o, b, w in pairs:
        bad = int(np.count_nonzero(mono.pathwise_violations(batch.results[b], batch.results[w], 0)))
        if bad:
            rows.append([s.name, s.front_id, o.what, str(bad)])
    rows.sort(key=lambda row: -int(row[3]))
    return table(["scenario", "candidate", "pair", f"trials of {batch.trials}"], rows)


def main() -> None:
    """Parse the options, run the sweep and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8192)
    parser.add_argument("--seed", type=int, default=20240607)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--top", type=int, default=40, help="violations listed")
    parser.add_argument("--no-pathwise", action="store_true")
    args = parser.parse_args()
    began = time.perf_counter()
    batch = mono.Batch(args.seed, args.trials, args.workers)
    loaded = [load_scenario(path) for path in variants.scenario_files()]
    found = mono.check_all(batch, loaded, every_ally=True)
    print(f"## Distributional checks ({args.trials} trials, seed {args.seed})\n")
    print(by_check(found), "\n\n## Worst violations\n\n" + worst(found, args.top))
    if not args.no_pathwise:
        subjects = mono.base_subjects(batch, loaded)
        print("\n## Pathwise checks (front-runner alone, no silence breaks)\n")
        print(pathwise(batch, subjects))
    seconds = time.perf_counter() - began
    print(f"\n{len(batch.results)} distinct models in {seconds:.0f} s")


if __name__ == "__main__":
    main()

"""The fast engine's compiled passes give the numpy passes' numbers bit for bit.

Each pass of :mod:`natosim.engine.fast.passes` is run against its namesake in
:mod:`natosim.engine.fast.compiled` on random inputs of many shapes (absent members, inactive
candidates, ties of support, clocks at and past their thresholds), comparing every output and
every array a pass writes to. Then whole chunks of every bundled scenario and every oracle
are simulated with each set of passes and their records compared.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import load_model, records_equal
from numpy.typing import NDArray

from natosim.engine.fast import kernel, passes
from natosim.engine.fast.chunk import simulate_fast
from natosim.model.compile import exact_sums

compiled = pytest.importorskip("natosim.engine.fast.compiled")

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "natosim" / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "oracles").glob("*.yaml")
)
PASSES = (
    "stand",
    "restand",
    "record",
    "advance",
    "influence",
    "silence",
    "grant",
    "categories",
    "support",
    "settle",
    "exits",
    "lift_terms",
)
SHAPES = [(0, 2, 5), (1, 1, 1), (7, 3, 4), (64, 2, 32), (200, 5, 40), (300, 1, 9)]


def same(a: Any, b: Any) -> bool:
    """Whether two outputs are equal bit for bit (floats compared by their bits)."""
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if a is None or b is None:
        return a is b
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "f":
        a, b = a.view(f"u{a.itemsize}"), b.view(f"u{b.itemsize}")
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b))


def stances(rng: np.random.Generator, shape: tuple[int, int, int]) -> NDArray[np.int8]:
    """Stances drawn with probabilities that differ from draw to draw."""
    p = rng.dirichlet(np.ones(4))
    return rng.choice(4, size=shape, p=p).astype(np.int8)


def clocks(rng: np.random.Generator, shape: tuple[int, ...]) -> tuple[Any, Any]:
    """Elapsed hazards and thresholds, some equal, some already past."""
    threshold = rng.standard_exponential(shape).astype(np.float32)
    elapsed = (threshold * rng.choice([0.0, 0.5, 1.0], size=shape)).astype(np.float32)
    return elapsed, threshold


def weights(rng: np.random.Generator, m: int) -> NDArray[np.float64]:
    """Clout as the model holds it: exact to sum; whole numbers half the time, for ties."""
    raw = rng.integers(0, 3, m).astype(np.float64) if rng.random() < 0.5 else rng.random(m) * 9
    present = rng.random(m) < 0.9
    return np.asarray(exact_sums(raw) * present, dtype=np.float64)


def hazards(rng: np.random.Generator, size: int) -> NDArray[np.float64]:
    """Hazards with zeros, certain ones (above CERTAIN) and ordinary ones."""
    h = rng.standard_exponential(size) * rng.choice([0.0, 0.3, 3.0, 1e31], size=size)
    return np.asarray(h, dtype=np.float64)


def cells(rng: np.random.Generator, shape: tuple[int, int, int]) -> tuple[Any, Any, Any]:
    """Cells with no (row, member) pair twice but with a different candidate; some repeated."""
    n, k, m = shape
    pairs = rng.choice(n * m, size=min(n * m, 60), replace=False)
    row, member = np.divmod(pairs, m)
    cand = rng.integers(0, k, row.size)
    again = rng.random(row.size) < 0.2
    row, cand, member = (np.concatenate([a, a[again]]) for a in (row, cand, member))
    return row.astype(np.int64), cand.astype(np.int64), member.astype(np.int64)


def inputs(name: str, rng: np.random.Generator, shape: tuple[int, int, int]) -> tuple[Any, ...]:
    """Random arguments for the pass called ``name``."""
    n, k, m = shape
    stance = stances(rng, shape)
    present, active = rng.random(m) < 0.9, rng.random((n, k)) < 0.8
    w = weights(rng, m)
    if name == "stand":
        return stance, present, active, w
    if name == "restand":
        _, blockers, front, _ = passes.stand(stance, present, active, w)
        return stance, present, active, w, rng.random(n) < 0.3, blockers, front
    if name == "record":
        count = rng.integers(0, 5, shape).astype(np.int16)
        return stance, present, active, count, count.copy() - 1, int(rng.integers(0, 40))
    if name == "advance":
        elapsed, threshold = clocks(rng, shape)
        flat = rng.choice(n * k * m, size=min(n * k * m, 50), replace=False)
        return elapsed, threshold, flat.astype(np.int64), hazards(rng, flat.size)
    if name == "influence":
        elapsed, threshold = clocks(rng, shape)
        leader = rng.integers(-1, k, n).astype(np.int64)
        total = (rng.random((n, k)) * 5).astype(np.float32)
        rate = (rng.random(m) * present).astype(np.float32)
        return stance, active, leader, total, rate, elapsed, threshold
    if name == "silence":
        elapsed, threshold = clocks(rng, (n, m))
        rows = np.flatnonzero(rng.random(n) < 0.5).astype(np.int64)
        return elapsed, threshold, rows, hazards(rng, m)
    if name == "grant":
        elapsed, threshold = clocks(rng, (n, k))
        granted = np.where(rng.random((n, k)) < 0.3, 2, -1).astype(np.int16)
        return granted, rng.random((n, k)) < 0.8, elapsed, threshold, hazards(rng, k), 7
    if name == "exits":
        elapsed, threshold = clocks(rng, (n, k))
        front = rng.integers(-1, k, n).astype(np.int64)
        return active, front, elapsed, threshold, hazards(rng, k)
    if name == "lift_terms":
        flat = np.sort(rng.choice(n * k * m, size=min(n * k * m, 80), replace=False))
        blockers = rng.integers(0, 4, (n, k)).astype(np.int64)
        total, share = rng.random((n, k)) * 7, rng.random(m) / 3
        terms = (float(rng.random() * 2), float(rng.random() * 3), float(rng.random()))
        return stance, flat.astype(np.int64), blockers, total, share, terms
    if name == "support":
        return stance, rng.random(n) < 0.5, *cells(rng, shape)
    if name == "settle":
        d = 6
        own = np.where(rng.random((m, k, 2)) < 0.4, rng.integers(0, d, (m, k, 2)), -1)
        own = np.sort(own, axis=2)[:, :, ::-1].astype(np.int64)
        granted = np.where(rng.random((n, d)) < 0.6, 1, -1).astype(np.int16)
        dirty, via = rng.random(n) < 0.5, rng.random(shape) < 0.1
        return stance, via, dirty, granted, own, *cells(rng, shape)
    probs = rng.dirichlet(np.ones(4), size=m * k)
    probs[rng.random(m * k) < 0.3] = [0.0, 1.0, 0.0, 0.0]
    from natosim.engine.draws import thresholds

    return rng.random((n, m * k)), *thresholds(probs)


def copies(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments with every array copied, so that each pass writes to its own."""
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


@pytest.mark.parametrize("name", PASSES)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_compiled_pass_equals_numpy_pass(name: str, shape: tuple[int, int, int]) -> None:
    for seed in range(12):
        args = inputs(name, np.random.default_rng(seed), shape)
        mine, theirs = copies(args), copies(args)
        expected = getattr(passes, name)(*mine)
        got = getattr(compiled, name)(*theirs)
        assert same(got, expected), f"{name} output, seed {seed}"
        assert same(theirs, mine), f"{name} arrays written, seed {seed}"


@pytest.fixture
def numpy_passes(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """A switch that makes the engine run the numpy passes for the rest of the test."""

    def switch() -> None:
        for name in PASSES:
            monkeypatch.setattr(kernel, name, getattr(passes, name))

    return switch


def chunks_of(path: Path) -> Iterator[Any]:
    model = load_model(path)
    for chunk in (0, 3):
        yield simulate_fast(model, seed=11, chunk=chunk, n=4096)[0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_whole_chunks_are_the_same_with_either_set_of_passes(
    path: Path, numpy_passes: Callable[[], None]
) -> None:
    assert kernel.stand is compiled.stand
    with_compiled = list(chunks_of(path))
    numpy_passes()
    assert kernel.stand is passes.stand
    for a, b in zip(with_compiled, chunks_of(path), strict=True):
        assert records_equal(a, b)


def kernel_in(env: dict[str, str], setup: str = "") -> str:
    """The kernel a fresh interpreter chooses with ``env`` added to the environment."""
    code = f"{setup}from natosim.engine.fast.kernel import KERNEL; print(KERNEL)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_the_compiled_passes_run_when_numba_is_there_unless_numpy_is_asked_for() -> None:
    assert kernel_in({"NATOSIM_KERNEL": ""}) == "numba"
    assert kernel_in({"NATOSIM_KERNEL": "numpy"}) == "numpy"
    assert kernel_in({"NATOSIM_KERNEL": ""}, "import sys; sys.modules['numba'] = None; ") == "numpy"


def test_numba_that_fails_to_set_up_leaves_the_numpy_passes() -> None:
    """numba raises RuntimeError at decoration when it finds nowhere to cache: numpy runs."""
    broken = (
        "import sys, types; numba = types.ModuleType('numba'); "
        "numba.njit = lambda **options: (_ for _ in ()).throw(RuntimeError('no locator')); "
        "sys.modules['numba'] = numba; "
    )
    assert kernel_in({"NATOSIM_KERNEL": ""}, broken) == "numpy"


def test_sums_of_rounded_clout_are_exact_in_any_order() -> None:
    rng = np.random.default_rng(5)
    for scale in (1e-3, 1.0, 1e6, 1e12):
        raw = rng.random(40) * scale
        w = exact_sums(raw)
        assert np.all(np.abs(w - raw) <= 1e-12 * raw.sum())
        for _ in range(20):
            pick = w[rng.random(40) < 0.5]
            forwards = sum(pick.tolist(), 0.0)
            assert sum(rng.permutation(pick).tolist(), 0.0) == forwards
            assert float(np.sum(pick)) == forwards

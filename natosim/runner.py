"""Run a compiled scenario: chunks of trials, in one process or several, merged in order."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from natosim.engine import EngineName, simulate_chunk
from natosim.engine.streams import chunks
from natosim.model import Model
from natosim.tally import Tally


@dataclass(frozen=True)
class ChunkOutput:
    """What a run keeps of one chunk: its counts and each trial's outcome and round."""

    chunk: int
    tally: Tally
    outcome: NDArray[np.int16]
    decision_round: NDArray[np.int16]


@dataclass(frozen=True)
class Run:
    """The result of a run, with what makes it reproducible."""

    model: Model
    seed: int
    trials: int
    engine: EngineName
    workers: int
    tally: Tally
    outcome: NDArray[np.int16]  # (trials,) per-trial outcome index, for paired comparisons
    decision_round: NDArray[np.int16]  # (trials,)
    seconds: float


def default_workers() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def simulate_one_chunk(
    model: Model, seed: int, chunk: int, n: int, engine: EngineName
) -> ChunkOutput:
    """Simulate one chunk and keep its counts (a top-level function, so workers can run it)."""
    records, _ = simulate_chunk(model, seed, chunk, n, engine=engine)
    return ChunkOutput(chunk, Tally.of(model, records), records.outcome, records.decision_round)


def iter_chunks(
    model: Model, seed: int, trials: int, workers: int, engine: EngineName
) -> Iterator[ChunkOutput]:
    """Yield chunk results in chunk order, computed by ``workers`` processes."""
    plan = chunks(trials)
    if workers <= 1 or len(plan) == 1:
        for c, n in plan:
            yield simulate_one_chunk(model, seed, c, n, engine)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        args = [(model, seed, c, n, engine) for c, n in plan]
        yield from pool.map(_star, args)


def _star(args: tuple[Model, int, int, int, EngineName]) -> ChunkOutput:
    return simulate_one_chunk(*args)


def run_model(
    model: Model,
    seed: int,
    trials: int,
    workers: int | None = None,
    engine: EngineName = "fast",
    progress: Callable[[int], None] | None = None,
) -> Run:
    """Simulate ``trials`` trials of ``model`` and merge the chunks in order.

    Args:
        model: The compiled scenario.
        seed: Root seed; with the trial index it fixes each trial's result.
        trials: Number of trials.
        workers: Worker processes (default: all cores); the result does not depend on it.
        engine: ``fast`` or ``reference``.
        progress: Called with the number of trials done after each chunk.
    """
    workers = workers or default_workers()
    began = time.perf_counter()
    parts: list[ChunkOutput] = []
    done = 0
    for part in iter_chunks(model, seed, trials, workers, engine):
        parts.append(part)
        done += part.outcome.size
        if progress:
            progress(done)
    tally = parts[0].tally
    for part in parts[1:]:
        tally = tally + part.tally
    return Run(
        model=model,
        seed=seed,
        trials=trials,
        engine=engine,
        workers=workers,
        tally=tally,
        outcome=np.concatenate([p.outcome for p in parts]),
        decision_round=np.concatenate([p.decision_round for p in parts]),
        seconds=time.perf_counter() - began,
    )

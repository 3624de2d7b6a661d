"""Run several models on the same seed and trials: common random numbers for comparisons.

Why: a what-if or a sweep compares variants of one scenario. Run on the same seed, trial i of
every variant starts from the same random numbers (docs/model.md), so differences between
variants come from the change, not from luck. All chunks of all models go through one process
pool, so a batch of small runs keeps every core busy; a chunk's numbers depend only on the
model, the seed and the chunk index, so the result is the same for any number of workers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from natosim.engine import EngineName, simulate_chunk
from natosim.engine.streams import chunks
from natosim.model.arrays import Model
from natosim.trials.chunks import ChunkOutput, Run, merge_chunks
from natosim.trials.pool import Workers, pool_for
from natosim.trials.tally import Tally

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ModelRun:
    """One model's run in a batch, and what paired comparisons need per trial."""

    run: Run
    last_holdout: NDArray[np.int16]  # (trials,) the unique last holdout, or -1


_Task = tuple[int, Model, int, int, int, EngineName]
_Done = tuple[int, ChunkOutput, NDArray[np.int16], float]


def run_models(
    models: Sequence[Model],
    seed: int,
    trials: int,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> list[ModelRun]:
    """Run every model on the same seed and trials, all chunks of all models in one pool.

    Args:
        models: The compiled variants.
        seed: The root seed of every run.
        trials: Trials per model.
        workers: Worker processes (default: all cores) or a pool (a study's, kept open).
        engine: ``fast`` or ``reference``.

    Returns:
        One :class:`ModelRun` per model, in order; its ``run`` has the same counts and
        per-trial results as :func:`natosim.trials.chunks.run_model` for that model, whatever
        ``workers`` is. Its ``seconds`` is the time spent on its own chunks.
    """
    tasks = [(p, m, seed, c, n, engine) for p, m in enumerate(models) for c, n in chunks(trials)]
    with pool_for(workers) as pool:
        done = parallel_map(_simulate, tasks, pool)
        count = pool.workers
    return [
        _merge(model, seed, engine, count, [d for d in done if d[0] == p])
        for p, model in enumerate(models)
    ]


def parallel_map(function: Callable[[T], R], items: Sequence[T], workers: Workers) -> list[R]:
    """``[function(item) for item in items]``, in order, over ``workers`` (a count or a pool)."""
    with pool_for(workers) as pool:
        return list(pool.imap(function, items))


def _simulate(task: _Task) -> _Done:
    point, model, seed, chunk, n, engine = task
    began = time.perf_counter()
    records, _ = simulate_chunk(model, seed, chunk, n, engine=engine)
    output = ChunkOutput(chunk, Tally.of(model, records), records.outcome, records.decision_round)
    return point, output, records.last_holdout, time.perf_counter() - began


def _merge(
    model: Model, seed: int, engine: EngineName, workers: int, done: list[_Done]
) -> ModelRun:
    parts = [d[1] for d in done]
    run = merge_chunks(model, seed, engine, workers, parts, sum(d[3] for d in done))
    return ModelRun(run, np.concatenate([d[2] for d in done]))

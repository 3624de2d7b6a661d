"""Run a compiled scenario: chunks of trials, in one process or several, merged in order."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import NDArray

from natosim.engine import EngineName, simulate_chunk
from natosim.engine.streams import CHUNK_SIZE
from natosim.model.arrays import Model
from natosim.trials.pool import Workers, pool_for
from natosim.trials.tally import Tally


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


def simulate_one_chunk(
    model: Model, seed: int, chunk: int, n: int, engine: EngineName
) -> ChunkOutput:
    """Simulate one chunk and keep its counts (a top-level function, so workers can run it)."""
    records, _ = simulate_chunk(model, seed, chunk, n, engine=engine)
    return ChunkOutput(chunk, Tally.of(model, records), records.outcome, records.decision_round)


class ChunkPlan(Sequence[tuple[int, int]]):
    """The (chunk, trials) pairs of ``chunks(trials)`` from chunk ``first`` on, made on demand.

    Why: the list of a run of 10^15 trials would fill the memory before a trial ran; this
    plan holds two numbers whatever the count.
    """

    def __init__(self, trials: int, first: int = 0) -> None:
        """The chunks of ``trials`` trials, skipping the first ``first``."""
        self.trials = trials
        self.first = min(first, -(-trials // CHUNK_SIZE))

    def __len__(self) -> int:
        return -(-self.trials // CHUNK_SIZE) - self.first

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[int, int]]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, int] | Sequence[tuple[int, int]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        c = self.first + index % len(self)
        return c, min(CHUNK_SIZE, self.trials - c * CHUNK_SIZE)


def iter_plan(
    model: Model, seed: int, plan: Sequence[tuple[int, int]], workers: Workers, engine: EngineName
) -> Generator[ChunkOutput, None, None]:
    """Yield the results of the (chunk, trials) pairs of ``plan``, in plan order.

    Why: closing the iterator early (on Ctrl-C, say) cancels the chunks not yet started; a
    pool opened here waits only for those in progress, a pool passed in stays open.
    """
    tasks = _Tasks(model, seed, plan, engine)
    with pool_for(workers) as pool, contextlib.closing(pool.imap(_simulate_task, tasks)) as done:
        yield from done


_Task = tuple[Model, int, int, int, EngineName]


class _Tasks(Sequence[_Task]):
    """The tasks of a plan, made on demand (a plan may have billions of chunks)."""

    def __init__(
        self, model: Model, seed: int, plan: Sequence[tuple[int, int]], engine: EngineName
    ) -> None:
        self.model, self.seed, self.plan, self.engine = model, seed, plan, engine

    def __len__(self) -> int:
        return len(self.plan)

    @overload
    def __getitem__(self, index: int) -> _Task: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[_Task]: ...
    def __getitem__(self, index: int | slice) -> _Task | Sequence[_Task]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        c, n = self.plan[index]
        return self.model, self.seed, c, n, self.engine


def _simulate_task(task: _Task) -> ChunkOutput:
    return simulate_one_chunk(*task)


def run_model(
    model: Model,
    seed: int,
    trials: int,
    workers: Workers = None,
    engine: EngineName = "fast",
    progress: Callable[[int], None] | None = None,
) -> Run:
    """Simulate ``trials`` trials of ``model`` and merge the chunks in order.

    Args:
        model: The compiled scenario.
        seed: Root seed; with the trial index it fixes each trial's result.
        trials: Number of trials.
        workers: Worker processes (default: all cores) or a pool; the result does not
            depend on it.
        engine: ``fast`` or ``reference``.
        progress: Called with the number of trials done after each chunk.

    Raises:
        RunInterrupted: On Ctrl-C, with the run of the chunks finished before it.
    """
    tick = (lambda done, _tally: progress(done)) if progress else None
    return extend_run(model, seed, trials, workers, engine, tick)


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run; ``run`` holds the chunks finished before it (None if none was)."""

    def __init__(self, run: Run | None) -> None:
        """Keep the partial run."""
        super().__init__()
        self.run = run


def extend_run(
    model: Model,
    seed: int,
    trials: int,
    workers: Workers = None,
    engine: EngineName = "fast",
    progress: Callable[[int, Tally], None] | None = None,
    base: Run | None = None,
) -> Run:
    """Simulate trials up to ``trials``, after those of ``base`` (a run of whole chunks).

    Why: a trial depends only on (scenario, seed, index), so a longer run is the shorter one
    plus later chunks; ``--precision`` grows a run this way without simulating a trial twice.

    Args:
        model: The compiled scenario (the one ``base`` ran).
        seed: Root seed (``base``'s).
        trials: Total number of trials wanted, ``base``'s included.
        workers: Worker processes (default: all cores) or a pool.
        engine: ``fast`` or ``reference`` (``base``'s).
        progress: Called after each chunk with the trials done and their counts.
        base: A run to extend; its trials must fill whole chunks.

    Raises:
        RunInterrupted: On Ctrl-C, with the run of the chunks finished before it.
    """
    if base is not None and base.trials % CHUNK_SIZE:
        raise ValueError(f"cannot extend a run of {base.trials} trials: not whole chunks")
    done = _Merged.of(base, capacity=trials)
    began = time.perf_counter()
    plan = ChunkPlan(trials, first=-(-done.trials // CHUNK_SIZE))
    with pool_for(workers) as pool:
        try:
            with contextlib.closing(iter_plan(model, seed, plan, pool, engine)) as parts:
                for part in parts:
                    done = done.add(part)
                    if progress:
                        progress(done.trials, done.totals())
        except KeyboardInterrupt:
            spent = time.perf_counter() - began
            raise RunInterrupted(done.run(model, seed, engine, pool.workers, spent)) from None
    return _ensure(done.run(model, seed, engine, pool.workers, time.perf_counter() - began))


def merge_chunks(
    model: Model,
    seed: int,
    engine: EngineName,
    workers: int,
    parts: Sequence[ChunkOutput],
    seconds: float,
) -> Run:
    """The run made of ``parts``, the results of consecutive chunks in chunk order."""
    merged = _Merged.of(None, capacity=sum(part.outcome.size for part in parts))
    for part in parts:
        merged = merged.add(part)
    return _ensure(merged.run(model, seed, engine, workers, seconds))


def _ensure(run: Run | None) -> Run:
    if run is None:
        raise ValueError("a run needs at least one trial")
    return run


@dataclass(frozen=True)
class _Merged:
    """Chunks merged so far; replaced whole at each step, so Ctrl-C never leaves it half done.

    Why buffers sized for the whole run: keeping each chunk's per-trial arrays and joining
    them at the end needed twice the memory of the result (8 bytes a trial: 0.8 GB for the
    100,000,000 trials a run may have); writing each chunk into its place needs 4. A step
    writes only past the trials it counts, so an older ``_Merged`` sharing the buffers still
    holds what it says. ``numpy.empty`` reserves address space; memory is used as trials are
    written, so a run stopped early never used memory for the trials it did not run.
    """

    trials: int
    tally: Tally | None
    outcome: NDArray[np.int16]  # the first ``trials`` entries are filled
    decision_round: NDArray[np.int16]
    seconds: float

    @classmethod
    def of(cls, run: Run | None, capacity: int) -> _Merged:
        done = 0 if run is None else run.trials
        outcome = np.empty(max(capacity, done), np.int16)
        decision_round = np.empty(max(capacity, done), np.int16)
        if run is None:
            return cls(0, None, outcome, decision_round, 0.0)
        outcome[:done], decision_round[:done] = run.outcome, run.decision_round
        return cls(done, run.tally, outcome, decision_round, run.seconds)

    def add(self, part: ChunkOutput) -> _Merged:
        end = self.trials + part.outcome.size
        outcome, decision_round = _room(self.outcome, end), _room(self.decision_round, end)
        outcome[self.trials : end] = part.outcome
        decision_round[self.trials : end] = part.decision_round
        return _Merged(
            end,
            part.tally if self.tally is None else self.tally + part.tally,
            outcome,
            decision_round,
            self.seconds,
        )

    def totals(self) -> Tally:
        if self.tally is None:
            raise ValueError("no chunk merged yet")
        return self.tally

    def run(
        self, model: Model, seed: int, engine: EngineName, workers: int, seconds: float
    ) -> Run | None:
        if self.tally is None:
            return None
        return Run(
            model=model,
            seed=seed,
            trials=self.trials,
            engine=engine,
            workers=workers,
            tally=self.tally,
            outcome=self.outcome[: self.trials],
            decision_round=self.decision_round[: self.trials],
            seconds=self.seconds + seconds,
        )


def _room(buffer: NDArray[np.int16], size: int) -> NDArray[np.int16]:
    """``buffer``, or a copy with room for at least ``size`` entries (doubling)."""
    if size <= buffer.size:
        return buffer
    grown = np.empty(max(size, 2 * buffer.size), np.int16)
    grown[: buffer.size] = buffer
    return grown

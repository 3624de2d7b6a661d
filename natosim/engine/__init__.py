"""The engines: the same rules, vectorised (``fast``) or one trial at a time (``reference``)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Literal

from natosim.engine.records import LogEntry, TrialRecords
from natosim.engine.streams import CHUNK_SIZE
from natosim.model.arrays import Model

EngineName = Literal["fast", "reference"]
ENGINE_NAMES: tuple[EngineName, ...] = ("fast", "reference")

ChunkResult = tuple[TrialRecords, dict[int, list[LogEntry]]]


def simulate_chunk(
    model: Model,
    seed: int,
    chunk: int,
    n: int,
    log_trials: Collection[int] = (),
    engine: EngineName = "fast",
) -> ChunkResult:
    """Simulate the n trials of one chunk with the named engine.

    Args:
        model: The compiled scenario.
        seed: The run's root seed.
        chunk: Chunk index; the chunk holds trials ``chunk * CHUNK_SIZE`` onwards.
        n: Number of trials in the chunk.
        log_trials: Global indices of trials in this chunk whose event log to keep.
        engine: ``fast`` or ``reference``.

    Returns:
        The chunk's per-trial records and the requested event logs.
    """
    return _engine(engine)(model, seed, chunk, n, log_trials)


def _engine(name: EngineName) -> Callable[[Model, int, int, int, Collection[int]], ChunkResult]:
    if name == "fast":
        from natosim.engine.fast.chunk import simulate_fast

        return simulate_fast
    from natosim.engine.reference.chunk import simulate_reference

    def by_chunk(
        model: Model, seed: int, chunk: int, n: int, log_trials: Collection[int]
    ) -> ChunkResult:
        return simulate_reference(model, seed, chunk * CHUNK_SIZE, n, log_trials)

    return by_chunk

"""Random streams: one root seed, independent streams per chunk of trials and per mechanism.

Why: a trial's result must depend only on (scenario, seed, trial index), whatever the number of
worker processes, and switching one mechanism off must not shift the numbers another one sees.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

CHUNK_SIZE = 4096
"""Trials per chunk. Fixed: changing it changes which numbers each trial sees."""

REFERENCE_KEY = 2**32
"""First spawn-key word of the reference engine's per-trial streams."""


class Mechanism(IntEnum):
    """The mechanisms that draw random numbers, each from its own stream."""

    STANCE = 0
    EVENTS = 1
    INFLUENCE = 2
    CONCESSIONS = 3
    REVISION = 4
    WITHDRAWALS = 5
    SILENCE = 6
    PACKAGE = 7
    BLOCS = 8
    SETTLE = 9


def chunk_generators(seed: int, chunk: int) -> dict[Mechanism, np.random.Generator]:
    """The fast engine's generators for one chunk, one per mechanism."""
    return {
        mech: np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(chunk, mech)))
        )
        for mech in Mechanism
    }


def trial_generators(seed: int, trial: int) -> dict[Mechanism, np.random.Generator]:
    """The reference engine's generators for one trial, one per mechanism."""
    return {
        mech: np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(REFERENCE_KEY, trial, mech)))
        )
        for mech in Mechanism
    }


def chunks(trials: int) -> list[tuple[int, int]]:
    """Split ``trials`` into (chunk index, trials in chunk) pairs."""
    return [
        (c, min(CHUNK_SIZE, trials - c * CHUNK_SIZE))
        for c in range((trials + CHUNK_SIZE - 1) // CHUNK_SIZE)
    ]

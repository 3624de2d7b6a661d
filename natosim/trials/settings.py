"""How to run: trials, seed, workers and engine, with the scenario file's defaults filled in.

Why one place: every command and study reads "no --trials" and "no --seed" as the file's
``simulation`` block, and they must all read it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from natosim.engine import EngineName
from natosim.scenario.schema import Simulation
from natosim.trials.pool import Workers


@dataclass(frozen=True)
class RunSettings:
    """Resolved settings of a run: nothing here is left to a default."""

    trials: int
    seed: int
    workers: Workers = None
    engine: EngineName = "fast"


def resolve_settings(
    simulation: Simulation,
    trials: int | None = None,
    seed: int | None = None,
    workers: Workers = None,
    engine: EngineName = "fast",
) -> RunSettings:
    """The settings asked for, the file's ``simulation`` block where nothing was asked."""
    return RunSettings(
        trials=simulation.trials if trials is None else trials,
        seed=simulation.seed if seed is None else seed,
        workers=workers,
        engine=engine,
    )

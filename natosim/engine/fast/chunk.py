"""The fast engine: the rules of docs/model.md vectorised across the trials of a chunk.

Why: a scenario needs tens of thousands of trials; numpy arrays of shape (trials, members,
candidates) advance them all in lock-step, and finished trials are dropped as they go.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from natosim.engine.fast.council import council_check, package, settle_deadlines, withdrawals
from natosim.engine.fast.log import Tracker
from natosim.engine.fast.state import State, finish, initial_state
from natosim.engine.fast.steps import apply_events, concessions, influence, revision, snapshot
from natosim.engine.records import LogEntry, TrialRecords
from natosim.engine.streams import CHUNK_SIZE, Mechanism, chunk_generators
from natosim.model.arrays import Model, Reversion


def simulate_fast(
    model: Model, seed: int, chunk: int, n: int, log_trials: Collection[int] = ()
) -> tuple[TrialRecords, dict[int, list[LogEntry]]]:
    """Simulate trials ``chunk * CHUNK_SIZE`` to ``chunk * CHUNK_SIZE + n - 1``.

    Args:
        model: The compiled scenario.
        seed: The run's root seed.
        chunk: The chunk index; with ``seed`` it selects the random streams.
        n: Trials to report from this chunk (at most ``CHUNK_SIZE``). The whole chunk is
            simulated whatever n is, so that a trial's numbers never depend on how many
            trials the run has.
        log_trials: Global trial indices in this chunk whose event log to record.

    Returns:
        The chunk's records and the logs of the requested trials.
    """
    first = chunk * CHUNK_SIZE
    rngs = chunk_generators(seed, chunk)
    state = initial_state(model, CHUNK_SIZE, rngs)
    out = TrialRecords.blank(
        first, CHUNK_SIZE, model.n_members, model.n_candidates, model.n_demands
    )
    tracker = Tracker(model, [g - first for g in log_trials if first <= g < first + n])
    tracker.start(state)
    for t in range(model.n_rounds):
        state = _round(model, state, out, t, rngs, tracker)
        if not state.alive.any():
            break
    return out.finished(n), {first + row: log for row, log in tracker.logs.items()}


def _round(
    model: Model,
    state: State,
    out: TrialRecords,
    t: int,
    rngs: dict[Mechanism, np.random.Generator],
    tracker: Tracker,
) -> State:
    apply_events(model, state, t)
    tracker.after(state, t, "event")
    snap = None
    if t > 0:
        snap = snapshot(model, state, t)
        influence(model, state, t, snap, rngs[Mechanism.INFLUENCE])
        tracker.after(state, t, "influence")
        concessions(model, state, t)
        tracker.after(state, t, "concession")
        revision(model, state, t, snap, rngs[Mechanism.REVISION])
        tracker.after(state, t, "lift")
        package(model, state, t, snap)
        tracker.after(state, t, "package")
        withdrawals(model, state, t, snap)
        tracker.after(state, t, "withdrawal")
    settle_deadlines(model, state, t)
    tracker.after(state, t, "settlement")
    front, appointed = council_check(model, state, t, rngs[Mechanism.SILENCE], snap)
    tracker.after(state, t, "silence")
    outcome = np.where(appointed, front, -1)
    if t in model.reversion_rounds:
        outcome = np.where(appointed, outcome, model.n_candidates + model.reversion)
    if t == model.n_rounds - 1:
        outcome = np.where(outcome >= 0, outcome, model.n_candidates + Reversion.NO_DECISION)
    done = (outcome >= 0) & state.alive
    finish(out, model, state, done, outcome, front, t)
    tracker.finish(state, done, outcome, front, t)
    state.alive &= ~done
    return state.compact()

"""The reference engine: docs/model.md as one plain Python loop per trial.

Why: these modules are the readable statement of the rules. They favour clarity over speed:
each step of a round is a small function (:mod:`natosim.engine.reference.steps`) that does what
one paragraph of ``docs/model.md`` says, on one trial's state
(:mod:`natosim.engine.reference.trial`). The vectorised fast engine
(:mod:`natosim.engine.fast.chunk`) is held to it statistically.
"""

from __future__ import annotations

from collections.abc import Collection

from natosim.engine.records import LogEntry, TrialRecords
from natosim.engine.reference.steps import check, deadline, negotiate, settle, step_events
from natosim.engine.reference.trial import Static, Trial, draw_events, initial_stances
from natosim.engine.streams import trial_generators
from natosim.model.arrays import Model


def _play(tr: Trial) -> None:
    """Run one trial from round 0 until it is decided."""
    initial_stances(tr)
    draw_events(tr)
    for t in range(tr.model.n_rounds):
        step_events(tr, t)
        if t > 0:
            negotiate(tr, t)
        settle(tr, t)
        if check(tr, t) or deadline(tr, t):
            return


def _fill(out: TrialRecords, row: int, tr: Trial) -> None:
    """Store the results of a finished trial in ``row``."""
    appointed = 0 <= tr.outcome < tr.model.n_candidates
    decisive = tr.outcome if appointed else tr.front
    out.outcome[row], out.decision_round[row] = tr.outcome, tr.decision_round
    out.decisive[row] = decisive
    if decisive >= 0:
        out.rounds_blocking[row] = tr.block_count[:, decisive]
        out.last_block_round[row] = tr.last_block[:, decisive]
    out.sole_blocker_at_hard[row] = tr.sole_blocker
    out.granted_round[row] = tr.granted_round
    out.withdrawn_round[row] = tr.withdrawn_round
    out.needed_demand[row] = appointed and any(k == tr.outcome for _, k in tr.via_demand)


def simulate_reference(
    model: Model, seed: int, first: int, n: int, log_trials: Collection[int] = ()
) -> tuple[TrialRecords, dict[int, list[LogEntry]]]:
    """Simulate trials ``first .. first + n - 1`` one at a time, following docs/model.md.

    Args:
        model: The compiled scenario.
        seed: The run's root seed.
        first: Global index of the first trial.
        n: Number of trials.
        log_trials: Global indices of trials whose full event log is wanted.

    Returns:
        The records of the ``n`` trials, and the event log of each logged trial in range.
    """
    static = Static.of(model)
    out = TrialRecords.blank(first, n, model.n_members, model.n_candidates, model.n_demands)
    logs: dict[int, list[LogEntry]] = {}
    wanted = set(log_trials)
    for row in range(n):
        trial = first + row
        tr = Trial.start(model, static, trial_generators(seed, trial), trial in wanted)
        _play(tr)
        _fill(out, row, tr)
        if tr.log is not None:
            logs[trial] = tr.log
    return out.finished(), logs

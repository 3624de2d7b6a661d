"""Exact, mergeable counts over trials: what a run keeps of its per-trial records.

Why: summing integer counts chunk by chunk gives the same numbers whatever the number of worker
processes, and keeps memory flat however many trials run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from natosim.engine.records import TrialRecords
from natosim.model.arrays import Model


@dataclass(frozen=True)
class Tally:
    """Counts over a set of trials (M members, K candidates, D demands, R rounds)."""

    trials: int
    outcome_round: NDArray[np.int64]  # (K + 3, R) trials by outcome and decision round
    ever_blocks: NDArray[np.int64]  # (M,) blocked the decisive candidate at some check
    blocks_winner: NDArray[np.int64]  # (M,) blocked, at some check, the candidate appointed
    last_holdout: NDArray[np.int64]  # (M,) was the unique last holdout
    rounds_blocking: NDArray[np.int64]  # (M,) total checks blocking the decisive candidate
    sole_blocker_at_hard: NDArray[np.int64]  # (M,)
    granted: NDArray[np.int64]  # (D,)
    withdrawn_round: NDArray[np.int64]  # (K, R) trials by withdrawal round
    needed_demand: int  # appointments whose winner had support won by demands
    last_block_round: NDArray[np.int64]  # (M, R) trials by the last round each member blocked

    @classmethod
    def of(cls, model: Model, records: TrialRecords) -> Tally:
        """Count the trials in ``records``."""
        r = model.n_rounds
        return cls(
            trials=records.n,
            outcome_round=_pairs(records.outcome, records.decision_round, model.n_outcomes, r),
            ever_blocks=(records.rounds_blocking > 0).sum(axis=0, dtype=np.int64),
            blocks_winner=_blocks_winner(records, model.n_candidates),
            last_holdout=_members(records.last_holdout, model.n_members),
            rounds_blocking=records.rounds_blocking.sum(axis=0, dtype=np.int64),
            sole_blocker_at_hard=_members(records.sole_blocker_at_hard, model.n_members),
            granted=(records.granted_round >= 0).sum(axis=0, dtype=np.int64),
            withdrawn_round=np.stack(
                [np.bincount(col[col >= 0], minlength=r) for col in records.withdrawn_round.T]
            ).astype(np.int64)
            if model.n_candidates
            else np.zeros((0, r), np.int64),
            needed_demand=int(records.needed_demand.sum()),
            last_block_round=_per_member_rounds(records.last_block_round, r),
        )

    def __add__(self, other: Tally) -> Tally:
        """The counts of both sets of trials."""
        return Tally(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def _pairs(
    outcome: NDArray[np.int16], when: NDArray[np.int16], n: int, r: int
) -> NDArray[np.int64]:
    flat = outcome.astype(np.int64) * r + when.astype(np.int64)
    return np.bincount(flat, minlength=n * r).reshape(n, r).astype(np.int64)


def _blocks_winner(records: TrialRecords, k: int) -> NDArray[np.int64]:
    """Per member, the trials with an appointment in which it blocked the winner.

    Why: in a trial with an appointment the decisive candidate is the winner, so blocking the
    decisive candidate there is blocking the eventual winner.
    """
    blocked: NDArray[np.bool_] = (records.rounds_blocking > 0) & (records.outcome < k)[:, None]
    counts: NDArray[np.int64] = blocked.sum(axis=0, dtype=np.int64)
    return counts


def _members(who: NDArray[np.int16], m: int) -> NDArray[np.int64]:
    return np.bincount(who[who >= 0].astype(np.int64), minlength=m).astype(np.int64)


def _per_member_rounds(rounds: NDArray[np.int16], r: int) -> NDArray[np.int64]:
    """(M, R) counts of trials by round, from (n, M) rounds per trial (-1 for never)."""
    counts = np.zeros((rounds.shape[1], r), np.int64)
    for j, column in enumerate(rounds.T):
        counts[j] = np.bincount(column[column >= 0], minlength=r)
    return counts

"""What each simulated trial records, and the event log of chosen trials.

Both engines return a :class:`TrialRecords` per chunk of trials, with one row per trial in
trial-index order. Aggregation into probabilities lives in :mod:`natosim.results.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
from numpy.typing import NDArray

NO_MEMBER = -1
"""Member index meaning 'nobody' (no last holdout, no sole blocker)."""


@dataclass(frozen=True)
class TrialRecords:
    """Per-trial results for a contiguous range of trials ``[first, first + n)``.

    Shapes use n trials, M members, K candidates, D demands.
    """

    first: int
    outcome: NDArray[np.int16]  # (n,) candidate index, or K + Reversion offset
    decision_round: NDArray[np.int16]  # (n,) round of the appointment or reversion; last round
    decisive: NDArray[np.int16]  # (n,) winner, else the front-runner at the final check, or -1
    rounds_blocking: NDArray[np.int16]  # (n, M) checks at which it blocked the decisive one
    last_block_round: NDArray[np.int16]  # (n, M) last such round, -1 if never
    last_holdout: NDArray[np.int16]  # (n,) unique member with the latest blocking round, or -1
    sole_blocker_at_hard: NDArray[np.int16]  # (n,) sole blocker at the hard deadline, or -1
    granted_round: NDArray[np.int16]  # (n, D) -1 if never granted
    withdrawn_round: NDArray[np.int16]  # (n, K) -1 if it never withdrew
    needed_demand: NDArray[np.bool_]  # (n,) the winner had a supporter won by demands

    @property
    def n(self) -> int:
        """Number of trials in these records."""
        return int(self.outcome.shape[0])

    @classmethod
    def blank(cls, first: int, n: int, members: int, candidates: int, demands: int) -> TrialRecords:
        """Records of n trials with 'never' everywhere, for an engine to fill row by row."""
        return cls(
            first=first,
            outcome=np.full(n, -1, np.int16),
            decision_round=np.full(n, -1, np.int16),
            decisive=np.full(n, -1, np.int16),
            rounds_blocking=np.zeros((n, members), np.int16),
            last_block_round=np.full((n, members), -1, np.int16),
            last_holdout=np.full(n, NO_MEMBER, np.int16),
            sole_blocker_at_hard=np.full(n, NO_MEMBER, np.int16),
            granted_round=np.full((n, demands), -1, np.int16),
            withdrawn_round=np.full((n, candidates), -1, np.int16),
            needed_demand=np.zeros(n, np.bool_),
        )

    def finished(self, n: int | None = None) -> TrialRecords:
        """The first n rows (all by default), with each trial's last holdout worked out."""
        rows = slice(0, self.n if n is None else n)
        kept = {f.name: getattr(self, f.name)[rows] for f in fields(self) if f.name != "first"}
        kept["last_holdout"] = last_holdouts(kept["last_block_round"])
        return TrialRecords(first=self.first, **kept)


@dataclass(frozen=True)
class LogEntry:
    """One thing that happened in a logged trial.

    ``what`` is one of: ``stance`` (a drawn initial stance or a change), ``enter``, ``event``,
    ``grant``, ``withdraw``, ``silence_break``, ``appoint``, ``reversion``, ``no_decision``.
    ``why`` says which mechanism caused it (``initial``, ``event``, ``influence``,
    ``concession``, ``lift``, ``transfer``, ``silence``, ``council``, ``deadline``, ``horizon``).
    """

    round: int
    what: str
    why: str
    member: int = NO_MEMBER
    candidate: int = -1
    old: int = -1
    new: int = -1
    demand: int = -1
    detail: dict[str, float] = field(default_factory=dict)


def last_holdouts(last_block_round: NDArray[np.int16]) -> NDArray[np.int16]:
    """The unique member with the latest blocking round in each row, or -1.

    Args:
        last_block_round: (n, M) last round each member blocked, -1 for never.

    Returns:
        (n,) member index, or -1 where nobody blocked or the latest round is shared.
    """
    n = last_block_round.shape[0]
    if last_block_round.shape[1] == 0:
        return np.full(n, NO_MEMBER, dtype=np.int16)
    latest = last_block_round.max(axis=1)
    at_latest = (last_block_round == latest[:, None]).sum(axis=1)
    who = last_block_round.argmax(axis=1).astype(np.int16)
    unique = (latest >= 0) & (at_latest == 1)
    return np.where(unique, who, np.int16(NO_MEMBER)).astype(np.int16)

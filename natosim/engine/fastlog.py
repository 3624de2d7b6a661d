"""Event logs of chosen trials in the fast engine, read off the state after every step.

Why: logging must not change what is simulated. The tracker only compares the chosen rows'
state before and after each step and names the step as the reason for each change.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from natosim.engine.faststeps import State
from natosim.engine.records import LogEntry
from natosim.model import Model, Stance

_WHAT = {"silence": "silence_break"}


class Tracker:
    """Records the event logs of some rows of a chunk (none: every call is a no-op)."""

    def __init__(self, model: Model, rows: Sequence[int]) -> None:
        self.model = model
        self.logs: dict[int, list[LogEntry]] = {row: [] for row in sorted(rows)}
        self._previous: dict[int, tuple[NDArray[np.int8], NDArray[np.int16], NDArray[np.int16]]]
        self._previous = {}

    def start(self, state: State) -> None:
        """Log the drawn blocking stances of round 0 and remember the state."""
        for row in self.logs:
            stance = state.stance[row]
            for i, k in zip(*np.nonzero(stance >= Stance.CONDITIONAL), strict=True):
                entry = LogEntry(0, "stance", "initial", int(i), int(k), new=int(stance[i, k]))
                self.logs[row].append(entry)
            self._remember(state, row, row)

    def after(self, state: State, t: int, why: str) -> None:
        """Log what the step called ``why`` changed in the tracked rows during round t."""
        for row in self._previous:
            pos = int(np.searchsorted(state.rows, row))
            stance, granted, withdrawn = self._previous[row]
            log = self.logs[row]
            if why == "event":
                log.extend(self._entries(t))
            for d in np.nonzero(state.granted_round[pos] != granted)[0]:
                log.append(LogEntry(t, "grant", why, demand=int(d)))
            for k in np.nonzero(state.withdrawn_round[pos] != withdrawn)[0]:
                log.append(LogEntry(t, "withdraw", why, candidate=int(k)))
            self._stance_changes(log, stance, state.stance[pos], t, why)
            self._remember(state, row, pos)

    def finish(
        self,
        state: State,
        done: NDArray[np.bool_],
        outcome: NDArray[np.int64],
        front: NDArray[np.int64],
        t: int,
    ) -> None:
        """Log how the tracked rows that finished in round t ended, and stop tracking them."""
        for row in list(self._previous):
            pos = int(np.searchsorted(state.rows, row))
            if done[pos]:
                self.logs[row].append(self._ending(int(outcome[pos]), int(front[pos]), t))
                del self._previous[row]

    def _ending(self, outcome: int, front: int, t: int) -> LogEntry:
        k = self.model.n_candidates
        if outcome < k:
            return LogEntry(t, "appoint", "council", candidate=outcome)
        if outcome == k + 2:
            return LogEntry(t, "no_decision", "horizon", candidate=front)
        return LogEntry(t, "reversion", "deadline", candidate=front, new=outcome - k)

    def _entries(self, t: int) -> list[LogEntry]:
        if t == 0:
            return []
        entered = np.nonzero(self.model.enter_round == t)[0]
        return [LogEntry(t, "enter", "event", candidate=int(k)) for k in entered]

    def _stance_changes(
        self, log: list[LogEntry], old: NDArray[np.int8], new: NDArray[np.int8], t: int, why: str
    ) -> None:
        what = _WHAT.get(why, "stance")
        reason = "transfer" if why == "withdrawal" else why
        detail = {"pressure": float(np.exp(self.model.deadline_pressure * self.model.pressure[t]))}
        for i, k in zip(*np.nonzero(old != new), strict=True):
            entry = LogEntry(t, what, reason, int(i), int(k), int(old[i, k]), int(new[i, k]))
            log.append(entry if why != "lift" else _with(entry, detail))

    def _remember(self, state: State, row: int, pos: int) -> None:
        self._previous[row] = (
            state.stance[pos].copy(),
            state.granted_round[pos].copy(),
            state.withdrawn_round[pos].copy(),
        )


def _with(entry: LogEntry, detail: dict[str, float]) -> LogEntry:
    return LogEntry(**{**entry.__dict__, "detail": detail})

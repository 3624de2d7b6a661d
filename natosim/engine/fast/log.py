"""Event logs of chosen trials in the fast engine, read off the state after every step.

Why: logging must not change what is simulated. The tracker only compares the chosen rows'
state before and after each step and names the step as the reason for each change. For the
hazards of a step it recomputes, without drawing, what made them what they were (the same
``detail`` keys as the reference engine, and the factors of ``docs/model.md``): the snapshot of
the round is read from the state after the events, exactly as the engine reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from natosim.engine.fast.state import Cells, State
from natosim.engine.fast.steps import Snapshot, following, snapshot
from natosim.engine.hazards import modulated
from natosim.engine.records import LogEntry
from natosim.model.arrays import Model, Stance

_WHAT = {"silence": "silence_break"}


class Tracker:
    """Records the event logs of some rows of a chunk (none: every call is a no-op)."""

    def __init__(self, model: Model, rows: Sequence[int]) -> None:
        self.model = model
        self.logs: dict[int, list[LogEntry]] = {row: [] for row in sorted(rows)}
        self._previous: dict[int, tuple[NDArray[np.int8], NDArray[np.int16], NDArray[np.int16]]]
        self._previous = {}
        self._signals: dict[int, Snapshot] = {}

    def start(self, state: State) -> None:
        """Log the drawn blocking stances of round 0 and remember the state."""
        for row in self.logs:
            stance = state.stance[row]
            for k, i in zip(*np.nonzero(stance >= Stance.CONDITIONAL), strict=True):
                entry = LogEntry(0, "stance", "initial", int(i), int(k), new=int(stance[k, i]))
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
                self._signals[row] = snapshot(self.model, state.keep(_only(state, pos)), t)
            for d in np.nonzero(state.granted_round[pos] != granted)[0]:
                log.append(self._grant(t, why, int(d)))
            for k in np.nonzero(state.withdrawn_round[pos] != withdrawn)[0]:
                detail = self._rate(t, why, int(k))
                log.append(LogEntry(t, "withdraw", why, candidate=int(k), detail=detail))
            self._stance_changes(log, stance, state.stance[pos], t, why, row)
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
        self,
        log: list[LogEntry],
        old: NDArray[np.int8],
        new: NDArray[np.int8],
        t: int,
        why: str,
        row: int,
    ) -> None:
        what = _WHAT.get(why, "stance")
        reason = "transfer" if why == "withdrawal" else why
        for k, i in zip(*np.nonzero(old != new), strict=True):
            entry = LogEntry(t, what, reason, int(i), int(k), int(old[k, i]), int(new[k, i]))
            if _drawn(why, int(old[k, i]), int(new[k, i])):
                entry = _with(entry, self._hazard(self._signals[row], t, why, int(i), int(k)))
            log.append(entry)

    def _grant(self, t: int, why: str, d: int) -> LogEntry:
        i, k = int(self.model.demand_member[d]), int(self.model.demand_candidate[d])
        return LogEntry(t, "grant", why, i, k, demand=d, detail=self._rate(t, why, d))

    def _pressure(self, t: int) -> float:
        """The deadline term δ·π_t of the round's log-multiplier."""
        return float(self.model.deadline_pressure * self.model.pressure[t])

    def _rate(self, t: int, why: str, index: int) -> dict[str, float]:
        """A drawn grant's or withdrawal's probability and its deadline multiplier."""
        base = {"concession": self.model.grant_rate, "withdrawal": self.model.withdraw_rate}
        if why not in base:
            return {}
        m = float(np.exp(self._pressure(t)))
        return {"p": modulated(float(base[why][index]), m), "multiplier": m}

    def _hazard(self, snap: Snapshot, t: int, why: str, i: int, k: int) -> dict[str, float]:
        """The terms of a lift (O to A) or an influence move (A to S) of member i towards k.

        Why: ``pressure``, ``isolation`` and ``influence`` are the factors whose product is
        the multiplier of the lift rate, so a reader can see which of them made it happen.
        """
        z = float(snap.z(Cells(np.zeros(1, np.int64), np.array([k]), np.array([i])))[0])
        rate = float(self.model.lift_rate[i])
        if why == "influence":
            m = self.model.influence * z
            return {"p": modulated(rate, m), "z": z, "multiplier": m}
        blockers = max(int(snap.blockers[0, k]), 1)
        terms = {
            "pressure": self._pressure(t),
            "isolation": self.model.isolation / blockers,
            "influence": self.model.influence * z,
        }
        m = float(np.exp(sum(terms.values())))
        factors = {name: float(np.exp(term)) for name, term in terms.items()}
        follow = self._following(snap, i, k)
        p = 1.0 - (1.0 - modulated(rate, m)) * (1.0 - follow)
        detail = {"p": p, "multiplier": m, "blockers": blockers, "z": z, "following": follow}
        return {**detail, **factors}

    def _following(self, snap: Snapshot, i: int, k: int) -> float:
        """The following chance of member i on k in the snapshot's round (0 if none)."""
        if snap.blocking is None:
            return 0.0
        cell = Cells(np.zeros(1, np.int64), np.array([k]), np.array([i]))
        return self.model.following if bool(following(self.model, snap.blocking, cell)[0]) else 0.0

    def _remember(self, state: State, row: int, pos: int) -> None:
        self._previous[row] = (
            state.stance[pos].copy(),
            state.granted_round[pos].copy(),
            state.withdrawn_round[pos].copy(),
        )


def _only(state: State, pos: int) -> NDArray[np.bool_]:
    mask = np.zeros(state.n, np.bool_)
    mask[pos] = True
    return mask


def _drawn(why: str, old: int, new: int) -> bool:
    """Whether a change is the drawn move of a lift or influence step, not the loss of another
    candidate's support that comes with it (support is exclusive)."""
    if why == "influence":
        return new == Stance.SUPPORT
    return why == "lift" and old >= Stance.CONDITIONAL and new == Stance.ACQUIESCE


def _with(entry: LogEntry, detail: dict[str, float]) -> LogEntry:
    return LogEntry(**{**entry.__dict__, "detail": detail})

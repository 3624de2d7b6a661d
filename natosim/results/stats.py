"""Probabilities, intervals and dates from a run's counts.

Every probability is over all trials and carries a 95 % Wilson interval for its Monte Carlo
error (it says nothing about the uncertainty of the scenario's own numbers).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from natosim.model.arrays import Model
from natosim.trials.tally import Tally

Z95 = 1.959963984540054
"""The standard normal quantile of a two-sided 95 % interval."""


@dataclass(frozen=True)
class Estimate:
    """A probability estimated from ``count`` of ``n`` trials, with its 95 % Wilson interval."""

    count: int
    n: int

    @property
    def p(self) -> float:
        """The estimate."""
        return self.count / self.n if self.n else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The 95 % Wilson score interval."""
        return wilson(self.count, self.n)

    @property
    def half_width(self) -> float:
        """Half the width of the interval."""
        low, high = self.interval
        return (high - low) / 2


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Why: unlike the normal interval it stays inside [0, 1] and behaves near 0 and 1, where
    many of natosim's probabilities sit.
    """
    if n == 0:
        return (0.0, 1.0)
    p = count / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return (low, high)


@dataclass(frozen=True)
class MemberRow:
    """How a member blocked, over all trials."""

    member: str
    ever_blocks: Estimate  # blocked the decisive candidate at some check
    blocks_winner: Estimate  # an appointment, whose winner it blocked at some check
    last_holdout: Estimate
    mean_rounds_blocking: float
    sole_blocker_at_hard: Estimate


@dataclass(frozen=True)
class DemandRow:
    """A demand and how often it was granted."""

    member: str
    candidate: str
    description: str
    granted_by: str | None
    granted: Estimate


@dataclass(frozen=True)
class CandidateRow:
    """A candidate's chances."""

    candidate: str
    name: str
    appointed: Estimate
    withdrawn: Estimate
    median_withdrawal: dt.date | None


@dataclass(frozen=True)
class Summary:
    """Everything a report shows about one run."""

    outcomes: tuple[tuple[str, Estimate], ...]  # in outcome order
    decided_by: tuple[tuple[str, dt.date, Estimate], ...]  # per deadline
    timing: tuple[dt.date | None, dt.date | None, dt.date | None]  # p10, median, p90
    cumulative: tuple[tuple[dt.date, Estimate], ...]  # P(appointed by each round's date)
    members: tuple[MemberRow, ...]  # blocking members, most likely last holdout first
    demands: tuple[DemandRow, ...]
    candidates: tuple[CandidateRow, ...]
    needed_demand: Estimate  # among appointments

    def estimates(self) -> tuple[tuple[str, Estimate], ...]:
        """Every probability the report shows, each with a key naming it."""
        return (
            *((f"outcome {name}", e) for name, e in self.outcomes),
            *((f"appointed by {name}", e) for name, _, e in self.decided_by),
            *((f"appointed by {day}", e) for day, e in self.cumulative),
            *(pair for m in self.members for pair in _member_estimates(m)),
            *(
                (f"granted: {d.member} on {d.candidate}: {d.description}", d.granted)
                for d in self.demands
            ),
            *(pair for c in self.candidates for pair in _candidate_estimates(c)),
            ("appointment needed a demand", self.needed_demand),
        )

    def widest(self) -> tuple[str, Estimate] | None:
        """The estimate with the widest 95 % interval (None if there is none to report)."""
        shown = [pair for pair in self.estimates() if pair[1].n > 0]
        return max(shown, key=lambda pair: pair[1].half_width) if shown else None


def _member_estimates(m: MemberRow) -> tuple[tuple[str, Estimate], ...]:
    return (
        (f"{m.member} blocks the decisive candidate", m.ever_blocks),
        (f"{m.member} blocks the winner", m.blocks_winner),
        (f"{m.member} last holdout", m.last_holdout),
        (f"{m.member} sole blocker at the hard deadline", m.sole_blocker_at_hard),
    )


def _candidate_estimates(c: CandidateRow) -> tuple[tuple[str, Estimate], ...]:
    return ((f"{c.candidate} appointed", c.appointed), (f"{c.candidate} withdrawn", c.withdrawn))


def summarise(model: Model, tally: Tally) -> Summary:
    """The report's numbers from a run's counts."""
    n = tally.trials
    k = model.n_candidates
    appointed_by_round = tally.outcome_round[:k].sum(axis=0)
    cumulative = np.cumsum(appointed_by_round)
    return Summary(
        outcomes=tuple(
            (name, Estimate(int(c), n))
            for name, c in zip(model.outcome_names, tally.outcome_round.sum(axis=1), strict=True)
        ),
        decided_by=tuple(
            (d.name, d.date, Estimate(int(cumulative[d.round]) if d.round >= 0 else 0, n))
            for d in model.deadlines
        ),
        timing=(
            quantile_date(model, appointed_by_round, 0.1),
            quantile_date(model, appointed_by_round, 0.5),
            quantile_date(model, appointed_by_round, 0.9),
        ),
        cumulative=tuple(
            (day, Estimate(int(c), n)) for day, c in zip(model.dates, cumulative, strict=True)
        ),
        members=_members(model, tally),
        demands=tuple(
            DemandRow(
                model.members[model.demand_member[d]],
                model.candidates[model.demand_candidate[d]],
                model.demand_descriptions[d],
                model.demand_granted_by[d],
                Estimate(int(tally.granted[d]), n),
            )
            for d in range(model.n_demands)
        ),
        candidates=_candidates(model, tally),
        needed_demand=Estimate(tally.needed_demand, int(appointed_by_round.sum())),
    )


def quantile_date(model: Model, counts: NDArray[np.int64], q: float) -> dt.date | None:
    """The date of the first round by which a share ``q`` of the counted trials happened."""
    total = int(counts.sum())
    if total == 0:
        return None
    t = int(np.searchsorted(np.cumsum(counts), q * total, side="left"))
    return model.dates[t]


def _members(model: Model, tally: Tally) -> tuple[MemberRow, ...]:
    n = tally.trials
    rows = [
        MemberRow(
            member=code,
            ever_blocks=Estimate(int(tally.ever_blocks[i]), n),
            blocks_winner=Estimate(int(tally.blocks_winner[i]), n),
            last_holdout=Estimate(int(tally.last_holdout[i]), n),
            mean_rounds_blocking=float(tally.rounds_blocking[i]) / n,
            sole_blocker_at_hard=Estimate(int(tally.sole_blocker_at_hard[i]), n),
        )
        for i, code in enumerate(model.members)
        if tally.ever_blocks[i] > 0
    ]
    return tuple(
        sorted(rows, key=lambda r: (-r.last_holdout.count, -r.ever_blocks.count, r.member))
    )


def _candidates(model: Model, tally: Tally) -> tuple[CandidateRow, ...]:
    n = tally.trials
    return tuple(
        CandidateRow(
            candidate=cid,
            name=model.candidate_names[k],
            appointed=Estimate(int(tally.outcome_round[k].sum()), n),
            withdrawn=Estimate(int(tally.withdrawn_round[k].sum()), n),
            median_withdrawal=quantile_date(model, tally.withdrawn_round[k], 0.5),
        )
        for k, cid in enumerate(model.candidates)
    )


@dataclass(frozen=True)
class Difference:
    """A difference of two probabilities, B − A, with its 95 % interval.

    Attributes:
        mean: The estimated difference.
        low: Lower end of the 95 % interval.
        high: Upper end of the 95 % interval.
        n: Trials paired (paired), or the smaller of the two trial counts (unpaired).
        paired: Whether trial i of A was compared with trial i of B.
    """

    mean: float
    low: float
    high: float
    n: int
    paired: bool


def paired_difference(a: NDArray[np.bool_], b: NDArray[np.bool_]) -> Difference:
    """Mean and 95 % interval (kept within ±1) of the per-trial differences ``b[i] - a[i]``.

    Why: runs with the same seed share random numbers trial by trial, so the per-trial
    differences vary far less than two independent estimates would; the interval is the normal
    approximation with the sample standard deviation of those differences.
    """
    n = min(a.size, b.size)
    d = b[:n].astype(np.float64) - a[:n].astype(np.float64)
    mean = float(d.mean()) if n else 0.0
    half = Z95 * float(d.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return Difference(mean, max(-1.0, mean - half), min(1.0, mean + half), n, paired=True)


def unpaired_difference(a: Estimate, b: Estimate) -> Difference:
    """B − A for independent estimates: normal approximation with both binomial variances."""
    var = sum(e.p * (1 - e.p) / e.n for e in (a, b) if e.n)
    half = Z95 * math.sqrt(var)
    mean = b.p - a.p
    low, high = max(-1.0, mean - half), min(1.0, mean + half)
    return Difference(mean, low, high, min(a.n, b.n), paired=False)

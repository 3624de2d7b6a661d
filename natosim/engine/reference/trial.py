"""The reference engine's trial: its state, the first draws, and the helpers every step uses.

Randomness: each trial has its own generator per mechanism
(:func:`natosim.engine.streams.trial_generators`), and every draw comes from the stream of the
mechanism doing the drawing. The once-per-trial draws (initial stances, events) take one
uniform per cell, used or not, so that variants of a scenario share their numbers; a per-round
draw whose probability is exactly 0 or 1 consumes no random number. Logging a trial never
changes the numbers it consumes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from natosim.engine.copula import correlated_uniform
from natosim.engine.records import NO_MEMBER, LogEntry
from natosim.engine.streams import Mechanism
from natosim.model.arrays import Model, Stance
from natosim.model.rules import blocking, passes

SUPPORT = int(Stance.SUPPORT)
ACQUIESCE = int(Stance.ACQUIESCE)
CONDITIONAL = int(Stance.CONDITIONAL)
OBJECT = int(Stance.OBJECT)

WHY_WITHDRAWAL = "withdrawal"
"""``why`` of a withdrawal drawn in step 6 (a trailing candidate gives up)."""

Generators = dict[Mechanism, np.random.Generator]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


def bernoulli(rng: np.random.Generator, p: float) -> bool:
    """A per-round draw, True with probability ``p``; no random number when ``p`` is 0 or 1."""
    if p <= 0.0:
        return False
    if p >= 1.0:
        return True
    return bool(rng.random() < p)


@dataclass(frozen=True)
class Static:
    """What every trial of one model shares, derived once from the model."""

    cumulative: FloatArray  # (M, K, 4) cumulative stance probabilities
    demands_on: dict[tuple[int, int], list[int]]  # (member, candidate) -> demand indices
    weight: FloatArray  # (R, M) clout of the members present in each round, 0 if absent

    @classmethod
    def of(cls, model: Model) -> Static:
        """Derive the shared arrays of ``model``."""
        demands_on: dict[tuple[int, int], list[int]] = {}
        for d in range(model.n_demands):
            pair = (int(model.demand_member[d]), int(model.demand_candidate[d]))
            demands_on.setdefault(pair, []).append(d)
        return cls(
            cumulative=np.cumsum(model.stance_prob, axis=2),
            demands_on=demands_on,
            weight=model.clout[None, :] * model.present,
        )


@dataclass
class Trial:
    """The state of one trial and what it has recorded so far."""

    model: Model
    static: Static
    rng: Generators
    log: list[LogEntry] | None
    stance: NDArray[np.int8]
    granted_round: NDArray[np.int16]
    withdrawn_round: NDArray[np.int16]
    block_count: NDArray[np.int32]
    last_block: NDArray[np.int32]
    happens: list[bool] = field(default_factory=list)
    settles: list[list[bool]] = field(default_factory=list)
    via_demand: set[tuple[int, int]] = field(default_factory=set)
    front: int = -1
    outcome: int = -1
    decision_round: int = -1
    sole_blocker: int = NO_MEMBER

    @classmethod
    def start(cls, model: Model, static: Static, rng: Generators, logged: bool) -> Trial:
        """A fresh trial: nothing drawn, granted or withdrawn yet."""
        mk = (model.n_members, model.n_candidates)
        return cls(
            model=model,
            static=static,
            rng=rng,
            log=[] if logged else None,
            stance=np.full(mk, ACQUIESCE, dtype=np.int8),
            granted_round=np.full(model.n_demands, -1, dtype=np.int16),
            withdrawn_round=np.full(model.n_candidates, -1, dtype=np.int16),
            block_count=np.zeros(mk, dtype=np.int32),
            last_block=np.full(mk, -1, dtype=np.int32),
        )

    def note(
        self,
        t: int,
        what: str,
        why: str,
        *,
        member: int = NO_MEMBER,
        candidate: int = -1,
        old: int = -1,
        new: int = -1,
        demand: int = -1,
        detail: dict[str, float] | None = None,
    ) -> None:
        """Add an entry to the event log, if this trial is logged."""
        if self.log is not None:
            entry = LogEntry(t, what, why, member, candidate, old, new, demand, detail or {})
            self.log.append(entry)

    def active(self, t: int) -> BoolArray:
        """(K,) candidates active in round ``t``: entered and not withdrawn."""
        return (self.model.enter_round <= t) & (self.withdrawn_round < 0)

    def blocking(self, t: int) -> BoolArray:
        """(M, K) present members whose stance blocks each candidate (C or O)."""
        blocks: BoolArray = self.model.present[t][:, None] & (self.stance >= CONDITIONAL)
        return blocks

    def coalition(self, t: int) -> BoolArray:
        """(M, K) the members of each candidate's blocking coalition under the rule."""
        votes = self.stance.T
        rule, present = self.model.rule, self.model.present[t]
        who: BoolArray = blocking(rule, votes == SUPPORT, votes >= CONDITIONAL, present).T
        return who

    def passes(self, t: int, k: int) -> bool:
        """Whether candidate ``k`` passes under the rule with the stances of now."""
        votes = self.stance[None, :, k]
        present = self.model.present[t]
        return bool(passes(self.model.rule, votes == SUPPORT, votes >= CONDITIONAL, present)[0])

    def set_stance(self, t: int, i: int, k: int, new: int, why: str, **detail: float) -> None:
        """Set member ``i``'s stance towards ``k``, logging it if it changes.

        Support is exclusive: a member that comes to support ``k`` acquiesces to any other
        candidate it supported.
        """
        old = int(self.stance[i, k])
        if old != new:
            self.stance[i, k] = new
            self.note(t, "stance", why, member=i, candidate=k, old=old, new=new, detail=detail)
        if new == SUPPORT:
            for other in np.flatnonzero(self.stance[i] == SUPPORT).tolist():
                if other != k:
                    self.set_stance(t, i, other, ACQUIESCE, why)


# --- round 0 -----------------------------------------------------------------------------


def initial_stances(tr: Trial) -> None:
    """Draw each stance once per trial: one uniform per (i, k) pair, in row-major order.

    A certain stance takes its uniform too, so that making one stance certain does not shift
    the numbers of the pairs after it. A member of a bloc has its uniform correlated with the
    bloc's (:func:`bloc_uniform`). A member drawn to support several candidates supports the
    first of them in file order and acquiesces to the others.
    """
    rng = tr.rng[Mechanism.STANCE]
    factors = bloc_factors(tr)
    for i in range(tr.model.n_members):
        for k in range(tr.model.n_candidates):
            u = bloc_uniform(tr.model, i, factors[:, k], rng.random())
            c = category(u, tr.static.cumulative[i, k])
            if c == SUPPORT and (tr.stance[i, :k] == SUPPORT).any():
                c = ACQUIESCE
            tr.stance[i, k] = c
            if c >= CONDITIONAL:
                p = float(tr.model.stance_prob[i, k, c])
                tr.note(0, "stance", "initial", member=i, candidate=k, new=c, detail={"p": p})


def bloc_factors(tr: Trial) -> FloatArray:
    """(G, K) the standard normal factor of each bloc and candidate, drawn once per trial."""
    shape = (tr.model.bloc_correlation.size, tr.model.n_candidates)
    if not shape[0]:
        return np.zeros(shape)
    return tr.rng[Mechanism.BLOCS].standard_normal(shape)


def bloc_uniform(model: Model, i: int, factors: FloatArray, v: float) -> float:
    """The uniform behind member i's stance: ``Φ(√ρ·Z + √(1−ρ)·Φ⁻¹(v))`` in a bloc, else v.

    Why: a one-factor Gaussian copula correlates the stances of a bloc's members while each
    uniform stays uniform, so every member's own stance probabilities are as written.
    """
    g = int(model.bloc[i])
    if g < 0:
        return v
    rho = float(model.bloc_correlation[g])
    return float(correlated_uniform(np.array(v), np.array(factors[g]), rho))


def category(u: float, cumulative: FloatArray) -> int:
    """The first category c with ``u < cumulative[c]``."""
    for c in range(len(cumulative)):
        if u < cumulative[c]:
            return c
    # Why: probabilities may sum to a hair under 1; u above the sum takes the last category.
    return int(np.flatnonzero(np.diff(cumulative, prepend=0.0) > 0)[-1])


def draw_events(tr: Trial) -> None:
    """Decide once per trial whether each event happens and whether each member would agree
    to settle at each settling deadline: one uniform per event and per deadline and member,
    used or not."""
    rng = tr.rng[Mechanism.EVENTS]
    tr.happens = [bool(rng.random() < event.probability) for event in tr.model.events]
    settle = tr.rng[Mechanism.SETTLE]
    tr.settles = [
        [bool(settle.random() < (d.settles or 0.0)) for _ in range(tr.model.n_members)]
        for d in tr.model.settling
    ]

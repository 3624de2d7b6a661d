"""The fast engine's state: arrays with one row per trial still running.

Member x candidate arrays have shape (n, K, M), candidates before members, so that the
per-member loops numpy runs inside each operation are long (Why: with members last, a
broadcast over candidates costs a fraction of what it costs with a 2-long innermost axis).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from natosim.engine.copula import correlated_uniform
from natosim.engine.draws import cell_bernoulli, thresholds
from natosim.engine.fast import kernel
from natosim.engine.records import TrialRecords
from natosim.engine.streams import Mechanism
from natosim.model.arrays import Model, Stance
from natosim.model.rules import blocking as coalition

S = np.int8(Stance.SUPPORT)
A = np.int8(Stance.ACQUIESCE)
C = np.int8(Stance.CONDITIONAL)
O = np.int8(Stance.OBJECT)  # noqa: E741 - the stance letter used throughout docs/model.md


@dataclass
class Clock:
    """Hazard clocks: events that happen at per-round probabilities, one clock per cell.

    Why: a per-round probability ``p`` is a hazard ``-ln(1 - p)``. Accumulating the hazard of
    each round in which the event may happen, and letting it happen in the round the sum
    passes an Exp(1) threshold drawn in advance, gives exactly the same law round by round.
    Every cell then owns its random numbers: two variants of a scenario run with the same
    seed see the same thresholds in every trial (common random numbers), and no round draws
    a number per cell. A threshold that has been passed is renewed by adding a fresh Exp(1)
    draw, for an event that may happen again (memorylessness keeps the law exact).
    """

    elapsed: NDArray[np.float32]
    threshold: NDArray[np.float32]

    @classmethod
    def start(cls, rng: np.random.Generator, shape: tuple[int, ...]) -> Clock:
        """Clocks at zero with fresh Exp(1) thresholds."""
        threshold = rng.standard_exponential(shape, dtype=np.float32)
        return cls(np.zeros(shape, np.float32), threshold)

    def __getitem__(self, mask: NDArray[np.bool_]) -> Clock:
        return Clock(self.elapsed[mask], self.threshold[mask])

    def advance(self, flat: NDArray[np.int64], hazard: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Add ``hazard`` to the clocks at flat indices; which of them passed their threshold."""
        return kernel.advance(self.elapsed, self.threshold, flat, hazard)

    def renew(self, rng: np.random.Generator, flat: NDArray[np.int64]) -> None:
        """Restart the clocks at flat indices from zero with fresh thresholds."""
        self.elapsed.reshape(-1)[flat] = 0.0
        self.threshold.reshape(-1)[flat] = rng.standard_exponential(flat.size, dtype=np.float32)


@dataclass
class State:
    """The state of the trials still running (n rows)."""

    rows: NDArray[np.int64]  # (n,) position in the chunk
    alive: NDArray[np.bool_]  # (n,) not finished yet (finished rows are dropped in batches)
    stance: NDArray[np.int8]  # (n, K, M)
    granted_round: NDArray[np.int16]  # (n, D), -1 if not granted
    withdrawn_round: NDArray[np.int16]  # (n, K), -1 if not withdrawn
    via_demand: NDArray[np.bool_]  # (n, K, M) support won by granted demands
    block_count: NDArray[np.int16]  # (n, K, M) checks at which the member blocked
    last_block: NDArray[np.int16]  # (n, K, M) last such round, -1 if never
    happens: NDArray[np.bool_]  # (n, E) whether each event happens in this trial
    influence: Clock  # (n, K, M) drift to support while acquiescing
    lift: Clock  # (n, K, M) lifting an objection while objecting
    grant: Clock  # (n, D) a demand being granted while open
    exit: Clock  # (n, K) a candidate withdrawing while trailing
    silence: Clock  # (n, M) breaking silence when a decision is circulated
    package: Clock  # (n, K) a blocked front-runner's blockers settling together
    settles: NDArray[np.bool_]  # (n, S, M) whether each member agrees to settle at each deadline
    dirty: NDArray[np.bool_]  # (n,) a stance changed since the round's snapshot

    @property
    def n(self) -> int:
        """Trials still running."""
        return int(self.rows.shape[0])

    def compact(self) -> State:
        """Drop the finished rows once they are a quarter of all rows.

        Why: copying every array to drop a few rows each round costs more than carrying
        finished rows along for a while; finished rows never finish again (see ``alive``).
        """
        alive = int(self.alive.sum())
        return self.keep(self.alive) if alive < 0.75 * self.n else self

    def keep(self, mask: NDArray[np.bool_]) -> State:
        """The state of the rows where ``mask`` holds."""
        return State(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})

    def active(self, model: Model, t: int) -> NDArray[np.bool_]:
        """(n, K) candidates entered by round t and not withdrawn."""
        active = self.withdrawn_round < 0
        active[:, model.enter_round > t] = False
        return active


def initial_state(model: Model, n: int, rngs: dict[Mechanism, np.random.Generator]) -> State:
    """Round 0's drawn stances, the draws of uncertain events and every clock's threshold."""
    m, k, d = model.n_members, model.n_candidates, model.n_demands
    probs = np.array([e.probability for e in model.events], dtype=np.float64)
    settles = np.array([dl.settles or 0.0 for dl in model.settling], dtype=np.float64)
    return State(
        rows=np.arange(n, dtype=np.int64),
        alive=np.ones(n, np.bool_),
        stance=initial_stances(model, n, rngs),
        granted_round=np.full((n, d), -1, np.int16),
        withdrawn_round=np.full((n, k), -1, np.int16),
        via_demand=np.zeros((n, k, m), np.bool_),
        block_count=np.zeros((n, k, m), np.int16),
        last_block=np.full((n, k, m), -1, np.int16),
        happens=cell_bernoulli(rngs[Mechanism.EVENTS], probs, n),
        influence=Clock.start(rngs[Mechanism.INFLUENCE], (n, k, m)),
        lift=Clock.start(rngs[Mechanism.REVISION], (n, k, m)),
        grant=Clock.start(rngs[Mechanism.CONCESSIONS], (n, d)),
        exit=Clock.start(rngs[Mechanism.WITHDRAWALS], (n, k)),
        silence=Clock.start(rngs[Mechanism.SILENCE], (n, m)),
        package=Clock.start(rngs[Mechanism.PACKAGE], (n, k)),
        settles=cell_bernoulli(rngs[Mechanism.SETTLE], np.repeat(settles, m), n).reshape(
            n, settles.size, m
        ),
        dirty=np.ones(n, np.bool_),
    )


def initial_stances(
    model: Model, n: int, rngs: dict[Mechanism, np.random.Generator]
) -> NDArray[np.int8]:
    """(n, K, M) the drawn stances: one uniform per member x candidate cell, correlated
    within blocs; a member drawn to support several candidates supports the first of them."""
    u = rngs[Mechanism.STANCE].random((n, model.n_members * model.n_candidates))
    if model.bloc_correlation.size:
        u = bloc_uniforms(model, u, rngs[Mechanism.BLOCS])
    drawn = kernel.categories(u, *thresholds(model.stance_prob))
    stance = np.ascontiguousarray(drawn.reshape(n, model.n_members, -1).transpose(0, 2, 1))
    supported = np.zeros((n, model.n_members), np.bool_)
    for k in range(model.n_candidates):
        support = stance[:, k] == S
        stance[:, k][support & supported] = A
        supported |= support
    return stance


def bloc_uniforms(
    model: Model, v: NDArray[np.float64], rng: np.random.Generator
) -> NDArray[np.float64]:
    """``Φ(√ρ·Z + √(1−ρ)·Φ⁻¹(v))`` for the cells of bloc members: a one-factor Gaussian copula.

    Args:
        model: The compiled scenario, with each member's bloc and each bloc's correlation.
        v: (n, M*K) the cells' own uniforms, member-major.
        rng: The blocs' stream: one standard normal per trial, bloc and candidate.
    """
    n, k = v.shape[0], model.n_candidates
    factors = rng.standard_normal((n, model.bloc_correlation.size, k))
    u = v.copy()
    for i in np.flatnonzero(model.bloc >= 0).tolist():
        g = int(model.bloc[i])
        cols = slice(i * k, (i + 1) * k)
        u[:, cols] = correlated_uniform(v[:, cols], factors[:, g], float(model.bloc_correlation[g]))
    return u


@dataclass(frozen=True)
class Cells:
    """Candidate x member cells of some trials, as parallel index arrays."""

    n: NDArray[np.int64]  # row
    k: NDArray[np.int64]  # candidate
    i: NDArray[np.int64]  # member

    @property
    def parts(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """The rows, candidates and members."""
        return self.n, self.k, self.i

    def flat(self, model: Model) -> NDArray[np.int64]:
        """Indices into a flattened (n, K, M) array."""
        return (self.n * model.n_candidates + self.k) * model.n_members + self.i


def finish(
    out: TrialRecords,
    model: Model,
    state: State,
    done: NDArray[np.bool_],
    outcome: NDArray[np.int64],
    front: NDArray[np.int64],
    t: int,
) -> None:
    """Copy into ``out`` the results of the rows that finished in round t."""
    rows = state.rows[done]
    idx = np.nonzero(done)[0]
    f = front[done]
    has = f >= 0
    fk = np.where(has, f, 0)
    out.outcome[rows] = outcome[done]
    out.decision_round[rows] = t
    out.decisive[rows] = f
    out.rounds_blocking[rows] = np.where(has[:, None], state.block_count[idx, fk], 0)
    out.last_block_round[rows] = np.where(has[:, None], state.last_block[idx, fk], -1)
    out.granted_round[rows] = state.granted_round[idx]
    out.withdrawn_round[rows] = state.withdrawn_round[idx]
    appointed = outcome[done] < model.n_candidates
    out.needed_demand[rows] = appointed & state.via_demand[idx, fk].any(axis=1)
    if t in model.reversion_rounds:
        stance = state.stance[idx, fk]
        blocking = coalition(model.rule, stance == S, stance >= C, model.present[t])
        single = has & (blocking.sum(axis=1) == 1)
        out.sole_blocker_at_hard[rows] = np.where(single, blocking.argmax(axis=1), -1)

"""The passes over a chunk's arrays that most of a round's time goes into, in numpy.

Why a module of its own: :mod:`natosim.engine.fast.compiled` holds the same passes as
compiled loops, with the same signatures and the same arithmetic (the same float32 and
float64 operations in the same order, and sums of clout that are exact in any order), so
that whichever of the two runs, a (scenario, seed) gives the same numbers bit for bit.
:mod:`natosim.engine.fast.kernel` chooses between them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from natosim.engine.draws import categories_of
from natosim.engine.hazards import CERTAIN
from natosim.model.arrays import Stance

S = np.int8(Stance.SUPPORT)
A = np.int8(Stance.ACQUIESCE)
C = np.int8(Stance.CONDITIONAL)

Int = NDArray[np.int64]
Int16 = NDArray[np.int16]
Float = NDArray[np.float64]
Float32 = NDArray[np.float32]
Bool = NDArray[np.bool_]
Stances = NDArray[np.int8]


def stand(
    stance: Stances, present: Bool, active: Bool, weight: Float
) -> tuple[Int, Int, Int, Float]:
    """Who blocks whom, and who leads, in every row of ``stance`` (n, K, M).

    Args:
        stance: The rows' stances.
        present: (M,) the members present this round.
        active: (n, K) the candidates entered and not withdrawn.
        weight: (M,) each member's clout this round (0 when absent).

    Returns:
        The flat indices of the blocking cells (present members, active candidates) in
        ascending order; the (n, K) count of blockers; the (n,) front-runner, -1 if no
        candidate is active (most support, then fewer blockers, then file order); and the
        (n, K) clout of each candidate's supporters.
    """
    n, k, m = stance.shape
    flat = _blocking(stance, present, active)
    blockers = np.bincount(flat // m, minlength=n * k).reshape(n, k)
    supporting = (stance == S).reshape(n * k, m).astype(np.float64)
    score: Float = (supporting @ weight).reshape(n, k)
    return flat, blockers, leaders(score, blockers, active), score


def restand(
    stance: Stances,
    present: Bool,
    active: Bool,
    weight: Float,
    dirty: Bool,
    blockers: Int,
    front: Int,
) -> tuple[Int, Int]:
    """``blockers`` and ``front`` with the ``dirty`` rows recomputed as :func:`stand` would."""
    rows = np.flatnonzero(dirty)
    _, counts, leads, _ = stand(stance[rows], present, active[rows], weight)
    blockers, front = blockers.copy(), front.copy()
    blockers[rows], front[rows] = counts, leads
    return blockers, front


def record(stance: Stances, present: Bool, active: Bool, count: Int16, last: Int16, t: int) -> None:
    """Count a check at which each present member blocks an active candidate, in round t."""
    flat = _blocking(stance, present, active)
    count.reshape(-1)[flat] += 1
    last.reshape(-1)[flat] = t


def _blocking(stance: Stances, present: Bool, active: Bool) -> Int:
    """The flat indices, ascending, of present members blocking active candidates."""
    blocking = stance >= C
    blocking &= present
    blocking &= active[:, :, None]
    return np.flatnonzero(blocking)


def leaders(score: Float, blockers: Int, active: Bool) -> Int:
    """(n,) the active candidate with most support, then fewer blockers, then listed first."""
    best = np.full(score.shape[0], -1, np.int64)
    best_score = np.full(score.shape[0], -np.inf)
    best_blockers = np.zeros(score.shape[0], np.int64)
    for k in range(score.shape[1]):
        s, b = score[:, k], blockers[:, k]
        better = (s > best_score) | ((s == best_score) & (b < best_blockers))
        better &= active[:, k]
        best = np.where(better, k, best)
        best_score = np.where(better, s, best_score)
        best_blockers = np.where(better, b, best_blockers)
    return best


def advance(elapsed: Float32, threshold: Float32, flat: Int, hazard: Float) -> Bool:
    """Add ``hazard`` (as float32) to the clocks at flat indices; which passed their threshold."""
    e = elapsed.reshape(-1)
    e[flat] += np.minimum(hazard, CERTAIN).astype(np.float32)
    return np.asarray(e[flat] > threshold.reshape(-1)[flat], dtype=np.bool_)


def support(stance: Stances, dirty: Bool, n: Int, k: Int, i: Int) -> None:
    """Member ``i[j]`` comes to support candidate ``k[j]`` in row ``n[j]``, for every j; support
    is exclusive, so any other candidate it supported it now acquiesces to. A (row, member)
    pair may appear twice only with the same candidate."""
    column = stance[n, :, i]
    column[column == S] = A
    column[np.arange(n.size), k] = S
    stance[n, :, i] = column
    dirty[n] = True


def settle(
    stance: Stances,
    via_demand: Bool,
    dirty: Bool,
    granted: Int16,
    own: Int,
    n: Int,
    k: Int,
    i: Int,
) -> None:
    """Member ``i[j]`` supports candidate ``k[j]`` in row ``n[j]`` once every demand it makes of
    it (``own``, (M, K, W) demand indices padded with -1) is granted, unless it objects; one
    that was conditional is marked as won by its demands. Cells of members without demands
    are left alone. A (row, member) pair may appear twice only with the same candidate."""
    mine = own[i, k]
    done = ((granted[n[:, None], np.maximum(mine, 0)] >= 0) | (mine < 0)).all(axis=1)
    keep = done & (mine[:, 0] >= 0)
    n, k, i = n[keep], k[keep], i[keep]
    now = stance[n, k, i]
    blocked = now == C
    via_demand[n[blocked], k[blocked], i[blocked]] = True
    moving = blocked | (now == A)
    support(stance, dirty, n[moving], k[moving], i[moving])


def grant(
    granted: Int16,
    open_to: Bool,
    elapsed: Float32,
    threshold: Float32,
    hazard: Float,
    t: int,
) -> Int:
    """Advance the clocks of the demands (n, D) not granted yet whose candidate and member
    allow it (``open_to``, (n, D)) by ``hazard`` (D,); grant in round t those that passed their
    threshold, and return their flat indices, ascending."""
    flat = np.flatnonzero((granted < 0) & open_to)
    won = flat[advance(elapsed, threshold, flat, hazard[flat % granted.shape[1]])]
    granted.reshape(-1)[won] = t
    return np.asarray(won, dtype=np.int64)


def categories(u: Float, fixed: Int, uncertain: Int, cumulative: Float) -> Stances:
    """(n, P) the category of each uniform of ``u`` (n, P), as :func:`draws.categories`.

    Args:
        u: The cells' uniforms.
        fixed: (P,) each cell's most likely category, which certain cells take.
        uncertain: (U,) the cells whose category is drawn.
        cumulative: (U, categories) their cumulative probabilities, the last one 1.
    """
    return categories_of(u, fixed, uncertain, cumulative).astype(np.int8)


def exits(active: Bool, front: Int, elapsed: Float32, threshold: Float32, hazard: Float) -> Int:
    """Advance the exit clocks (n, K) of the active candidates that do not lead their row by
    ``hazard`` (K,) where it is above 0; the flat indices, ascending, of those that passed."""
    k = active.shape[1]
    trailing = active & (front[:, None] != np.arange(k)) & (hazard > 0)
    flat = np.flatnonzero(trailing)
    return np.asarray(flat[advance(elapsed, threshold, flat, hazard[flat % k])], dtype=np.int64)


def lift_terms(
    stance: Stances,
    flat: Int,
    blockers: Int,
    total: Float,
    share: Float,
    terms: tuple[float, float, float],
) -> tuple[Int, Float]:
    """The cells of ``flat`` that still block, and the log-multiplier of each one's exit rate:
    ``pressure + isolation / max(blockers, 1) + influence * total * share`` (docs/model.md),
    with ``terms`` = (pressure, isolation, influence)."""
    m = stance.shape[2]
    still = flat[stance.reshape(-1)[flat] >= C]
    pair, i = np.divmod(still, m)
    pressure, isolation, influence = terms
    z = total.reshape(-1)[pair] * share[i]
    log_m = pressure + isolation / np.maximum(blockers.reshape(-1)[pair], 1) + influence * z
    return still, log_m


def influence(
    stance: Stances,
    active: Bool,
    leader: Int,
    total: Float32,
    rate: Float32,
    elapsed: Float32,
    threshold: Float32,
) -> Int:
    """Advance the influence clocks of the uncommitted members acquiescing to each row's
    front-runner by ``total[row, leader] * rate[member]``; the flat indices, ascending, of the
    clocks that passed their threshold.
    """
    n, k, m = stance.shape
    committed = np.zeros((n, m), np.bool_)
    for c in range(k):
        committed |= (stance[:, c] == S) & active[:, c, None]
    hits = [
        _influence_on(stance, committed, leader, total, rate, elapsed, threshold, c)
        for c in range(k)
    ]
    return np.sort(np.concatenate(hits))


def _influence_on(
    stance: Stances,
    committed: Bool,
    leader: Int,
    total: Float32,
    rate: Float32,
    elapsed: Float32,
    threshold: Float32,
    c: int,
) -> Int:
    """The influence pass of the rows that candidate c leads.

    Why by candidate: one candidate leads almost every row, and a whole column is a view,
    where rows picked one by one are copied in and out.
    """
    _, k, m = stance.shape
    rows = np.flatnonzero(leader == c)
    every = rows.size == stance.shape[0]
    pick: slice | Int = slice(None) if every else rows
    movable = (stance[pick, c] == A) & ~committed[pick]
    e = elapsed[pick, c]
    np.add(e, (total[pick, c][:, None] * rate[None, :]) * movable, out=e)
    if not every:
        elapsed[rows, c] = e
    row, i = np.nonzero(movable & (e > threshold[pick, c]))
    return np.asarray((rows[row] * k + c) * m + i, dtype=np.int64)


def silence(elapsed: Float32, threshold: Float32, rows: Int, hazard: Float) -> Int:
    """Advance the silence clocks (n, M) of ``rows`` (ascending) by ``hazard`` (M,) where it is
    above 0; the flat indices, ascending, of the clocks that passed their threshold."""
    m = elapsed.shape[1]
    listening = np.flatnonzero(hazard > 0)
    flat = (rows[:, None] * m + listening[None, :]).reshape(-1)
    passed = advance(elapsed, threshold, flat, np.tile(hazard[listening], rows.size))
    return np.asarray(flat[passed], dtype=np.int64)

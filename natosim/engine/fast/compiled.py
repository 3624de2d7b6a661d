"""The passes of :mod:`natosim.engine.fast.passes` as loops compiled by numba.

Why: each numpy pass reads and writes whole arrays; a loop does a pass's work cell by cell in
one sweep. Every function here has the signature of its namesake in ``passes`` and performs
the same float32 and float64 operations on each cell in the same order (no fast-math, so no
fused multiply-add), so both give the same numbers bit for bit. The one exception is the sum
of clout in ``_rank``, which the compiler may reorder: the model's clout is rounded so that
every such sum is exact (``natosim.model.compile.exact_sums``), in any order.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from natosim.engine.fast.passes import Bool, Float, Float32, Int, Int16, Stances
from natosim.engine.hazards import CERTAIN
from natosim.model.arrays import Stance

_S = int(Stance.SUPPORT)
_A = int(Stance.ACQUIESCE)
_C = int(Stance.CONDITIONAL)


@njit(cache=True, nogil=True, inline="always")
def _step(hazard: float) -> np.float32:
    """What a hazard adds to a float32 clock: at most ``CERTAIN``, as numpy's pass adds it."""
    return np.float32(hazard if hazard < CERTAIN else CERTAIN)


@njit(cache=True, nogil=True)
def stand(
    stance: Stances, present: Bool, active: Bool, weight: Float
) -> tuple[Int, Int, Int, Float]:
    n, k, m = stance.shape
    flat = np.empty(n * k * m, np.int64)
    blockers = np.zeros((n, k), np.int64)
    score = np.zeros((n, k), np.float64)
    front = np.empty(n, np.int64)
    found = 0
    for r in range(n):
        front[r] = _rank(stance, present, active, weight, r, blockers, score)
        for c in range(k):
            if blockers[r, c]:
                found = _blocking_cells(stance, present, r, c, flat, found)
    return flat[:found].copy(), blockers, front, score


@njit(cache=True, nogil=True)
def restand(
    stance: Stances,
    present: Bool,
    active: Bool,
    weight: Float,
    dirty: Bool,
    blockers: Int,
    front: Int,
) -> tuple[Int, Int]:
    blockers, front = blockers.copy(), front.copy()
    score = np.zeros(blockers.shape, np.float64)
    for r in range(stance.shape[0]):
        if dirty[r]:
            front[r] = _rank(stance, present, active, weight, r, blockers, score)
    return blockers, front


@njit(cache=True, nogil=True, fastmath={"reassoc"})
def _rank(
    stance: Stances,
    present: Bool,
    active: Bool,
    weight: Float,
    r: int,
    blockers: Int,
    score: Float,
) -> int:
    """Row r's blockers and support per candidate; its front-runner. The sums of clout are
    exact (``exact_sums``), so letting the compiler reorder them changes no bit."""
    front, best_score, best_blockers = -1, -np.inf, 0
    for c in range(stance.shape[1]):
        s, b, on = 0.0, 0, active[r, c]
        for i in range(stance.shape[2]):
            s += weight[i] * (stance[r, c, i] == _S)
            b += (stance[r, c, i] >= _C) & present[i]
        b = b if on else 0
        score[r, c], blockers[r, c] = s, b
        if on and (s > best_score or (s == best_score and b < best_blockers)):
            front, best_score, best_blockers = c, s, b
    return front


@njit(cache=True, nogil=True)
def _blocking_cells(stance: Stances, present: Bool, r: int, c: int, flat: Int, found: int) -> int:
    k, m = stance.shape[1], stance.shape[2]
    for i in range(m):
        if stance[r, c, i] >= _C and present[i]:
            flat[found] = (r * k + c) * m + i
            found += 1
    return found


@njit(cache=True, nogil=True)
def record(stance: Stances, present: Bool, active: Bool, count: Int16, last: Int16, t: int) -> None:
    n, k, m = stance.shape
    for r in range(n):
        for c in range(k):
            if not active[r, c]:
                continue
            for i in range(m):
                if stance[r, c, i] >= _C and present[i]:
                    count[r, c, i] += 1
                    last[r, c, i] = t


@njit(cache=True, nogil=True)
def advance(elapsed: Float32, threshold: Float32, flat: Int, hazard: Float) -> Bool:
    e, limit = elapsed.reshape(-1), threshold.reshape(-1)
    passed = np.empty(flat.size, np.bool_)
    for j in range(flat.size):
        f = flat[j]
        e[f] = e[f] + _step(hazard[j])
        passed[j] = e[f] > limit[f]
    return passed


@njit(cache=True, nogil=True)
def support(stance: Stances, dirty: Bool, n: Int, k: Int, i: Int) -> None:
    for j in range(n.size):
        _support(stance, dirty, n[j], k[j], i[j])


@njit(cache=True, nogil=True)
def _support(stance: Stances, dirty: Bool, r: int, c: int, i: int) -> None:
    for other in range(stance.shape[1]):
        if stance[r, other, i] == _S:
            stance[r, other, i] = _A
    stance[r, c, i] = _S
    dirty[r] = True


@njit(cache=True, nogil=True)
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
    for j in range(n.size):
        r, c, member = n[j], k[j], i[j]
        if own[member, c, 0] < 0 or not _granted(granted, own[member, c], r):
            continue
        now = stance[r, c, member]
        if now == _C:
            via_demand[r, c, member] = True
        if now in (_C, _A):
            _support(stance, dirty, r, c, member)


@njit(cache=True, nogil=True)
def _granted(granted: Int16, demands: Int, r: int) -> bool:
    for d in demands:  # noqa: SIM110 - numba compiles no generator expressions
        if d >= 0 and granted[r, d] < 0:
            return False
    return True


@njit(cache=True, nogil=True)
def grant(
    granted: Int16,
    open_to: Bool,
    elapsed: Float32,
    threshold: Float32,
    hazard: Float,
    t: int,
) -> Int:
    n, d = granted.shape
    won = np.empty(n * d, np.int64)
    found = 0
    for r in range(n):
        for x in range(d):
            if granted[r, x] >= 0 or not open_to[r, x]:
                continue
            elapsed[r, x] = elapsed[r, x] + _step(hazard[x])
            if elapsed[r, x] > threshold[r, x]:
                granted[r, x] = t
                won[found] = r * d + x
                found += 1
    return won[:found].copy()


@njit(cache=True, nogil=True)
def categories(u: Float, fixed: Int, uncertain: Int, cumulative: Float) -> Stances:
    n, last = u.shape[0], cumulative.shape[1] - 1
    out = np.empty(u.shape, np.int8)
    for r in range(n):
        for p in range(u.shape[1]):
            out[r, p] = fixed[p]
        for j in range(uncertain.size):
            v, drawn = u[r, uncertain[j]], 0
            for c in range(last + 1):
                drawn += v >= cumulative[j, c]
            out[r, uncertain[j]] = min(drawn, last)
    return out


@njit(cache=True, nogil=True)
def exits(active: Bool, front: Int, elapsed: Float32, threshold: Float32, hazard: Float) -> Int:
    n, k = active.shape
    gone = np.empty(n * k, np.int64)
    found = 0
    for r in range(n):
        for c in range(k):
            if not (active[r, c] and front[r] != c and hazard[c] > 0):
                continue
            elapsed[r, c] = elapsed[r, c] + _step(hazard[c])
            if elapsed[r, c] > threshold[r, c]:
                gone[found] = r * k + c
                found += 1
    return gone[:found].copy()


@njit(cache=True, nogil=True)
def lift_terms(
    stance: Stances,
    flat: Int,
    blockers: Int,
    total: Float,
    share: Float,
    terms: tuple[float, float, float],
) -> tuple[Int, Float]:
    m = stance.shape[2]
    cells, pairs = stance.reshape(-1), blockers.reshape(-1)
    supported = total.reshape(-1)
    still = np.empty(flat.size, np.int64)
    log_m = np.empty(flat.size, np.float64)
    pressure, isolation, influence = terms
    found = 0
    for f in flat:
        if cells[f] < _C:
            continue
        pair, i = f // m, f % m
        z = supported[pair] * share[i]
        still[found] = f
        log_m[found] = pressure + isolation / max(pairs[pair], 1) + influence * z
        found += 1
    return still[:found].copy(), log_m[:found].copy()


@njit(cache=True, nogil=True)
def influence(
    stance: Stances,
    active: Bool,
    leader: Int,
    total: Float32,
    rate: Float32,
    elapsed: Float32,
    threshold: Float32,
) -> Int:
    n, k, m = stance.shape
    hits = np.empty(n * m, np.int64)
    free = np.empty(m, np.bool_)
    found = 0
    for r in range(n):
        c = leader[r]
        if c < 0:
            continue
        free[:] = True
        for other in range(k):
            if active[r, other]:
                for i in range(m):
                    free[i] &= stance[r, other, i] != _S
        pull, passed = total[r, c], 0
        for i in range(m):
            movable = (stance[r, c, i] == _A) & free[i]
            e = elapsed[r, c, i] + (pull * rate[i]) * np.float32(movable)
            elapsed[r, c, i] = e
            passed += movable & (e > threshold[r, c, i])
        if passed:
            found = _influenced(stance, free, elapsed, threshold, r, c, hits, found)
    return hits[:found].copy()


@njit(cache=True, nogil=True)
def _influenced(
    stance: Stances,
    free: Bool,
    elapsed: Float32,
    threshold: Float32,
    r: int,
    c: int,
    hits: Int,
    found: int,
) -> int:
    k, m = stance.shape[1], stance.shape[2]
    for i in range(m):
        if stance[r, c, i] == _A and free[i] and elapsed[r, c, i] > threshold[r, c, i]:
            hits[found] = (r * k + c) * m + i
            found += 1
    return found


@njit(cache=True, nogil=True)
def silence(elapsed: Float32, threshold: Float32, rows: Int, hazard: Float) -> Int:
    m = elapsed.shape[1]
    broken = np.empty(rows.size * m, np.int64)
    step = np.zeros(m, np.float32)
    for i in range(m):
        if hazard[i] > 0:
            step[i] = _step(hazard[i])
    found = 0
    for r in rows:
        passed = 0
        for i in range(m):
            e = elapsed[r, i] + step[i]
            elapsed[r, i] = e if hazard[i] > 0 else elapsed[r, i]
            passed += (hazard[i] > 0) & (e > threshold[r, i])
        if passed:
            for i in range(m):
                if hazard[i] > 0 and elapsed[r, i] > threshold[r, i]:
                    broken[found] = r * m + i
                    found += 1
    return broken[:found].copy()

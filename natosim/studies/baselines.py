"""The two naive forecasters the back-test compares natosim with (docs/validation.md).

B0, *uniform*: every candidate in the file is equally likely; extension, vacancy and no
decision get nothing; every timing bin is equally likely; it ranks no holdout.

B1, *front-runner*: the candidate with the most clout-weighted support on the as-of date
wins, at the next deadline, for certain. Support is the expected support of round 0: the
stance probabilities of the file after the events dated on or before the start, weighted by
clout. B1 ranks as likely last holdouts the members most likely to block its pick on that
date.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from natosim.model.arrays import EventKind, Model, ModelEvent, Stance
from natosim.studies.scoring import Forecast

_S, _C, _O = Stance.SUPPORT, Stance.CONDITIONAL, Stance.OBJECT


def uniform_forecast(model: Model, n_bins: int) -> Forecast:
    """B0: uniform over the candidates, and over the ``n_bins`` timing bins."""
    k = model.n_candidates
    outcomes = tuple([1.0 / k] * k + [0.0] * (model.n_outcomes - k))
    return Forecast(outcomes, tuple([1.0 / n_bins] * n_bins), {})


def front_runner_forecast(model: Model, n_bins: int) -> Forecast:
    """B1: the front-runner of round 0 wins in the first timing bin, with probability 1."""
    prob, active = round0_stances(model)
    winner = front_runner(model, prob, active)
    outcomes = tuple(1.0 if k == winner else 0.0 for k in range(model.n_outcomes))
    timing = tuple(1.0 if b == 0 else 0.0 for b in range(n_bins))
    blocking = (prob[:, winner, _C] + prob[:, winner, _O]) * model.present[0]
    holdouts = {code: float(p) for code, p in zip(model.members, blocking, strict=True) if p > 0}
    return Forecast(outcomes, timing, holdouts)


def front_runner(model: Model, prob: NDArray[np.float64], active: NDArray[np.float64]) -> int:
    """The candidate with the most expected clout-weighted support among the active ones.

    Ties go to the candidate with fewer expected blockers, then to the one listed first, as
    in the model's own front-runner rule (docs/model.md).
    """
    present = model.present[0].astype(np.float64)
    support = (prob[:, :, _S] * (model.clout * present)[:, None]).sum(axis=0) * active
    blockers = ((prob[:, :, _C] + prob[:, :, _O]) * present[:, None]).sum(axis=0)
    candidates = np.flatnonzero(active > 0) if active.any() else np.arange(model.n_candidates)
    return int(min(candidates, key=lambda k: (-support[k], blockers[k], k)))


def round0_stances(model: Model) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Stance probabilities (M, K, 4) and candidates' chance of being active, at round 0.

    Events dated on or before the start are applied in expectation, each weighted by its
    probability. Why an approximation: a withdrawal's transfer of support to the candidate
    it endorses is left out, because B1 is meant to read the file, not to simulate it.
    """
    prob = model.stance_prob.copy()
    active = (model.enter_round == 0).astype(np.float64)
    for event in model.events:
        if event.round == 0:
            _apply(prob, active, event)
    return prob, active


def _apply(prob: NDArray[np.float64], active: NDArray[np.float64], event: ModelEvent) -> None:
    k, p = event.candidate, event.probability
    match event.kind:
        case EventKind.ENDORSE | EventKind.STANCE:
            for i in event.members:
                prob[i, k] *= 1.0 - p
                prob[i, k, event.stance] += p
        case EventKind.GRANT:
            for i in event.members:
                moved = p * prob[i, k, _C]
                prob[i, k, _C] -= moved
                prob[i, k, _S] += moved
        case EventKind.WITHDRAW:
            active[k] *= 1.0 - p

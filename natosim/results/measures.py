"""Measures: the numbers a sweep (or a comparison) reads off each run's summary.

Each measure has a short id for ``--measure``: an outcome (``rutte``, ``extension``,
``no_decision``), ``by-`` and a deadline's name in lower case with dashes
(``by-washington-summit``), ``p10``, ``median`` or ``p90`` (dates of the appointment), or
``holdout-`` and a member code (``holdout-HUN``: the probability that it holds out last).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from natosim.errors import UserError
from natosim.model.arrays import Model, ModelDeadline
from natosim.results.stats import Estimate, Summary
from natosim.trials.chunks import Run


@dataclass(frozen=True)
class Measure:
    """One number read off each grid point's summary.

    Attributes:
        id: What ``--measure`` calls it: an outcome (``rutte``, ``extension``), ``by-`` and a
            deadline's name in lower case with dashes (``by-washington-summit``), ``p10``,
            ``median`` or ``p90`` (appointment dates), or ``holdout-`` and a member code.
        label: A column heading.
        kind: ``probability`` (an :class:`Estimate`) or ``date``.
        read: Reads the value from a summary.
    """

    id: str
    label: str
    kind: Literal["probability", "date"]
    read: Callable[[Summary], Estimate | dt.date | None]


def slug(name: str) -> str:
    """``Washington summit`` → ``washington-summit``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def indicators(
    run: Run,
    deadlines: Sequence[ModelDeadline] | None = None,
    last_holdout: NDArray[np.integer[Any]] | None = None,
) -> dict[str, NDArray[np.bool_]]:
    """Per trial, whether each probability measure happened, by measure id.

    Every outcome; ``by-`` each deadline (the run's own, or ``deadlines``: a what-if reads
    the base's in both runs); and ``holdout-`` each member when the trials' last holdouts
    are given. Why here: a comparison of files and a what-if pair the same measures trial
    by trial, and must name and compute them the same way.
    """
    model = run.model
    found = {name: run.outcome == o for o, name in enumerate(model.outcome_names)}
    appointed = run.outcome < model.n_candidates
    for d in model.deadlines if deadlines is None else deadlines:
        found[f"by-{slug(d.name)}"] = appointed & (run.decision_round <= d.round)
    if last_holdout is not None:
        for i, code in enumerate(model.members):
            found[f"holdout-{code}"] = last_holdout == i
    return found


def measures(model: Model) -> list[Measure]:
    """Every measure a sweep of ``model`` can report."""
    found = [_outcome(model, o) for o in range(model.n_outcomes)]
    found += [_deadline(model, d) for d in range(len(model.deadlines))]
    found += [_timing(name, index) for index, name in enumerate(("p10", "median", "p90"))]
    found += [_holdout(code) for code in model.members]
    return found


def default_measures(model: Model) -> list[Measure]:
    """P(each candidate), P(decided by each deadline) and the median date."""
    chosen = {*model.candidates, *(f"by-{slug(d.name)}" for d in model.deadlines), "median"}
    return [m for m in measures(model) if m.id in chosen]


def choose_measures(model: Model, ids: Sequence[str]) -> list[Measure]:
    """The measures named ``ids``, in that order; all defaults when ``ids`` is empty.

    Raises:
        UserError: for an id that is not a measure of this scenario, listing the valid ones.
    """
    if not ids:
        return default_measures(model)
    known = {m.id: m for m in measures(model)}
    unknown = [i for i in ids if i not in known]
    if unknown:
        valid = ", ".join(m.id for m in measures(model) if not m.id.startswith("holdout-"))
        raise UserError(
            f"--measure {unknown[0]}: not a measure of this scenario; "
            f"choose from {valid}, or holdout-CODE for a member (e.g. holdout-HUN)"
        )
    return [known[i] for i in ids]


def _outcome(model: Model, o: int) -> Measure:
    names = [*model.candidate_names, "extension", "vacancy", "no decision"]
    return Measure(
        model.outcome_names[o], f"P({names[o]})", "probability", lambda s: s.outcomes[o][1]
    )


def _deadline(model: Model, d: int) -> Measure:
    name = model.deadlines[d].name
    return Measure(f"by-{slug(name)}", f"P(by {name})", "probability", lambda s: s.decided_by[d][2])


def _timing(name: str, index: int) -> Measure:
    return Measure(name, f"{name} date", "date", lambda s: s.timing[index])


def _holdout(code: str) -> Measure:
    def read(summary: Summary) -> Estimate:
        row = next((m for m in summary.members if m.member == code), None)
        n = summary.outcomes[0][1].n
        return row.last_holdout if row else Estimate(0, n)

    return Measure(f"holdout-{code}", f"P({code} last holdout)", "probability", read)

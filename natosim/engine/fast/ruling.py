"""The decision rule in the fast engine: whether the front-runner passes, and who blocks.

Why apart from the Council's check: under unanimity the check reads the blocker counts it
already has; the other rules (docs/model.md, "Decision rules") count votes, which this
module does for every row at once with :mod:`natosim.model.rules`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from natosim.engine.fast.state import C, Cells, S, State
from natosim.model.arrays import Model
from natosim.model.rules import RuleKind, blocking, passes


def counts_votes(model: Model) -> bool:
    """Whether the model's rule is other than unanimity, so that votes must be counted."""
    return model.rule.kind != RuleKind.UNANIMITY


def front_passes(
    model: Model, state: State, t: int, rows: NDArray[np.int64], front: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """(rows,) whether candidate ``front[r]`` passes in row ``rows[r]`` under the rule."""
    stance = state.stance[rows, front]
    return passes(model.rule, stance == S, stance >= C, model.present[t])


def coalition_cells(model: Model, state: State, t: int, active: NDArray[np.bool_]) -> Cells:
    """The cells of every active candidate's blocking coalition in every row."""
    stance = state.stance
    coalition = blocking(model.rule, stance == S, stance >= C, model.present[t])
    row, cand, member = np.nonzero(coalition & active[:, :, None])
    return Cells(row, cand, member)

"""Sample designs and sensitivity indices, from SALib: Morris screening and Sobol indices.

Why a module of its own: SALib works on a "problem" (names and bounds) and plain arrays; this
is the only place that knows its calling conventions, so the analysis reads in natosim's terms.
SALib (and the SciPy it loads) is imported when an analysis runs, not when the command line
starts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from natosim.scenario.ranges import RangeAt

Method = Literal["morris", "sobol"]
MORRIS_LEVELS = 4
"""Grid levels of the Morris design (SALib's default)."""
RESAMPLES = 1000
"""Bootstrap resamples behind SALib's confidence intervals."""
STATISTICS: dict[Method, tuple[str, ...]] = {
    "morris": ("mu_star", "mu_star_conf", "mu", "sigma"),
    "sobol": ("ST", "ST_conf", "S1", "S1_conf"),
}
"""What each method reports per range; the first is the index that ranks them."""


def describe(varied: Sequence[RangeAt]) -> dict[str, Any]:
    """SALib's description of the ranges: their names and bounds."""
    return {
        "num_vars": len(varied),
        "names": [r.name for r in varied],
        "bounds": [[r.low, r.high] for r in varied],
    }


def sample(method: Method, problem: dict[str, Any], n: int, seed: int) -> NDArray[np.float64]:
    """The parameter samples: r Morris trajectories, or Saltelli's N·(D+2) rows for Sobol."""
    from SALib.sample import morris as morris_sample  # type: ignore[import-untyped]
    from SALib.sample import sobol as sobol_sample

    if method == "morris":
        rows = morris_sample.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        rows = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    return np.asarray(rows, dtype=np.float64)


def one_at_a_time(varied: Sequence[RangeAt]) -> NDArray[np.float64]:
    """The midpoints, then each range at its low and its high with the others at midpoints."""
    mid = np.array([r.midpoint for r in varied])
    rows = [mid]
    for j, r in enumerate(varied):
        for end in (r.low, r.high):
            row = mid.copy()
            row[j] = end
            rows.append(row)
    return np.array(rows)


def indices(
    method: Method,
    problem: dict[str, Any],
    samples: NDArray[np.float64],
    y: NDArray[np.float64],
    seed: int,
) -> list[dict[str, float]]:
    """The :data:`STATISTICS` of ``method`` for each range, as plain floats.

    Why the flat case: when nothing moves the measure every index is 0, but Sobol's ratios
    divide by the measure's variance.
    """
    from SALib.analyze import morris as morris_analyze  # type: ignore[import-untyped]
    from SALib.analyze import sobol as sobol_analyze

    keys, count = STATISTICS[method], int(problem["num_vars"])
    if np.ptp(y) == 0:
        return [dict.fromkeys(keys, 0.0) for _ in range(count)]
    if method == "morris":
        found = morris_analyze.analyze(
            problem, samples, y, num_resamples=RESAMPLES, num_levels=MORRIS_LEVELS, seed=seed
        )
    else:
        found = sobol_analyze.analyze(
            problem, y, calc_second_order=False, num_resamples=RESAMPLES, seed=seed
        )
    return [{key: _finite(found[key][j]) for key in keys} for j in range(count)]


def _finite(value: Any) -> float:
    number = float(value)
    return number if math.isfinite(number) else 0.0

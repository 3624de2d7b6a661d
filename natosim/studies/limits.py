"""How big a study (what-if, sweep, sensitivity analysis) may be, checked before it starts.

Why: a study runs the scenario many times and keeps each run's per-trial outcomes for its
comparisons; ``sensitivity --samples 10000000`` grew without limit and a sweep of 10,000
points spent minutes on overhead alone. Past :data:`CONFIRM_TRIALS` trials or
:data:`CONFIRM_RUNS` runs a study must be confirmed (``--yes``, or ``confirm=True`` in
Python), and past the hard limits it is refused, with a message that says how many runs and
trials it would make (``docs/limits.md``).
"""

from __future__ import annotations

from natosim.errors import UserError

MAX_STUDY_TRIALS = 100_000_000
"""Most trials of all the runs of a study together (about 600 MB of per-trial outcomes)."""
MAX_STUDY_RUNS = 10_000
"""Most runs of a study."""
CONFIRM_TRIALS = 10_000_000
"""Trials of all runs together beyond which a study needs ``--yes``."""
CONFIRM_RUNS = 1_000
"""Runs beyond which a study needs ``--yes``."""


def check_study(what: str, runs: int, trials: int, confirmed: bool) -> None:
    """Refuse a study too large, saying how many runs and trials it would make.

    Why silent otherwise: ``sensitivity`` announces its runs itself, and the outputs of
    ``whatif`` and ``sweep`` shown in the docs are checked line by line.

    Raises:
        UserError: beyond the hard limits, or beyond the confirmation limits without ``yes``.
    """
    total = runs * trials
    size = f"{runs:,} runs of {trials:,} trials = {total:,} trials"
    if runs > MAX_STUDY_RUNS or total > MAX_STUDY_TRIALS:
        raise UserError(
            f"{what} would make {size}; at most {MAX_STUDY_RUNS:,} runs and "
            f"{MAX_STUDY_TRIALS:,} trials in all are allowed (docs/limits.md): use fewer "
            "samples, points or trials"
        )
    if (runs > CONFIRM_RUNS or total > CONFIRM_TRIALS) and not confirmed:
        raise UserError(
            f"{what} would make {size}; that may take long: add --yes (confirm=True in Python) "
            "to run it, or use fewer samples, points or trials"
        )

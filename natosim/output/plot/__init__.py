"""Publication-quality charts of runs, sensitivity analyses and sweeps (matplotlib, no display)."""

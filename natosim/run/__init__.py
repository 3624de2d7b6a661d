"""Trials across processes: chunks merged in order into exact, mergeable tallies."""

"""Trials across processes: chunks of trials run in order, merged into exact tallies."""

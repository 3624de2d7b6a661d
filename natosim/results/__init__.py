"""Results as numbers: estimates, intervals, dates, comparisons and measures of runs. No text."""

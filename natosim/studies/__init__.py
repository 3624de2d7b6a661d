"""Studies built on runs: what-if, sweep, sensitivity, explain and back-test."""

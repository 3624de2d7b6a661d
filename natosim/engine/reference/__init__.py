"""The reference engine: docs/model.md as one plain Python loop per trial."""

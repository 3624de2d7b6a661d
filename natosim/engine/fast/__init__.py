"""The fast engine: the rules of docs/model.md vectorised across the trials of a chunk."""

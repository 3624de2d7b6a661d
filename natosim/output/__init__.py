"""Output: results as tables, text files, terminal objects and charts. Nothing is computed here."""

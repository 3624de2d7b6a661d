"""Output formats: the report's tables as plain data, and JSON, CSV and Markdown text.

Why: the rich tables (``natosim.render``), Markdown and CSV show the same rows; building
each table once, as strings, keeps the formats from drifting apart.
"""

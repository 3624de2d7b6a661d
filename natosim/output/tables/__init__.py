"""Tables as plain data: a title, columns, rows of text and notes, shared by every format.

Why: the rich tables (``natosim.output.terminal``), Markdown and CSV show the same rows; building
each table once, as strings, keeps the formats from drifting apart.
"""

"""The public Python API: load a scenario, run it or study it, and read results as data.

Every command of ``natosim`` is a thin caller of these functions, so a notebook and the
terminal get the same numbers and the same documents (docs/python.md, docs/design.md).
"""

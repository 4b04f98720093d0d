"""Normalisers: one module per value type. Each takes one raw value and returns the normalised form.

They run on *distinct* raw values only (see :mod:`filiere.ingest.lookups`); results are joined back in SQL.
"""

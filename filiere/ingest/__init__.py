"""Ingest: agency exports → graded, provenance-tracked mention and event rows.

``mapping`` reads a mapping file, ``readers`` load a file into a staging table, ``normalise`` turns distinct
raw values into normalised ones, ``build`` writes the SQL that checks and inserts rows, ``loader`` runs it all
in one transaction, ``retention`` reviews and erases sources.
"""

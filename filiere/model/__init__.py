"""The data model: vocabularies, grading schemes, record kinds and the workspace schema.

Everything that defines a table or a code list lives here, so the schema is created from one place.
"""

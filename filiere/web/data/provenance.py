"""The provenance columns shown with every mention and event: the source, its agency and grading as written."""

from __future__ import annotations

SOURCE_COLUMNS = (
    "s.source_id, s.file_name, s.agency, s.grading_scheme, s.source_grade, s.information_grade,"
    " s.handling_code, s.nature, s.legal_basis, CAST(s.review_on AS VARCHAR) AS review_on"
)


def grading_label(row: dict) -> str:
    return f"{row.get('grading_scheme')} {row.get('source_grade')}{row.get('information_grade')}"

"""Helpers for ingest tests: write small exports and mapping files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SOURCE: dict[str, Any] = {
    "agency": "FR-OCRIEST",
    "grading": {"scheme": "eu4x4", "source": "B", "information": "2", "handling": "H1"},
    "nature": "fact",
    "legal_basis": "CPP art. 77-1-1",
    "case_ref": "OP-CHANNEL",
    "collected_on": "2026-03-01",
    "retention_days": 3650,
    "phone_region": "FR",
}

CALL_PROPS: dict[str, Any] = {
    "caller": {"column": "appelant"},
    "callee": {"column": "appele"},
    "started_at": {"column": "date_heure", "format": "%d/%m/%Y %H:%M:%S"},
    "duration_s": {"column": "duree"},
}
CALLS_CSV = (
    "appelant;appele;date_heure;duree\n"
    "06 12 34 56 78;+44 7911 123456;01/03/2026 10:11:12;65\n"
    "0033612345678;06.12.34.56.78;02/03/2026 11:00:00;5\n"
    "12;0612345679;03/03/2026 12:00:00;\n"
)


def write_mapping(directory: Path, kind: str | None, properties: dict[str, Any] | None,
                  fmt: dict[str, Any] | None = None, source: dict[str, Any] | None = None,
                  name: str = "mapping.yml") -> Path:
    doc: dict[str, Any] = {"version": 1}
    if kind is not None:
        doc["kind"] = kind
    doc["format"] = fmt if fmt is not None else {"type": "csv", "delimiter": ";"}
    doc["source"] = dict(SOURCE) if source is None else source
    if properties is not None:
        doc["properties"] = properties
    path = directory / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_file(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def counts(ws) -> dict[str, int]:
    return ws.table_counts()

"""Helpers for ingest tests: write small exports and mapping files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
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


KILLED_INGEST = """
import sys, time
from pathlib import Path
from filiere import audit
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from filiere.workspace import Workspace

ws_dir, csv, mapping, marker = sys.argv[1:5]

def stall(ws, *args, **kwargs):
    # every row is inserted, nothing is committed: tell the test, then wait to be killed
    tmp = Path(marker + ".tmp")
    tmp.write_text(str(ws.con.execute("SELECT count(*) FROM calls").fetchone()[0]))
    tmp.rename(marker)
    time.sleep(120)

audit.append = stall
with Workspace.open(ws_dir) as ws:
    ingest_file(ws, csv, load_mapping(mapping))
"""


@dataclass
class KilledIngest:
    ws_dir: Path
    csv: Path
    mapping: Path
    before: dict[str, int]  # row counts of the workspace before the ingest started


def kill_mid_ingest(tmp_path: Path, preamble: str = "", rows: int = 50_000) -> KilledIngest:
    """Ingest ``rows`` calls into a fresh workspace in another process and SIGKILL it once every row is inserted
    and nothing committed (``preamble``: Python run first in that process, e.g. to force a path)."""
    from filiere.workspace import Workspace

    ws_dir = tmp_path / "ws"
    with Workspace.create(ws_dir) as ws:
        before = counts(ws)
    lines = ["appelant;appele;date_heure;duree"]
    lines += [f"06{i % 500:08d};0612345678;01/03/2026 10:00:00;{i}" for i in range(rows)]
    csv = write_file(tmp_path / "appels.csv", "\n".join(lines) + "\n")
    mapping = write_mapping(tmp_path, "calls", CALL_PROPS)
    marker = tmp_path / "inserted"
    script = tmp_path / "killed_ingest.py"
    script.write_text(preamble + KILLED_INGEST)
    proc = subprocess.Popen([sys.executable, str(script), str(ws_dir), str(csv), str(mapping), str(marker)],
                            cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, "the ingest process ended before reaching the log entry"
            assert time.monotonic() < deadline, "the ingest never reached the log entry"
            time.sleep(0.05)
        assert marker.read_text() == str(rows)  # the rows were in the open transaction
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return KilledIngest(ws_dir, csv, mapping, before)

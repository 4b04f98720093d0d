"""A failure at any point of an ingest — an exception or a killed process — leaves the workspace as it was."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from filiere import audit
from filiere.ingest import loader
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from filiere.workspace import Workspace
from ingest.ingest_helpers import CALL_PROPS, CALLS_CSV, counts, write_file, write_mapping


def test_failure_after_the_inserts_rolls_everything_back(ws, tmp_path, monkeypatch):
    csv = write_file(tmp_path / "appels.csv", CALLS_CSV)
    mapping = load_mapping(write_mapping(tmp_path, "calls", CALL_PROPS))
    before = counts(ws)

    def broken_log(*args, **kwargs):
        assert ws.con.execute("SELECT count(*) FROM calls").fetchone()[0] == 3  # rows are in, uncommitted
        raise OSError("disk full")

    monkeypatch.setattr(audit, "append", broken_log)
    with pytest.raises(OSError, match="disk full"):
        ingest_file(ws, csv, mapping)
    assert counts(ws) == before
    monkeypatch.undo()
    # and the same file can then be ingested normally
    assert ingest_file(ws, csv, mapping).rows_loaded == 3
    assert audit.verify(ws).ok


def test_failure_in_the_middle_of_the_inserts(ws, tmp_path, monkeypatch):
    csv = write_file(tmp_path / "p.csv", "montant;date;payeur\n12;2026-03-02;A\n")
    mapping = load_mapping(write_mapping(tmp_path, "payments", {"amount": {"column": "montant", "currency": "EUR"},
                                                                "paid_at": "date", "payer.name": "payeur"}))
    before = counts(ws)
    real_inserts = loader.Batch.inserts

    def inserts_then_bad_sql(self, source_id, keep):
        return [*real_inserts(self, source_id, keep)[:1], "INSERT INTO no_such_table VALUES (1)"]

    monkeypatch.setattr(loader.Batch, "inserts", inserts_then_bad_sql)
    with pytest.raises(Exception, match="no_such_table"):
        ingest_file(ws, csv, mapping)
    assert counts(ws) == before


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


@pytest.mark.slow
def test_killed_process_mid_ingest_leaves_counts_unchanged(tmp_path):
    ws_dir = tmp_path / "ws"
    Workspace.create(ws_dir).close()
    lines = ["appelant;appele;date_heure;duree"]
    lines += [f"06{i % 500:08d};0612345678;01/03/2026 10:00:00;{i}" for i in range(50_000)]
    csv = write_file(tmp_path / "appels.csv", "\n".join(lines) + "\n")
    mapping = write_mapping(tmp_path, "calls", CALL_PROPS)
    with Workspace.open(ws_dir) as ws:
        before = counts(ws)
    marker = tmp_path / "inserted"
    script = tmp_path / "killed_ingest.py"
    script.write_text(KILLED_INGEST)
    proc = subprocess.Popen([sys.executable, str(script), str(ws_dir), str(csv), str(mapping), str(marker)],
                            cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, "the ingest process ended before reaching the log entry"
            assert time.monotonic() < deadline, "the ingest never reached the log entry"
            time.sleep(0.05)
        assert marker.read_text() == "50000"  # the rows were in the open transaction
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Workspace.open(ws_dir) as ws:
        assert counts(ws) == before
        assert audit.verify(ws).ok
        # the killed ingest left nothing behind that blocks a new one
        assert ingest_file(ws, csv, load_mapping(mapping)).rows_loaded == 50_000

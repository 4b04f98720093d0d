"""A failure at any point of an ingest — an exception or a killed process — leaves the workspace as it was."""


import pytest

from filiere import audit
from filiere.ingest import loader
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from filiere.workspace import Workspace
from ingest.ingest_helpers import CALL_PROPS, CALLS_CSV, counts, kill_mid_ingest, write_file, write_mapping


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


@pytest.mark.slow
def test_killed_process_mid_ingest_leaves_counts_unchanged(tmp_path):
    killed = kill_mid_ingest(tmp_path)
    with Workspace.open(killed.ws_dir) as ws:
        assert counts(ws) == killed.before
        assert audit.verify(ws).ok
        # the killed ingest left nothing behind that blocks a new one
        assert ingest_file(ws, killed.csv, load_mapping(killed.mapping)).rows_loaded == 50_000

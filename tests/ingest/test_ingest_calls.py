"""End to end: a call-detail export into calls, with provenance, normalisation, the log and idempotence."""

from datetime import date, datetime

import duckdb
import pytest

from filiere import audit
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from filiere.ingest.source import file_sha256, source_id_for
from ingest.ingest_helpers import CALL_PROPS, CALLS_CSV, counts, write_file, write_mapping


def _ingest(ws, tmp_path, text=CALLS_CSV, **kw):
    csv = write_file(tmp_path / "fr_appels.csv", text)
    mapping = load_mapping(write_mapping(tmp_path, "calls", CALL_PROPS))
    return csv, ingest_file(ws, csv, mapping, actor="tester", **kw)


def test_calls_are_normalised_and_keep_raw_values(ws, tmp_path):
    csv, result = _ingest(ws, tmp_path)
    assert result.rows_loaded == 3 and result.tables == {"calls": 3}
    rows = ws.con.execute(
        "SELECT event_id, source_row, caller_raw, caller, caller_valid, callee, started_at, duration_s"
        " FROM calls ORDER BY source_row").fetchall()
    sid = source_id_for(file_sha256(csv))
    assert rows[0] == (f"{sid}:1", 1, "06 12 34 56 78", "+33612345678", True, "+447911123456",
                       datetime(2026, 3, 1, 10, 11, 12), 65)
    assert rows[1][3] == "+33612345678" and rows[1][5] == "+33612345678"
    # an invalid number is kept raw and flagged, never a bad row
    assert rows[2][2:5] == ("12", None, False)
    assert rows[2][7] is None


def test_sources_row_records_provenance_and_grading(ws, tmp_path):
    csv, result = _ingest(ws, tmp_path)
    row = ws.con.execute(
        "SELECT source_id, file_name, content_sha256, file_format, record_kind, mapping_name, agency,"
        " grading_scheme, source_grade, information_grade, handling_code, partner_visibility, nature,"
        " legal_basis, case_ref, collected_on, review_on, ingested_by, row_count, rows_loaded, status"
        " FROM sources").fetchall()
    assert row == [(result.source_id, "fr_appels.csv", file_sha256(csv), "csv", "calls", "mapping.yml",
                     "FR-OCRIEST", "eu4x4", "B", "2", "H1", "partners", "fact", "CPP art. 77-1-1", "OP-CHANNEL",
                     date(2026, 3, 1), date(2036, 2, 27), "tester", 3, 3, "active")]
    assert result.source_id == "S" + file_sha256(csv)[:16]


def test_collection_is_logged_in_the_same_transaction(ws, tmp_path):
    _, result = _ingest(ws, tmp_path)
    entry = ws.con.execute("SELECT action, actor, agency, what, why, details FROM processing_log"
                           " WHERE action = 'collection'").fetchall()
    assert len(entry) == 1
    action, actor, agency, what, why, details = entry[0]
    assert (action, actor, agency, why) == ("collection", "tester", "FR-OCRIEST", "OP-CHANNEL")
    assert result.source_id in what and '"rows_loaded": 3' in details
    assert audit.verify(ws).ok
    assert ws.con.execute("SELECT stage, stale FROM stage_runs").fetchall() == [("ingest", False)]


def test_same_content_twice_adds_nothing(ws, tmp_path):
    csv, first = _ingest(ws, tmp_path)
    before = counts(ws)
    again = ingest_file(ws, csv, load_mapping(tmp_path / "mapping.yml"))
    assert again.already and again.source_id == first.source_id and again.status == "active"
    assert counts(ws) == before
    # a copy under another name is the same content
    copy = write_file(tmp_path / "copie.csv", CALLS_CSV)
    assert ingest_file(ws, copy, load_mapping(tmp_path / "mapping.yml")).already
    assert counts(ws) == before


def test_iso_datetimes_by_default(ws, tmp_path):
    csv = write_file(tmp_path / "iso.csv", "a,b,t\n0612345678,0612345679,2026-03-01T10:00:00\n")
    props = {"caller": "a", "callee": "b", "started_at": "t"}
    mapping = load_mapping(write_mapping(tmp_path, "calls", props, fmt={"type": "csv"}))
    ingest_file(ws, csv, mapping)
    assert ws.con.execute("SELECT started_at FROM calls").fetchone()[0] == datetime(2026, 3, 1, 10)


@pytest.mark.slow
def test_rows_keep_file_order_on_a_parallel_read(ws, tmp_path):
    n = 120_000
    lines = ["id;appelant;appele;date_heure;duree"]
    lines += [f"{i};06{i % 300:08d};0612345678;01/03/2026 10:00:00;{i}" for i in range(1, n + 1)]
    csv = write_file(tmp_path / "big.csv", "\n".join(lines) + "\n")
    mapping = load_mapping(write_mapping(tmp_path, "calls", CALL_PROPS))
    ingest_file(ws, csv, mapping)
    mismatched = ws.con.execute("SELECT count(*) FROM calls WHERE source_row <> duration_s").fetchone()[0]
    assert mismatched == 0
    assert ws.con.execute("SELECT count(*) FROM calls").fetchone()[0] == n


def test_event_id_is_computed_from_source_and_row_not_stored(ws, tmp_path):
    csv, _ = _ingest(ws, tmp_path)
    sid = source_id_for(file_sha256(csv))
    assert ws.con.execute("SELECT list(event_id ORDER BY source_row) FROM calls").fetchone()[0] == [
        f"{sid}:1", f"{sid}:2", f"{sid}:3"]
    with pytest.raises(duckdb.Error, match="generated column"):
        ws.con.execute("INSERT INTO calls_wide (event_id, source_id, source_row) VALUES ('x', 'y', 1)")

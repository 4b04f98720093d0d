"""Parquet reader."""

from datetime import datetime

import duckdb
import pytest

from filiere.errors import InputError
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from ingest.ingest_helpers import write_mapping

PROPS = {"caller": "caller", "callee": "callee", "started_at": "start", "duration_s": "dur"}


def test_parquet_typed_columns_are_read_as_text(ws, tmp_path):
    path = tmp_path / "calls.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM (VALUES ('0612345678', '+447911123456', TIMESTAMP '2026-03-01 10:00:00', 61),"
        f" ('0612345679', '0612345678', TIMESTAMP '2026-03-02 10:00:00', 7)) t(caller, callee, start, dur))"
        f" TO '{path}' (FORMAT parquet)")
    mapping = load_mapping(write_mapping(tmp_path, "calls", PROPS, fmt={"type": "parquet"}))
    result = ingest_file(ws, path, mapping)
    assert result.rows_loaded == 2
    assert ws.con.execute("SELECT source_row, caller, callee, started_at, duration_s FROM calls ORDER BY 1"
                          ).fetchall() == [
        (1, "+33612345678", "+447911123456", datetime(2026, 3, 1, 10), 61),
        (2, "+33612345679", "+33612345678", datetime(2026, 3, 2, 10), 7)]
    assert ws.con.execute("SELECT file_format FROM sources").fetchone()[0] == "parquet"


def test_not_a_parquet_file(ws, tmp_path):
    path = tmp_path / "calls.parquet"
    path.write_text("caller,callee\n1,2\n")
    mapping = load_mapping(write_mapping(tmp_path, "calls", PROPS, fmt={"type": "parquet"}))
    with pytest.raises(InputError, match="not a readable Parquet file"):
        ingest_file(ws, path, mapping)


def test_empty_parquet_has_no_data_rows(ws, tmp_path):
    path = tmp_path / "empty.parquet"
    duckdb.connect().execute(f"COPY (SELECT 'x' AS caller, 'y' AS callee, 'z' AS start, 1 AS dur LIMIT 0)"
                             f" TO '{path}' (FORMAT parquet)")
    mapping = load_mapping(write_mapping(tmp_path, "calls", PROPS, fmt={"type": "parquet"}))
    with pytest.raises(InputError, match="the file has no data rows"):
        ingest_file(ws, path, mapping)

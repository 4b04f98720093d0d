"""JSON-lines reader."""

import json
from datetime import datetime

import pytest

from filiere.errors import InputError
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from ingest.ingest_helpers import write_mapping

PROPS = {"caller": "caller", "callee": "callee", "started_at": "start", "duration_s": "dur"}


def test_jsonl_rows_keep_strings_unquoted(ws, tmp_path):
    path = tmp_path / "calls.jsonl"
    lines = [{"caller": "06 12 34 56 78", "callee": "0612345679", "start": "2026-03-01 10:00:00", "dur": 12},
             {"caller": "0612345679", "callee": "0612345678", "start": "2026-03-01T11:00:00", "dur": None,
              "extra": {"nested": [1, 2]}}]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    mapping = load_mapping(write_mapping(tmp_path, "calls", PROPS, fmt={"type": "jsonl"}))
    ingest_file(ws, path, mapping)
    assert ws.con.execute("SELECT source_row, caller_raw, caller, started_at, duration_s FROM calls ORDER BY 1"
                          ).fetchall() == [
        (1, "06 12 34 56 78", "+33612345678", datetime(2026, 3, 1, 10), 12),
        (2, "0612345679", "+33612345679", datetime(2026, 3, 1, 11), None)]


def test_invalid_json_line_is_a_clear_file_error(ws, tmp_path):
    path = tmp_path / "calls.jsonl"
    path.write_text('{"caller": "0612345678", "callee": "0612345679", "start": "2026-03-01", "dur": 1}\n{oops\n')
    mapping = load_mapping(write_mapping(tmp_path, "calls", PROPS, fmt={"type": "jsonl"}))
    with pytest.raises(InputError, match="not valid JSON lines"):
        ingest_file(ws, path, mapping)

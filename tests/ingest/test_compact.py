"""The compact path for calls: same public rows as the general path, per-source storage, declines, erasure."""

from datetime import datetime

import duckdb
import pytest

from filiere import audit
from filiere.ingest import compact, retention
from filiere.ingest.loader import BadRowsError, ingest_file
from filiere.ingest.mapping import load_mapping
from filiere.model.schema import table
from filiere.workspace import Workspace
from ingest.ingest_helpers import CALL_PROPS, CALLS_CSV, counts, kill_mid_ingest, write_file, write_mapping

PROPS = {**CALL_PROPS, "cell_id": {"column": "cellule"}, "cell_lat": {"column": "lat", "decimal": ","},
         "call_type": {"column": "type", "map": {"voix": "voice", "texto": "sms"}}}
# padded values, blank optional fields, a day and month without their zero, an invalid number, numbers
# with spaces and decimal commas, quotes in the cell column
MIXED_CSV = (
    "appelant;appele;date_heure;duree;cellule;type;lat\n"
    "06 12 34 56 78;+44 7911 123456;01/03/2026 10:11:12;65;C-01;voix;50,95\n"
    " 0033612345678 ;06.12.34.56.78; 02/03/2026 11:00:00 ; 5 ;  C 02  ;TEXTO; 1.234,5 \n"
    "12;0612345679;3/3/2026 12:00:00;;;;\n"
    "0612345679;0612345678;04/03/2026 00:00:00;1 234;'';voix;-1\n"
)


@pytest.fixture(autouse=True)
def _small_files_too(monkeypatch):
    monkeypatch.setattr(compact, "COMPACT_MIN_BYTES", 0)


def _ingest(ws, tmp_path, text, props=PROPS, name="appels.csv", **kw):
    csv = write_file(tmp_path / name, text)
    return ingest_file(ws, csv, load_mapping(write_mapping(tmp_path, "calls", props)), actor="tester", **kw)


def _public_rows(ws):
    return ws.con.execute("SELECT * FROM calls ORDER BY source_id, source_row").fetchall()


def test_compact_and_general_paths_give_the_same_calls(tmp_path, monkeypatch):
    results, rows = {}, {}
    for path in ("compact", "general"):
        with Workspace.create(tmp_path / path) as ws:
            if path == "general":
                monkeypatch.setattr(compact, "applies", lambda mapping, path: False)
            results[path] = _ingest(ws, tmp_path, MIXED_CSV)
            rows[path] = _public_rows(ws)
            wide = ws.con.execute("SELECT count(*) FROM calls_wide").fetchone()[0]
            assert wide == (0 if path == "compact" else 4)
    assert results["compact"].compact and not results["general"].compact
    assert results["compact"].tables == results["general"].tables == {"calls": 4}
    assert rows["compact"] == rows["general"]
    # and the values are the ones the general path always gave: raw as written (trimmed), normalised beside
    first, second, third, fourth = rows["compact"]
    assert first[3:6] == ("06 12 34 56 78", "+33612345678", True)
    assert second[3] == "0033612345678" and second[9:12] == ("02/03/2026 11:00:00", datetime(2026, 3, 2, 11), 5)
    assert second[12:15] == ("TEXTO", "sms", "C 02")
    assert third[3:6] == ("12", None, False) and third[9:11] == ("3/3/2026 12:00:00", datetime(2026, 3, 3, 12))
    assert third[11:15] == (None, None, None, None)
    assert (fourth[11], fourth[14]) == (1234, "''")
    assert [r[15] for r in rows["compact"]] == [50.95, 1234.5, None, -1.0]


def test_a_file_without_header_and_a_reopened_workspace(tmp_path, monkeypatch):
    text = "".join(line + "\n" for line in MIXED_CSV.splitlines()[1:])
    props = {"caller": "col1", "callee": "col2", "started_at": {"column": "col3", "format": "%d/%m/%Y %H:%M:%S"},
             "duration_s": "col4", "cell_id": "col5"}
    fmt = {"type": "csv", "delimiter": ";", "header": False}
    rows = {}
    for path in ("compact", "general"):
        if path == "general":
            monkeypatch.setattr(compact, "applies", lambda mapping, path: False)
        with Workspace.create(tmp_path / path) as ws:
            csv = write_file(tmp_path / "sans_entete.csv", text)
            result = ingest_file(ws, csv, load_mapping(write_mapping(tmp_path, "calls", props, fmt=fmt)))
            assert result.compact == (path == "compact") and result.rows_loaded == 4
        with Workspace.open(tmp_path / path) as ws:  # source_row is the stored row's position: it survives
            ws.con.execute("CHECKPOINT")
            rows[path] = _public_rows(ws)
    assert rows["compact"] == rows["general"]
    assert [r[2] for r in rows["compact"]] == [1, 2, 3, 4]


def test_compact_storage_holds_only_what_the_file_maps(ws, tmp_path):
    result = _ingest(ws, tmp_path, CALLS_CSV, props=CALL_PROPS)
    schema = compact.source_schema(result.source_id)
    stored = [r[0] for r in ws.con.execute(f"DESCRIBE {schema}.calls_stored").fetchall()]
    assert stored == ["caller", "callee", "started_at", "started_at_raw", "duration_s"]
    # a date-time written exactly as the format writes it back is not stored twice
    assert ws.con.execute(f"SELECT count(started_at_raw) FROM {schema}.calls_stored").fetchone()[0] == 0
    assert ws.con.execute("SELECT list(started_at_raw ORDER BY source_row) FROM calls").fetchone()[0] == [
        "01/03/2026 10:11:12", "02/03/2026 11:00:00", "03/03/2026 12:00:00"]
    # the dictionary keeps every distinct number once, shared by caller and callee
    assert ws.con.execute(f"SELECT count(*) FROM {schema}.calls_dict0").fetchone()[0] == 6
    # the public table is a view: ingested calls cannot be altered in place
    with pytest.raises(duckdb.Error):
        ws.con.execute("UPDATE calls SET caller = NULL")


def test_two_sources_are_both_in_calls_and_erasing_one_drops_its_storage(ws, tmp_path):
    first = _ingest(ws, tmp_path, CALLS_CSV, props=CALL_PROPS, name="a.csv")
    second = _ingest(ws, tmp_path, MIXED_CSV, name="b.csv")
    assert first.compact and second.compact
    per_source = dict(ws.con.execute("SELECT source_id, count(*) FROM calls GROUP BY 1").fetchall())
    assert per_source == {first.source_id: 3, second.source_id: 4}
    assert counts(ws)["calls"] == 7
    erased = retention.erase_source(ws, second.source_id, "case closed", actor="tester")
    assert erased.removed["calls"] == 4
    assert ws.con.execute("SELECT DISTINCT source_id FROM calls").fetchall() == [(first.source_id,)]
    schemas = {r[0] for r in ws.con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
    assert "source_" + second.source_id not in schemas and "source_" + first.source_id in schemas
    assert audit.verify(ws).ok
    # a general-path source and a compact one live side by side too
    rejected = _ingest(ws, tmp_path, CALLS_CSV + "0612345678;0612345679;hier;1\n", props=CALL_PROPS, name="c.csv",
                       max_rejects=1)
    assert not rejected.compact and rejected.rejected == 1
    assert counts(ws)["calls"] == 3 + 3


@pytest.mark.parametrize(("line", "field", "reason"), [
    ("0612345678;0612345679;hier;1", "date_heure", "not a date-time"),
    ("0612345678;0612345679;01/03/2026 10:00:00;longtemps", "duree", "not a whole number"),
    (";0612345679;01/03/2026 10:00:00;1", "appelant", "required caller is empty"),
    ("   ;0612345679;01/03/2026 10:00:00;1", "appelant", "required caller is empty"),
    ("0612345678;0612345679;01/03/2026 10:00:00;1;en trop", None, "too many"),
])
def test_a_bad_row_declines_the_compact_path_and_is_reported_as_before(ws, tmp_path, line, field, reason):
    before = counts(ws)
    with pytest.raises(BadRowsError) as err:
        _ingest(ws, tmp_path, CALLS_CSV + line + "\n", props=CALL_PROPS)
    assert err.value.problems[0].row == 4 and err.value.problems[0].field == field
    assert reason in err.value.problems[0].reason
    assert counts(ws) == before
    assert not [r for r in ws.con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()
                if r[0].startswith("source_")]


def test_oversized_number_declines(ws, tmp_path):
    with pytest.raises(BadRowsError, match="characters"):
        _ingest(ws, tmp_path, CALLS_CSV + "0612345678;0612345679;01/03/2026 10:00:00;" + "0" * 10_001 + "1\n",
                props=CALL_PROPS)


def test_unknown_vocabulary_value_declines(ws, tmp_path):
    with pytest.raises(BadRowsError, match="vocabulary"):
        _ingest(ws, tmp_path, MIXED_CSV + "0612345678;0612345679;01/03/2026 10:00:00;1;C1;fax;\n")


def test_mappings_the_compact_path_does_not_handle_use_the_general_path(ws, tmp_path):
    props = {**CALL_PROPS, "cell_id": {"value": "C-FIXED"}}
    result = _ingest(ws, tmp_path, CALLS_CSV, props=props)
    assert not result.compact and result.rows_loaded == 3
    assert ws.con.execute("SELECT DISTINCT cell_id FROM calls").fetchall() == [("C-FIXED",)]


def test_a_failure_after_the_compact_load_leaves_no_storage(ws, tmp_path, monkeypatch):
    def broken_log(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(audit, "append", broken_log)
    with pytest.raises(OSError, match="disk full"):
        _ingest(ws, tmp_path, CALLS_CSV, props=CALL_PROPS)
    assert compact.per_source_relations(ws.con, table("calls")) == []
    assert counts(ws)["calls"] == 0


def test_small_files_take_the_general_path_by_default(ws, tmp_path, monkeypatch):
    monkeypatch.undo()  # the real threshold: each compact source costs every later query of calls a little
    assert len(CALLS_CSV) < compact.COMPACT_MIN_BYTES
    assert not _ingest(ws, tmp_path, CALLS_CSV, props=CALL_PROPS).compact


@pytest.mark.slow
def test_killed_process_mid_compact_ingest_leaves_nothing(tmp_path):
    killed = kill_mid_ingest(tmp_path, preamble="from filiere.ingest import compact\ncompact.COMPACT_MIN_BYTES = 0\n")
    with Workspace.open(killed.ws_dir) as ws:
        assert counts(ws)["calls"] == 0 and audit.verify(ws).ok
        assert compact.per_source_relations(ws.con, table("calls")) == []
        schemas = {r[0] for r in ws.con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
        assert not [name for name in schemas if name.startswith("source_")]
        result = ingest_file(ws, killed.csv, load_mapping(killed.mapping))  # nothing left blocks a new ingest
        assert result.compact and result.rows_loaded == 50_000

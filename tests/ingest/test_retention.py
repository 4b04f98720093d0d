"""Review dates and erasure of a source."""

from datetime import date, timedelta

import pytest

from filiere import audit
from filiere.errors import FiliereError
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from filiere.ingest.retention import due_for_review, erase_source
from ingest.ingest_helpers import CALL_PROPS, CALLS_CSV, SOURCE, write_file, write_mapping
from ingest.test_ingest_people import PAYMENT_PROPS, PAYMENTS_CSV


def _ingest(ws, tmp_path, name, text, kind, props, fmt=None, **source):
    csv = write_file(tmp_path / name, text)
    mapping = load_mapping(write_mapping(tmp_path, kind, props, fmt=fmt, source={**SOURCE, **source},
                                         name=name + ".yml"))
    return ingest_file(ws, csv, mapping)


def test_sources_due_for_review(ws, tmp_path):
    today = date.today()
    soon = _ingest(ws, tmp_path, "a.csv", CALLS_CSV, "calls", CALL_PROPS,
                   review_on=(today + timedelta(days=10)).isoformat())
    later = _ingest(ws, tmp_path, "b.csv", CALLS_CSV + "0612345678;0612345679;01/03/2026 10:00:00;1\n", "calls",
                    CALL_PROPS, review_on=(today + timedelta(days=400)).isoformat())
    assert due_for_review(ws, today) == []
    due = due_for_review(ws, today, within_days=30)
    assert [d.source_id for d in due] == [soon.source_id] and not due[0].overdue and due[0].days_over == -10
    in_a_year = due_for_review(ws, today + timedelta(days=401))
    assert {d.source_id for d in in_a_year} == {soon.source_id, later.source_id}
    assert all(d.overdue for d in in_a_year)


def test_erase_removes_rows_marks_derived_stale_and_logs(ws, tmp_path):
    pay = _ingest(ws, tmp_path, "p.csv", PAYMENTS_CSV, "payments", PAYMENT_PROPS, fmt={"type": "csv"})
    keep = _ingest(ws, tmp_path, "c.csv", CALLS_CSV, "calls", CALL_PROPS)
    sid = pay.source_id
    # derived rows from a later stage, built from the erased source and from another one
    ws.con.execute("INSERT INTO persons (person_id, display_name, source_ids) VALUES"
                   " ('P-1', 'samir abdi', [?]), ('P-2', 'karim', [?])", [sid, keep.source_id])
    ws.con.execute("INSERT INTO person_map VALUES (?, 'P-1', 'r1'), ('other:1:person', 'P-2', 'r1')",
                   [f"{sid}:1:payee"])
    ws.con.execute("INSERT INTO stage_runs VALUES ('resolve-1', 'resolve', now(), now(), 'x', '{}', false, NULL)")
    result = erase_source(ws, sid, "retention period ended", actor="dpo")
    assert result.removed["payments"] == 2 and result.removed["person_mentions"] == 3
    assert result.removed["persons"] == 1 and result.removed["person_map"] == 1
    assert ws.con.execute("SELECT count(*) FROM payments").fetchone()[0] == 0
    assert ws.con.execute("SELECT count(*) FROM person_mentions WHERE source_id = ?", [sid]).fetchone()[0] == 0
    assert ws.con.execute("SELECT count(*) FROM calls").fetchone()[0] == 3  # other sources untouched
    assert ws.con.execute("SELECT person_id FROM persons").fetchall() == [("P-2",)]
    assert ws.con.execute("SELECT status, rows_loaded FROM sources WHERE source_id = ?", [sid]).fetchone() == (
        "erased", 0)
    assert ws.con.execute("SELECT stale, stale_reason FROM stage_runs WHERE stage = 'resolve'").fetchone() == (
        True, f"source {sid} erased")
    entry = ws.con.execute("SELECT actor, why, details FROM processing_log WHERE action = 'erasure'").fetchone()
    assert entry[0] == "dpo" and entry[1] == "retention period ended" and sid in entry[2]
    assert audit.verify(ws).ok
    with pytest.raises(FiliereError, match="already erased"):
        erase_source(ws, sid, "again")
    # the erased content is not silently ingested again
    again = ingest_file(ws, tmp_path / "p.csv", load_mapping(tmp_path / "p.csv.yml"))
    assert again.already and again.status == "erased"
    assert ws.con.execute("SELECT count(*) FROM payments").fetchone()[0] == 0


def test_erase_removes_rejects_too(ws, tmp_path):
    csv = CALLS_CSV + "0612345678;;01/03/2026 10:00:00;5\n"
    path = write_file(tmp_path / "r.csv", csv)
    result = ingest_file(ws, path, load_mapping(write_mapping(tmp_path, "calls", CALL_PROPS)), max_rejects=1)
    assert ws.con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 1
    erase_source(ws, result.source_id, "wrong file")
    assert ws.con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0


def test_erase_unknown_source(ws):
    with pytest.raises(FiliereError, match="no source 'S0'"):
        erase_source(ws, "S0", "x")

from __future__ import annotations

import json

from filiere import audit
from filiere.workspace import Workspace


def _three_entries(ws: Workspace) -> None:
    with ws.transaction():
        audit.append(ws, "collection", "file a.csv", "case 1")
        audit.append(ws, "consultation", "person P-1", "case 1", actor="alice", agency="FR")
        audit.append(ws, "disclosure", "package 1", "case 1", to_whom="UK-NCA")


def test_intact_chain_verifies(ws: Workspace) -> None:
    _three_entries(ws)
    result = audit.verify(ws)
    assert result.ok, result.problems
    assert result.entries == 3


def test_modified_entry_is_detected(ws: Workspace) -> None:
    _three_entries(ws)
    ws.con.execute("UPDATE processing_log SET why = 'other case' WHERE seq = 2")
    result = audit.verify(ws)
    assert not result.ok
    assert any("entry 2" in p and "modified" in p for p in result.problems)


def test_deleted_entry_is_detected(ws: Workspace) -> None:
    _three_entries(ws)
    ws.con.execute("DELETE FROM processing_log WHERE seq = 2")
    result = audit.verify(ws)
    assert not result.ok
    assert any("entry 3" in p for p in result.problems)


def test_reordered_entries_are_detected(ws: Workspace) -> None:
    _three_entries(ws)
    ws.con.execute("UPDATE processing_log SET seq = CASE seq WHEN 1 THEN 2 WHEN 2 THEN 1 ELSE seq END")
    assert not audit.verify(ws).ok


def test_truncated_tail_is_detected_by_head_file(ws: Workspace) -> None:
    _three_entries(ws)
    assert json.loads((ws.path / audit.HEAD_FILE).read_text())["seq"] == 3
    ws.con.execute("DELETE FROM processing_log WHERE seq = 3")
    result = audit.verify(ws)
    assert not result.ok
    assert any("cut off" in p for p in result.problems)


def test_rolled_back_entry_leaves_no_trace(ws: Workspace) -> None:
    _three_entries(ws)
    try:
        with ws.transaction():
            audit.append(ws, "alteration", "x", "y")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert ws.con.execute("SELECT count(*) FROM processing_log").fetchone()[0] == 3
    assert audit.verify(ws).ok

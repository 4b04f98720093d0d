from __future__ import annotations

from pathlib import Path

import pytest

from filiere.model.grading import Grading, GradingError, PartnerVisibility
from filiere.model.schema import ALL_TABLES, SCHEMA_VERSION
from filiere.workspace import Workspace, WorkspaceError


def test_create_builds_every_table_at_current_version(ws: Workspace) -> None:
    names = {r[0] for r in ws.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {t.name for t in ALL_TABLES} <= names
    assert ws.schema_version() == SCHEMA_VERSION


def test_open_refuses_non_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a filiere workspace"):
        Workspace.open(tmp_path)


def test_create_refuses_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(WorkspaceError, match="not empty"):
        Workspace.create(tmp_path)


def test_transaction_rolls_back_on_error(ws: Workspace) -> None:
    with pytest.raises(ValueError), ws.transaction() as con:
        con.execute("INSERT INTO rejects (file_name) VALUES ('a')")
        raise ValueError("fail")
    assert ws.con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0


def test_newer_schema_is_refused(ws: Workspace) -> None:
    ws.con.execute("INSERT INTO schema_migrations VALUES (?, now(), 'future')", [SCHEMA_VERSION + 1])
    path = ws.path
    ws.close()
    with pytest.raises(WorkspaceError, match="newer"):
        Workspace.open(path)


def test_an_older_workspace_is_migrated_on_open(ws: Workspace) -> None:
    # a workspace made before migration 2: person records without their record time
    ws.con.execute("ALTER TABLE person_mentions DROP COLUMN recorded_at")
    ws.con.execute("ALTER TABLE person_mentions DROP COLUMN recorded_at_raw")
    ws.con.execute("DELETE FROM schema_migrations WHERE version >= 2")
    path = ws.path
    ws.close()
    with Workspace.open(path) as reopened:
        assert reopened.schema_version() == SCHEMA_VERSION
        columns = {r[0] for r in reopened.con.execute("DESCRIBE person_mentions").fetchall()}
        assert {"recorded_at", "recorded_at_raw"} <= columns


@pytest.mark.parametrize(
    ("scheme", "src", "info", "handling", "visibility"),
    [
        ("eu4x4", "B", "2", "H0", PartnerVisibility.PARTNERS),
        ("eu4x4", "x", "4", "h2", PartnerVisibility.OWNER_ONLY),
        ("uk3x5x2", "1", "A", "C", PartnerVisibility.RELEASABLE),
        ("legacy5x5x5", "E", "5", "4", PartnerVisibility.OWNER_ONLY),
    ],
)
def test_grading_kept_as_written_and_visibility(scheme, src, info, handling, visibility) -> None:
    g = Grading.parse(scheme, src, info, handling)
    assert (g.source, g.information, g.handling) == (src.upper(), info.upper(), handling.upper())
    assert g.partner_visibility == visibility


@pytest.mark.parametrize(
    ("scheme", "src", "info", "handling", "message"),
    [
        ("eu4x4", "D", "2", "H0", "source grade 'D'"),  # D is not EU 4x4 (it is 5x5x5)
        ("uk3x5x2", "1", "A", "H1", "handling grade 'H1'"),
        ("nato", "A", "1", "H0", "unknown grading scheme"),
    ],
)
def test_grading_rejects_codes_of_another_scheme(scheme, src, info, handling, message) -> None:
    with pytest.raises(GradingError, match=message):
        Grading.parse(scheme, src, info, handling)


def test_workspace_held_by_another_process_gives_a_clear_error(ws: Workspace) -> None:
    import subprocess
    import sys

    code = (
        "from filiere.workspace import Workspace, WorkspaceError\n"
        f"try:\n    Workspace.open({str(ws.path)!r})\nexcept WorkspaceError as e:\n    print('ERR', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("ERR") and "in use by another filiere process" in out

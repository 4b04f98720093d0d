"""The workbench's in-memory lookup tables: built once, read under the access rule, never written to the
workspace; and the search behaviour that rests on them."""

from __future__ import annotations

import threading

import pytest

from filiere.access import Access, AccessDenied, Viewer
from filiere.web.data.lookup import LookupTables, WorkbenchDb
from web.world import UK


def _main_tables(ws) -> set[str]:
    return {r[0] for r in ws.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}


def test_lookup_tables_live_beside_the_workspace_not_in_it(app, client_for, wws):
    before = _main_tables(wws)
    assert client_for("alice").get("/api/search", params={"q": "Benali"}).status_code == 200
    ctx = app.state.ctx
    assert ctx.lookup.ensure(wws.con) == ctx.lookup.schema  # built by the search
    assert _main_tables(wws) == before
    attached = {r[0] for r in wws.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = $db", {"db": ctx.lookup.schema}).fetchall()}
    assert attached == {"mentions_by_person", "search_names"}
    ctx.lookup.close(wws.con)
    assert wws.con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = $db",
                           {"db": ctx.lookup.schema}).fetchone()[0] == 0


def test_lookup_tables_are_built_once_under_concurrent_first_use(wws):
    tables = LookupTables()
    errors: list[BaseException] = []

    def use() -> None:
        cur = wws.con.cursor()
        try:
            tables.ensure(cur)
        except BaseException as exc:  # an ATTACH raced by another thread would fail here
            errors.append(exc)
        finally:
            cur.close()

    threads = [threading.Thread(target=use) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert wws.con.execute(f"SELECT count(*) FROM {tables.schema}.mentions_by_person").fetchone()[0] == wws.con.execute(
        "SELECT count(*) FROM person_map").fetchone()[0]
    tables.close(wws.con)


def test_reads_of_the_lookup_tables_need_the_access_rule(wws):
    tables = LookupTables()
    db = WorkbenchDb(wws.con, Access.for_viewer(wws.con, Viewer("bob", UK, "analyst")), None, tables)
    try:
        with pytest.raises(AccessDenied):
            db.rows(f"SELECT * FROM {db.table('search_names')}")
        names = {r["name"] for r in db.rows(f"SELECT n.name FROM {db.table('search_names')} n"
                                            f" WHERE {Access.row('n')}")}
        assert "Karim BENALI" in names and "Zoltan SECRETOV" not in names
    finally:
        tables.close(wws.con)


def test_substring_search_is_case_blind_and_literal(client_for):
    c = client_for("alice")
    assert [p["person_id"] for p in c.get("/api/search", params={"q": "ENAL"}).json()["persons"]] == ["P-KB"]
    for pattern in ("%nali", "B_nali"):  # no LIKE wildcards: these are not in any name
        assert c.get("/api/search", params={"q": pattern}).json()["persons"] == [], pattern


def test_search_results_follow_the_viewer_agency(client_for):
    """One person, two agencies: FR finds P-AH through its own owner-only spelling, UK does not."""
    fr = client_for("alice").get("/api/search", params={"q": "SECRETOV-Hassan"}).json()["persons"]
    uk = client_for("bob").get("/api/search", params={"q": "SECRETOV-Hassan"}).json()["persons"]
    assert "P-AH" in [p["person_id"] for p in fr]
    assert "P-AH" not in [p["person_id"] for p in uk]
    assert all("SECRETOV" not in n for p in uk for n in p["matched_names"])

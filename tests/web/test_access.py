"""The access rule itself: which sources each agency sees, and that Scoped refuses unscoped queries."""

from __future__ import annotations

import pytest

from filiere.access import Access, AccessDenied, Scoped, Viewer
from web.world import BE, FR, UK


def visible(ws, agency: str, role: str = "analyst") -> set[str]:
    return set(Access.for_viewer(ws.con, Viewer("x", agency, role)).visible)


def test_owner_partners_and_releasable(wws):
    assert visible(wws, FR) == {"S-FR-OPEN", "S-FR-CALLS", "S-FR-SECRET", "S-UK-OPEN", "S-UK-COND"}
    assert visible(wws, UK) == {"S-FR-OPEN", "S-FR-CALLS", "S-UK-OPEN", "S-UK-COND"}
    assert visible(wws, BE) == {"S-FR-OPEN", "S-FR-CALLS", "S-UK-OPEN"}


def test_erased_sources_are_visible_to_nobody(wws):
    wws.con.execute("UPDATE sources SET status = 'erased' WHERE source_id = 'S-FR-OPEN'")
    assert "S-FR-OPEN" not in visible(wws, FR)


def test_roles_without_data_see_no_source(wws):
    assert visible(wws, FR, "auditor") == set()
    assert visible(wws, FR, "admin") == set()


def test_scoped_refuses_queries_without_the_rule(wws):
    db = Scoped(wws.con, Access.for_viewer(wws.con, Viewer("bob", UK, "analyst")))
    with pytest.raises(AccessDenied):
        db.rows("SELECT * FROM person_mentions")
    names = {r["name_raw"] for r in db.rows(f"SELECT m.name_raw FROM person_mentions m WHERE {Access.row('m')}")}
    assert "Zoltan SECRETOV" not in names and "Jean DUPONT" in names


def test_strict_and_reduced_rules_on_derived_rows(wws):
    db = Scoped(wws.con, Access.for_viewer(wws.con, Viewer("bob", UK, "analyst")))
    edges = db.rows(f"SELECT e.person_a, e.person_b FROM edges e WHERE {Access.derived('e')}")
    assert ("P-AH", "P-ZS") not in {(e["person_a"], e["person_b"]) for e in edges}
    persons = {r["person_id"] for r in db.rows(f"SELECT p.person_id FROM persons p WHERE {Access.partly('p')}")}
    assert "P-AH" in persons and "P-ZS" not in persons


def test_data_role_needed_even_for_scoped_queries(wws):
    db = Scoped(wws.con, Access.for_viewer(wws.con, Viewer("audrey", FR, "auditor")))
    with pytest.raises(AccessDenied):
        db.rows(f"SELECT m.name_raw FROM person_mentions m WHERE {Access.row('m')}")


def test_only_the_access_module_runs_sql_in_the_data_layer():
    """Data-access modules read through Scoped only (names.py builds its key index and lookup.py its tables from
    the workspace tables; neither returns rows)."""
    from pathlib import Path

    import filiere.web.data as data_pkg

    for path in Path(data_pkg.__file__).parent.glob("*.py"):
        if path.name in ("names.py", "lookup.py", "review.py"):
            continue
        text = path.read_text()
        assert ".execute(" not in text, f"{path.name} runs SQL outside filiere.access.Scoped"

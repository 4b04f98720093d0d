"""Narrow lookup tables the workbench reads instead of joining the wide mention tables on every request.

Built once per server from the workspace tables (``CREATE TABLE … AS SELECT`` in DuckDB: about 0.2 s on the
simulator's large world) into an in-memory database attached to the workspace's DuckDB instance: every request
cursor sees them, nothing is written to the workspace file and the processing log is untouched.

* ``mentions_by_person``: one row per person mention, ordered by person — the person and the resolver's display
  name for it, the mention's source agency and display name, and the mention's columns a profile shows: what a
  person card and profile are made of, per viewer, out of the visible mentions only
  (:func:`filiere.web.data.persons.cards`, :func:`filiere.web.data.persons.profile`).
* ``search_names``: one row per (name as written, person, source), with the mention's display name and the
  written name lower-cased for substring search (:func:`filiere.web.data.search.search`).

Every entry keeps the source ids of the rows it comes from, so every read applies the access rule as it would
on the workspace tables: through :class:`filiere.access.Scoped`, with the fragments of
:class:`filiere.access.Access` applied to each entry. Building once is sound for the reason the card memo is:
while ``filiere serve`` holds the workspace no other process can write it (one DuckDB writer), and the server
itself writes only users, judgements and the log, none of which these tables are made from. The resolve run
they were built from is kept in ``built_from``.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

import duckdb

from filiere.access import Access, Scoped
from filiere.web.data.names import DISPLAY_NAME, NAME_EXPRS

_SERIAL = itertools.count(1)
# The columns of ``person_mentions`` a profile shows (with the source's provenance columns).
MENTION_COLUMNS = ("mention_id", "source_id", "slot", "record_kind", "source_row", "name_raw", "given_name_raw",
                   "family_name_raw", "alias_raw", "birth_date_raw", "birth_date", "nationality_raw", "nationality",
                   "gender", "document_raw", "phone_raw", "phone", "category_raw", "category", "role", "address",
                   "notes")


def _tables_sql(schema: str) -> list[str]:
    written = " UNION ALL ".join(
        f"SELECT {e} AS name, {DISPLAY_NAME} AS shown, m.mention_id, m.source_id FROM person_mentions m"
        f" WHERE {e} IS NOT NULL" for e in NAME_EXPRS)
    return [
        f"""CREATE TABLE {schema}.mentions_by_person AS
            SELECT pm.person_id, p.display_name AS resolved, s.agency, {DISPLAY_NAME} AS name,
                   {", ".join(f"m.{c}" for c in MENTION_COLUMNS)}
            FROM person_map pm JOIN person_mentions m ON m.mention_id = pm.mention_id
            JOIN sources s ON s.source_id = m.source_id LEFT JOIN persons p ON p.person_id = pm.person_id
            ORDER BY pm.person_id, m.mention_id""",
        f"""CREATE TABLE {schema}.search_names AS
            SELECT DISTINCT w.name, lower(w.name) AS name_lower, w.shown, pm.person_id, w.source_id
            FROM ({written}) w JOIN person_map pm ON pm.mention_id = w.mention_id
            ORDER BY w.name, pm.person_id, w.source_id""",
    ]


class LookupTables:
    """The workbench's narrow tables over one workspace, built on first use (or by the server's warm-up)."""

    def __init__(self) -> None:
        self.schema = f"filiere_web_{next(_SERIAL)}"  # one per app: two apps may share a DuckDB instance (tests)
        self.built_from: str | None = None
        self._ready = False
        self._lock = threading.Lock()

    def ensure(self, con: duckdb.DuckDBPyConnection) -> str:
        """Build the tables once; returns the attached database holding them."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._build(con)
        return self.schema

    def _build(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"ATTACH ':memory:' AS {self.schema}")
        try:
            for sql in _tables_sql(self.schema):
                con.execute(sql)
        except BaseException:
            con.execute(f"DETACH {self.schema}")
            raise
        row = con.execute("SELECT max(run_id) FROM stage_runs WHERE stage = 'resolve'").fetchone()
        self.built_from = row[0] if row else None
        self._ready = True

    def close(self, con: duckdb.DuckDBPyConnection) -> None:
        with self._lock:
            if self._ready:
                con.execute(f"DETACH {self.schema}")
                self._ready = False


class WorkbenchDb(Scoped):
    """The scoped reads of one request, which may also read the lookup tables (under the same access rule)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, access: Access, memo: Any, tables: LookupTables) -> None:
        super().__init__(con, access, memo)
        self._tables = tables
        self._tables_con = con

    def table(self, name: str) -> str:
        """The qualified name of lookup table ``name`` (``mentions_by_person``, ``search_names``), built if need be."""
        return f"{self._tables.ensure(self._tables_con)}.{name}"

"""The access rule of the joint team, enforced once, in the data layer.

A **source row** (a mention or an event, or the ``sources`` row itself) is visible to a user iff

* the user's agency owns the source, or
* the source's ``partner_visibility`` is ``partners``, or
* it is ``releasable`` and the user's agency is named in the source's ``releasable_to``,

and the source has not been erased.

**Derived rows** carry ``source_ids`` (every source that contributed to them). Two rules apply:

* *strict* (:meth:`Access.derived`): the row is visible iff **every** contributing source is visible.
  Used for rows whose content cannot be recomputed from the visible parts alone: edges, networks as
  scored, network members (their centralities), plans, phone owners.
* *reduced* (:meth:`Access.partly`): the entity is shown iff **at least one** contributing source is
  visible, and everything shown about it is recomputed from visible source rows only. Used for entities
  that are just a key over mentions: persons (name, category, agencies, mention count recomputed from visible
  mentions), phones, vehicles. The entity's key (its id, number or plate) is all that the reduced view
  takes from the derived row.

Every query of personal data goes through :class:`Scoped`, which binds the visible sources as the named
parameter ``$vis`` and refuses SQL that does not use it (``public=True`` marks the few queries over tables
holding no personal data: users, the processing log — those are guarded by role instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from filiere.model.grading import PartnerVisibility

ROLES = ("analyst", "supervisor", "auditor", "admin")
# Roles that may see personal data (auditors read the log, admins manage users).
DATA_ROLES = frozenset({"analyst", "supervisor"})

VISIBLE_SOURCES_SQL = f"""
SELECT source_id FROM sources
WHERE coalesce(status, 'active') <> 'erased'
  AND (agency = $agency
       OR partner_visibility = '{PartnerVisibility.PARTNERS.value}'
       OR (partner_visibility = '{PartnerVisibility.RELEASABLE.value}'
           AND list_contains(coalesce(releasable_to, []::VARCHAR[]), $agency)))
ORDER BY source_id
"""


class AccessDenied(PermissionError):
    """A query tried to read personal data without the access rule."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a web user (or a CLI operator) of one agency with one role."""

    username: str
    agency: str
    role: str

    @property
    def sees_data(self) -> bool:
        return self.role in DATA_ROLES


@dataclass(frozen=True)
class Access:
    """The sources one viewer may see, and SQL fragments that apply the rule to any table alias."""

    viewer: Viewer
    visible: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def for_viewer(cls, con: duckdb.DuckDBPyConnection, viewer: Viewer) -> Access:
        if not viewer.sees_data:
            return cls(viewer, frozenset())
        rows = con.execute(VISIBLE_SOURCES_SQL, {"agency": viewer.agency}).fetchall()
        return cls(viewer, frozenset(r[0] for r in rows))

    # -- python-side checks ----------------------------------------------------------------------------
    def source_visible(self, source_id: str | None) -> bool:
        return source_id is not None and source_id in self.visible

    def all_visible(self, source_ids: list[str] | None) -> bool:
        return bool(source_ids) and all(s in self.visible for s in source_ids)

    def any_visible(self, source_ids: list[str] | None) -> bool:
        return bool(source_ids) and any(s in self.visible for s in source_ids)

    # -- SQL fragments (use with Scoped, which binds $vis) ---------------------------------------------
    @staticmethod
    def row(alias: str, column: str = "source_id") -> str:
        """A source row (mention, event, sources) is visible."""
        return f"list_contains($vis::VARCHAR[], {alias}.{column})"

    @staticmethod
    def derived(alias: str, column: str = "source_ids") -> str:
        """Strict rule for derived rows: every contributing source is visible."""
        ids = f"{alias}.{column}"
        return f"(len(coalesce({ids}, []::VARCHAR[])) > 0 AND list_has_all($vis::VARCHAR[], {ids}))"

    @staticmethod
    def partly(alias: str, column: str = "source_ids") -> str:
        """Reduced rule for keyed entities: at least one contributing source is visible."""
        return f"list_has_any($vis::VARCHAR[], coalesce({alias}.{column}, []::VARCHAR[]))"


class Scoped:
    """A database cursor that can only run queries applying one viewer's :class:`Access`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, access: Access, memo: Any = None) -> None:
        self._con = con
        self.access = access
        self._memo = memo  # optional shared memo (get/put) of views derived under this access

    def remembered(self, kind: str, key: str) -> Any | None:
        """A view computed earlier for the same visible sources, if the memo holds it."""
        return None if self._memo is None else self._memo.get((self.access.visible, kind, key))

    def remember(self, kind: str, key: str, value: Any) -> None:
        if self._memo is not None:
            self._memo.put((self.access.visible, kind, key), value)

    @property
    def viewer(self) -> Viewer:
        return self.access.viewer

    def _params(self, sql: str, params: dict[str, Any] | None, public: bool) -> dict[str, Any]:
        if not public and "$vis" not in sql:
            raise AccessDenied("query of personal data without the access rule ($vis)")
        if not public and not self.viewer.sees_data:
            raise AccessDenied(f"role {self.viewer.role!r} may not read personal data")
        bound = dict(params or {})
        if "$vis" in sql:
            bound["vis"] = sorted(self.access.visible)
        return bound

    def rows(self, sql: str, params: dict[str, Any] | None = None, *, public: bool = False) -> list[dict[str, Any]]:
        cur = self._con.execute(sql, self._params(sql, params, public))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def one(self, sql: str, params: dict[str, Any] | None = None, *, public: bool = False) -> dict[str, Any] | None:
        found = self.rows(sql, params, public=public)
        return found[0] if found else None

    def scalar(self, sql: str, params: dict[str, Any] | None = None, *, public: bool = False) -> Any:
        row = self._con.execute(sql, self._params(sql, params, public)).fetchone()
        return None if row is None else row[0]

"""The workspace schema in one place: every table, the schema version and forward migrations.

``MIGRATIONS`` is append-only: a released workspace is upgraded by running the migrations it has not seen,
in order, each inside the same transaction as its ``schema_migrations`` row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from filiere.model.table import Table
from filiere.model.tables_access import ACCESS_TABLES
from filiere.model.tables_analysis import ANALYSIS_TABLES
from filiere.model.tables_core import CORE_TABLES
from filiere.model.tables_records import RECORD_TABLES
from filiere.model.tables_resolved import RESOLVED_TABLES

ALL_TABLES: tuple[Table, ...] = (
    *CORE_TABLES, *RECORD_TABLES, *RESOLVED_TABLES, *ANALYSIS_TABLES, *ACCESS_TABLES,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in ALL_TABLES}


def table(name: str) -> Table:
    return TABLES_BY_NAME[name]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: Callable[[], list[str]]


def _initial_schema() -> list[str]:
    stmts: list[str] = []
    for t in ALL_TABLES:
        stmts.extend(t.ddl())
    return stmts


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: sources, log, mentions, events, resolved entities, analysis, users",
              _initial_schema),
    Migration(2, "person records: when the record was made (persons.recorded_at)",
              lambda: ["ALTER TABLE person_mentions ADD COLUMN IF NOT EXISTS recorded_at_raw VARCHAR",
                       "ALTER TABLE person_mentions ADD COLUMN IF NOT EXISTS recorded_at TIMESTAMP"]),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

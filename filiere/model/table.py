"""A table declaration: name, documented columns, key; renders its own DDL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from filiere.model.types import Column


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    stage: str = "core"  # which stage writes it (ingest, resolve, analyze, web …)
    indexes: tuple[tuple[str, ...], ...] = field(default=())
    # When set, ``name`` is a VIEW: rows with every column live in the table ``storage`` (direct writes and
    # ingests that need it), and compact per-source relations are added to the view by ``view_ddl``.
    storage: str | None = None

    @property
    def write_name(self) -> str:
        """The table an INSERT goes to (the public name is a view when the table has separate storage)."""
        return self.storage or self.name

    def view_ddl(self, extra_relations: Sequence[str] = ()) -> str:
        """The public view: the storage table, then each extra relation's rows by column name (missing → NULL)."""
        assert self.storage is not None
        parts = [f"SELECT * FROM {self.storage}", *(f"SELECT * FROM {r}" for r in extra_relations)]
        return f"CREATE OR REPLACE VIEW {self.name} AS " + " UNION ALL BY NAME ".join(parts)

    def ddl(self) -> list[str]:
        cols = [f'    "{c.name}" {c.sql_type}' + ("" if c.stored else f" GENERATED ALWAYS AS ({c.generated}) VIRTUAL")
                for c in self.columns]
        if self.primary_key:
            cols.append(f"    PRIMARY KEY ({', '.join(self.primary_key)})")
        stmts = [f"CREATE TABLE IF NOT EXISTS {self.write_name} (\n" + ",\n".join(cols) + "\n)"]
        for i, idx in enumerate(self.indexes):
            stmts.append(f"CREATE INDEX IF NOT EXISTS {self.name}_ix{i} ON {self.write_name} ({', '.join(idx)})")
        if self.storage is not None:
            stmts.append(self.view_ddl())
        return stmts

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def stored_column_names(self) -> list[str]:
        """The columns an INSERT may fill (generated columns are computed when read)."""
        return [c.name for c in self.columns if c.stored]


def C(name: str, sql_type: str, doc: str = "") -> Column:
    return Column(name, sql_type, doc)

"""A table declaration: name, documented columns, key; renders its own DDL."""

from __future__ import annotations

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

    def ddl(self) -> list[str]:
        cols = [f'    "{c.name}" {c.sql_type}' + ("" if c.stored else f" GENERATED ALWAYS AS ({c.generated}) VIRTUAL")
                for c in self.columns]
        if self.primary_key:
            cols.append(f"    PRIMARY KEY ({', '.join(self.primary_key)})")
        stmts = [f"CREATE TABLE IF NOT EXISTS {self.name} (\n" + ",\n".join(cols) + "\n)"]
        for i, idx in enumerate(self.indexes):
            stmts.append(f"CREATE INDEX IF NOT EXISTS {self.name}_ix{i} ON {self.name} ({', '.join(idx)})")
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

"""What a reader hands to the loader."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from filiere.errors import InputError
from filiere.ingest.problems import Problem


@dataclass
class Staged:
    relation: str  # temp table or view with the file's columns (VARCHAR) and _row
    columns: list[str]  # the file's column names, in order
    row_count: int  # data rows in the file, including rows the reader refused
    problems: list[Problem] = field(default_factory=list)
    temp_objects: list[tuple[str, str]] = field(default_factory=list)  # (TABLE|VIEW, name) to drop

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        for kind, obj in reversed(self.temp_objects):
            con.execute(f"DROP {kind} IF EXISTS {obj}")


def check_columns(file: str, columns: list[str], wanted: list[str], delimiter: str | None = None) -> None:
    """Raise an error naming the wanted columns the file lacks and listing the ones it has."""
    missing = [c for c in dict.fromkeys(wanted) if c not in columns]
    if not missing:
        return
    shown = ", ".join(repr(c) for c in columns[:40]) + (" …" if len(columns) > 40 else "")
    hint = ""
    if delimiter is not None and len(columns) <= 1:
        hint = f" — only one column was found: is the delimiter {delimiter!r} right?"
    raise InputError(file, f"mapped column(s) {', '.join(repr(c) for c in missing)} not found in the file; "
                           f"its columns are: {shown}{hint}")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stage_varchar(con: duckdb.DuckDBPyConnection, file: str, source_sql: str, name: str, wanted: list[str],
                  params: list | None = None, as_text: str = "CAST({} AS VARCHAR)") -> list[str]:
    """Materialise the wanted columns of ``source_sql`` as temp table ``name``: VARCHAR, trimmed, '' → NULL.

    Returns all the columns the source has.
    """
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source_sql}", params or []).fetchall()]
    check_columns(file, cols, wanted)
    keep = list(dict.fromkeys(wanted))
    select = ", ".join(f"NULLIF(trim({as_text.format(quote_ident(c))}), '') AS {quote_ident(c)}" for c in keep)
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT {select or 'NULL AS _none'} FROM {source_sql}", params or [])
    return cols

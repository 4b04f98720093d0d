"""Parquet: every column cast to VARCHAR; ``_row`` from the file's own row numbers."""

from __future__ import annotations

from pathlib import Path

import duckdb

from filiere.errors import InputError
from filiere.ingest.readers.staged import Staged, stage_varchar


def read_parquet(con: duckdb.DuckDBPyConnection, path: Path, name: str, wanted: list[str]) -> Staged:
    raw = f"{name}_raw"
    try:
        cols = stage_varchar(con, str(path), "read_parquet(?)", raw, wanted, [str(path)])
    except duckdb.Error as exc:
        raise InputError(str(path), f"not a readable Parquet file: {str(exc).splitlines()[0]}") from None
    con.execute(f"CREATE TEMP VIEW {name} AS SELECT rowid + 1 AS _row, * FROM {raw}")
    n = con.execute(f"SELECT count(*) FROM {raw}").fetchone()[0]
    return Staged(name, cols, int(n), [], [("TABLE", raw), ("VIEW", name)])

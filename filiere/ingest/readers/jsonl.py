"""JSON lines: one object per line; top-level keys become columns (nested values as JSON text)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from filiere.errors import InputError
from filiere.ingest.readers.staged import Staged, stage_varchar


def read_jsonl(con: duckdb.DuckDBPyConnection, path: Path, name: str, wanted: list[str]) -> Staged:
    raw = f"{name}_raw"
    # maximum_depth = 1: every top-level value stays JSON, so ->> '$' gives strings unquoted and nested
    # values as JSON text, whatever types the sampled lines suggest
    source = "read_json(?, format = 'newline_delimited', maximum_depth = 1, union_by_name = true)"
    try:
        cols = stage_varchar(con, str(path), source, raw, wanted, [str(path)], as_text="{} ->> '$'")
    except duckdb.Error as exc:
        raise InputError(str(path), f"not valid JSON lines: {str(exc).splitlines()[0]}") from None
    con.execute(f"CREATE TEMP VIEW {name} AS SELECT rowid + 1 AS _row, * FROM {raw}")
    n = con.execute(f"SELECT count(*) FROM {raw}").fetchone()[0]
    return Staged(name, cols, int(n), [], [("TABLE", raw), ("VIEW", name)])

"""Readers: load one file into a temporary staging relation of VARCHAR columns plus ``_row``.

``_row`` is the 1-based data row of the file (header not counted).  Rows the reader itself refuses (wrong
number of columns, a line over the size limit) come back as :class:`~filiere.ingest.problems.Problem`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from filiere.errors import InputError
from filiere.ingest.mapping import FileFormat
from filiere.ingest.readers.staged import Staged


def read_into_staging(con: duckdb.DuckDBPyConnection, path: Path, fmt: FileFormat, name: str,
                      scratch: Path, wanted: list[str]) -> Staged:
    """Stage the ``wanted`` columns of ``path`` as ``name`` (csv, parquet, jsonl).

    ``scratch`` is a directory for transcoded copies.  A wanted column the file does not have is an error
    that lists the columns it has.
    """
    if not path.is_file():
        raise InputError(str(path), "no such file")
    if path.stat().st_size == 0:
        raise InputError(str(path), "the file is empty (0 bytes)")
    match fmt.type:
        case "csv":
            from filiere.ingest.readers.csv import read_csv

            return read_csv(con, path, fmt, name, scratch, wanted)
        case "parquet":
            from filiere.ingest.readers.parquet import read_parquet

            return read_parquet(con, path, name, wanted)
        case "jsonl":
            from filiere.ingest.readers.jsonl import read_jsonl

            return read_jsonl(con, path, name, wanted)
    raise InputError(str(path), f"format {fmt.type!r} is not read into a single staging table")

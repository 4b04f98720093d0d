"""CSV with DuckDB's ``read_csv``: explicit delimiter, quote, header and encoding, every column VARCHAR.

DuckDB decodes UTF-8 (with or without BOM), Latin-1 and UTF-16 itself; cp1252 is transcoded to UTF-8 in a
scratch file first (streamed, so large files are fine).  Lines DuckDB cannot split into the header's
columns are collected from its rejects table and reported as bad rows with their data-row numbers; the
staged rows' ``_row`` is corrected for the lines skipped before them.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import duckdb

from filiere.errors import InputError
from filiere.ingest.mapping import FileFormat
from filiere.ingest.problems import Problem
from filiere.ingest.readers.staged import Staged, check_columns, quote_ident

DUCKDB_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "latin-1": "latin-1", "utf-16": "utf-16"}
CHUNK = 1 << 20
MAX_LINE_BYTES = 20_000_000

_REJECT_REASONS = {
    "MISSING COLUMNS": "wrong number of columns (too few)",
    "TOO MANY COLUMNS": "wrong number of columns (too many)",
    "UNQUOTED VALUE": "badly quoted value",
    "LINE SIZE OVER MAXIMUM": "line longer than the maximum line size",
    "INVALID STATE": "cannot be parsed as CSV",
}


def find_undecodable(path: Path, encoding: str) -> tuple[int, int, str] | None:
    """(byte offset, 1-based line, reason) of the first byte not valid in ``encoding``, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, line = 0, 1
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset + exc.start, line + chunk[: exc.start].count(b"\n"), exc.reason
            offset += len(chunk)
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return offset, line, exc.reason
    return None


def _undecodable_error(path: Path, encoding: str) -> InputError:
    found = find_undecodable(path, encoding)
    if found is None:
        return InputError(str(path), f"the file is not valid {encoding} text")
    offset, line, reason = found
    return InputError(str(path), f"byte {offset} (line {line}) is not valid {encoding} ({reason}); "
                                 "set format.encoding in the mapping (utf-8, utf-8-sig, latin-1, cp1252, utf-16)")


def _transcode_to_utf8(path: Path, encoding: str, scratch: Path) -> Path:
    out = scratch / (path.name + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            try:
                dst.write(decoder.decode(chunk))
            except UnicodeDecodeError:
                raise _undecodable_error(path, encoding) from None
        dst.write(decoder.decode(b"", final=True))
    return out


def _needs_cleaning(col: str) -> str:
    return f"({col} LIKE ' %' OR {col} LIKE '% ' OR {col} = '')"  # LIKE beats starts_with/ends_with here


def _clean_in_place(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> None:
    """Trim spaces and turn '' into NULL, rewriting only the rows that need it.

    ``read_csv`` already reads an empty field as NULL, so a clean file costs one filtered scan and no
    write; an UPDATE keeps the rows (and their rowids, i.e. file order) where they are.
    """
    if not columns:
        return
    quoted = [quote_ident(c) for c in columns]
    sets = ", ".join(f"{q} = CASE WHEN {_needs_cleaning(q)} THEN NULLIF(trim({q}), '') ELSE {q} END" for q in quoted)
    where = " OR ".join(_needs_cleaning(q) for q in quoted)
    con.execute(f"UPDATE {table} SET {sets} WHERE {where}")


def read_options(fmt: FileFormat, encoding: str) -> str:
    def lit(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    opts = [
        "all_varchar = true",
        f"delim = {lit(fmt.delimiter)}",
        f"header = {'true' if fmt.header else 'false'}",
        f"encoding = {lit(encoding)}",
        f"max_line_size = {MAX_LINE_BYTES}",
    ]
    if fmt.quote:
        opts += [f"quote = {lit(fmt.quote)}", f"escape = {lit(fmt.quote)}"]
    else:
        opts += ["quote = ''", "escape = ''"]
    return ", ".join(opts)


def read_csv(con: duckdb.DuckDBPyConnection, path: Path, fmt: FileFormat, name: str, scratch: Path,
             wanted: list[str]) -> Staged:
    file = str(path)
    read_path = path
    if fmt.encoding == "cp1252":
        read_path = _transcode_to_utf8(path, "cp1252", scratch)
        encoding = "utf-8"
    else:
        encoding = DUCKDB_ENCODINGS[fmt.encoding]
    if not read_path.read_bytes()[:4096].strip(b"\xef\xbb\xbf\xff\xfe\x00 \r\n\t"):
        raise InputError(file, "the file is empty (no header, no rows)")
    raw, rej, scan = f"{name}_raw", f"{name}_rej", f"{name}_scan"
    base = read_options(fmt, encoding)
    temp = [("TABLE", raw), ("TABLE", rej), ("TABLE", scan)]
    staged = Staged(name, [], 0, [], temp)
    try:
        describe = f"DESCRIBE SELECT * FROM read_csv(?, {base}, ignore_errors = true)"
        cols = [r[0] for r in con.execute(describe, [str(read_path)]).fetchall()]
        names = [f"col{i + 1}" for i in range(len(cols))] if not fmt.header else cols
        staged.columns = names
        check_columns(file, names, wanted, fmt.delimiter)
        # only the mapped columns are staged, as read; trimming follows, on the rows that need it
        original = dict(zip(names, cols, strict=True))
        keep = list(dict.fromkeys(wanted))
        select = ", ".join(f"{quote_ident(original[n])} AS {quote_ident(n)}" for n in keep) or "NULL AS _none"
        create = f"CREATE TEMP TABLE {raw} AS SELECT {select} FROM read_csv(?, {{options}})"
        try:
            # strict first: the fast path for good files
            con.execute(create.format(options=base), [str(read_path)])
            con.execute(f"CREATE TEMP TABLE {rej} (line BIGINT, error_type VARCHAR, csv_line VARCHAR,"
                        " column_name VARCHAR)")
        except duckdb.Error:
            # some lines do not parse: read again, skipping them into DuckDB's rejects table
            con.execute(f"DROP TABLE IF EXISTS {raw}")
            options = base + f", ignore_errors = true, store_rejects = true, rejects_table = '{rej}'," \
                             f" rejects_scan = '{scan}'"
            con.execute(create.format(options=options), [str(read_path)])
    except duckdb.Error as exc:
        staged.drop(con)
        message = str(exc).splitlines()[0]
        if "unicode" in message.lower() or "encod" in message.lower():
            raise _undecodable_error(path, fmt.encoding) from None
        raise InputError(file, f"cannot be read as CSV with delimiter {fmt.delimiter!r}: {message}") from None
    try:
        _clean_in_place(con, raw, keep)
        rejected = con.execute(
            f"SELECT line, min(CAST(error_type AS VARCHAR)), min(csv_line), min(column_name) FROM {rej}"
            " GROUP BY line ORDER BY line"
        ).fetchall()
        if any(r[1] == "INVALID ENCODING" for r in rejected):
            raise _undecodable_error(path, fmt.encoding)
        header_lines = 1 if fmt.header else 0
        for line, error_type, csv_line, _column in rejected:
            staged.problems.append(Problem(int(line) - header_lines, None, (csv_line or "")[:200],
                                           _REJECT_REASONS.get(error_type, error_type.lower())))
        good = int(con.execute(f"SELECT count(*) FROM {raw}").fetchone()[0])
        staged.row_count = good + len(rejected)
        if not rejected:
            con.execute(f"CREATE TEMP VIEW {name} AS SELECT rowid + 1 AS _row, * FROM {raw}")
        else:
            # good row k (1-based among good rows) is data row k + #{i : r_i - i <= k}, r_i the i-th rejected row
            thresholds = f"{name}_thr"
            con.execute(
                f"CREATE TEMP TABLE {thresholds} AS SELECT t, max(n) AS n FROM ("
                f" SELECT r - (row_number() OVER (ORDER BY r) - 1) AS t, row_number() OVER (ORDER BY r) AS n"
                f" FROM (SELECT DISTINCT CAST(line AS BIGINT) - {header_lines} AS r FROM {rej})) GROUP BY t"
            )
            staged.temp_objects.append(("TABLE", thresholds))
            cols_g = ", ".join(f"g.{quote_ident(n)}" for n in keep) or "NULL AS _none"
            con.execute(
                f"CREATE TEMP VIEW {name} AS SELECT g.k + coalesce(th.n, 0) AS _row, {cols_g}"
                f" FROM (SELECT rowid + 1 AS k, * FROM {raw}) g ASOF LEFT JOIN {thresholds} th ON g.k >= th.t"
            )
        staged.temp_objects.append(("VIEW", name))
    except BaseException:
        staged.drop(con)
        raise
    return staged

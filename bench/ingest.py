"""Benchmark: normalised ingest of N generated call rows vs DuckDB's bare read_csv of the same file.

    .venv/bin/python bench/ingest.py [--rows 10000000] [--dir /tmp/filiere-bench]

Generates a CSV of call detail records with DuckDB SQL (a few thousand distinct numbers written in French
national, +33, 0033 and UK international formats; French date-times "%d/%m/%Y %H:%M:%S"), then in the same
run times (1) the baseline: ``CREATE TABLE plain AS SELECT * FROM read_csv(file)`` into a fresh DuckDB file,
and (2) ``filiere.ingest.loader.ingest_file`` into a fresh workspace.  Prints rows/s of both and the ratio,
in wall time and in CPU time of the process (all DuckDB threads).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping_text
from filiere.model.schema import table as table_decl
from filiere.workspace import Workspace

MAPPING = """
version: 1
kind: calls
format: {type: csv, delimiter: ";", encoding: utf-8}
source:
  agency: FR-OCRIEST
  grading: {scheme: eu4x4, source: B, information: 2, handling: H1}
  nature: fact
  legal_basis: "CPP art. 77-1-1"
  collected_on: 2026-03-01
  retention_days: 1825
  phone_region: FR
properties:
  caller:     {column: numero_appelant}
  callee:     {column: numero_appele}
  started_at: {column: date_heure, format: "%d/%m/%Y %H:%M:%S"}
  duration_s: {column: duree_sec}
  cell_id:    {column: cellule}
"""

PHONE_SQL = """
CASE WHEN {k} % 10 = 9 THEN '+44 7911 123' || lpad(CAST({k} % 1000 AS VARCHAR), 3, '0')
     WHEN {k} % 3 = 0 THEN '0' || substr(d, 1, 1) || ' ' || substr(d, 2, 2) || ' ' || substr(d, 4, 2) || ' '
                           || substr(d, 6, 2) || ' ' || substr(d, 8, 2)
     WHEN {k} % 3 = 1 THEN '+33' || d
     ELSE '0033' || d END
"""


def generate(path: Path, rows: int, distinct_numbers: int = 3000) -> None:
    con = duckdb.connect()

    def phone(k: str) -> str:
        return PHONE_SQL.format(k=k).replace("d,", f"CAST(600000000 + ({k} * 7919) % 99999999 AS VARCHAR),")\
            .replace("'+33' || d", f"'+33' || CAST(600000000 + ({k} * 7919) % 99999999 AS VARCHAR)")\
            .replace("'0033' || d", f"'0033' || CAST(600000000 + ({k} * 7919) % 99999999 AS VARCHAR)")

    con.execute(f"""
        COPY (
            SELECT {phone('a')} AS numero_appelant, {phone('b')} AS numero_appele,
                   strftime(TIMESTAMP '2026-01-01' + to_seconds(r * 3), '%d/%m/%Y %H:%M:%S') AS date_heure,
                   CAST(hash(r) % 600 AS VARCHAR) AS duree_sec, 'C' || CAST(r % 500 AS VARCHAR) AS cellule
            FROM (SELECT r, hash(r * 2) % {distinct_numbers} AS a, hash(r * 2 + 1) % {distinct_numbers} AS b
                  FROM range({rows}) t(r))
        ) TO '{path}' (DELIMITER ';', HEADER)
    """)
    con.close()


SELECT_CALLS = (
    "SELECT 'S0123456789abcdef', s._row, s.numero_appelant, j0.value, j0.valid, s.numero_appele, j1.value,"
    " j1.valid, {started_raw}, try_strptime(s.date_heure, '%d/%m/%Y %H:%M:%S'), TRY_CAST(s.duree_sec AS BIGINT),"
    " s.cellule FROM stg s"
    " LEFT JOIN lk j0 ON j0.raw = s.numero_appelant LEFT JOIN lk j1 ON j1.raw = s.numero_appele"
)
CALLS_COLUMNS = ("source_id, source_row, caller_raw, caller, caller_valid, callee_raw, callee, callee_valid,"
                 " started_at_raw, started_at, duration_s, cell_id")


def write_breakdown(csv_path: Path, work: Path) -> None:
    """CPU time of INSERTs into the workspace's own ``calls`` table, on the same staged data, one thread.

    The first line is the floor: rows with only ``source_row`` filled still pay for every stored column.
    """
    ws_dir = work / "breakdown-ws"
    shutil.rmtree(ws_dir, ignore_errors=True)
    ws = Workspace.create(ws_dir)
    con = ws.con
    con.execute("SET threads = 1")
    con.execute("CREATE TEMP TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true, delim = ';')",
                [str(csv_path)])
    con.execute("CREATE TEMP VIEW stg AS SELECT rowid + 1 AS _row, * FROM raw")
    con.execute("CREATE TEMP TABLE lk AS SELECT v AS raw, v AS value, true AS valid FROM (SELECT numero_appelant"
                " AS v FROM raw UNION SELECT numero_appele FROM raw)")
    stored = len(table_decl("calls").stored_column_names)
    variants = [
        (f"only source_row ({stored} stored columns)", "INSERT INTO calls (source_row) SELECT _row FROM stg"),
        ("SELECT only (joins, parsing)",
         f"SELECT max(hash(COLUMNS(*))) FROM ({SELECT_CALLS.format(started_raw='s.date_heure')})"),
        ("INSERT of the ingest's columns",
         f"INSERT INTO calls ({CALLS_COLUMNS}) {SELECT_CALLS.format(started_raw='s.date_heure')}"),
        ("same without started_at_raw",
         f"INSERT INTO calls ({CALLS_COLUMNS}) {SELECT_CALLS.format(started_raw='NULL')}"),
        ("plain table, same 12 columns", f"CREATE TABLE plain12 AS {SELECT_CALLS.format(started_raw='s.date_heure')}"),
    ]
    for label, sql in variants:
        con.execute("BEGIN")
        c0 = time.process_time()
        con.execute(sql)
        print(f"  {label:<40} {time.process_time() - c0:6.2f} s CPU")
        con.execute("ROLLBACK")
    ws.close()
    shutil.rmtree(ws_dir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=None, help="working directory (default: a temp dir)")
    ap.add_argument("--write-breakdown", action="store_true",
                    help="also time INSERTs into the calls table on the same staged data (one thread)")
    args = ap.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="filiere-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "calls.csv"
    t0 = time.perf_counter()
    generate(csv_path, args.rows)
    print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")

    base_db = work / "baseline.duckdb"
    base_db.unlink(missing_ok=True)
    con = duckdb.connect(str(base_db))
    t0, c0 = time.perf_counter(), time.process_time()
    con.execute("CREATE TABLE plain AS SELECT * FROM read_csv(?, delim = ';', header = true)", [str(csv_path)])
    baseline, baseline_cpu = time.perf_counter() - t0, time.process_time() - c0
    con.close()

    ws_dir = work / "ws"
    shutil.rmtree(ws_dir, ignore_errors=True)
    ws = Workspace.create(ws_dir)
    mapping = load_mapping_text(MAPPING, "bench-calls.yml")
    t0, c0 = time.perf_counter(), time.process_time()
    result = ingest_file(ws, csv_path, mapping, actor="bench")
    ingest, ingest_cpu = time.perf_counter() - t0, time.process_time() - c0
    valid = ws.con.execute("SELECT avg(CAST(caller_valid AS INT)) FROM calls").fetchone()[0]
    ws.close()
    assert result.rows_loaded == args.rows, result
    print(f"baseline read_csv → table:   {baseline:6.1f} s wall {baseline_cpu:6.1f} s CPU"
          f"  {args.rows / baseline:12,.0f} rows/s")
    print(f"filiere ingest (normalised): {ingest:6.1f} s wall {ingest_cpu:6.1f} s CPU"
          f"  {args.rows / ingest:12,.0f} rows/s  (valid callers {valid:.0%})")
    print("  phases (wall / CPU): " + ", ".join(f"{k} {v:.1f} / {result.cpu_seconds[k]:.1f} s"
                                                for k, v in result.seconds.items()))
    print(f"ratio ingest/baseline speed: {baseline / ingest:.2f} wall, {baseline_cpu / ingest_cpu:.2f} CPU"
          f"  (goal ≥ 0.5; CPU time is the steadier figure when other work shares the machine)")
    if args.write_breakdown:
        print("write breakdown (same file):")
        write_breakdown(csv_path, work)
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

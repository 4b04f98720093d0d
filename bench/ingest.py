"""Benchmark: normalised ingest of N generated call rows vs DuckDB's bare read_csv of the same file.

    .venv/bin/python bench/ingest.py [--rows 10000000] [--repeat 3] [--general] [--dir /tmp/filiere-bench]

Generates a CSV of call detail records with DuckDB SQL (a few thousand distinct numbers written in French
national, +33, 0033 and UK international formats; French date-times "%d/%m/%Y %H:%M:%S"), then in the same
run times (1) the baseline: ``CREATE TABLE plain AS SELECT * FROM read_csv(file)`` into a fresh DuckDB file,
and (2) ``filiere.ingest.loader.ingest_file`` into a fresh workspace (the compact path for a clean CDR;
``--general`` also times the general path on the same file).  Prints rows/s of both and the ratio, in wall
time and in CPU time of the process (all DuckDB threads), the load average, and the time to read every
column of ``calls`` back.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from filiere.ingest import compact
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping_text
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


# a reader touching every column of the public table (the compact path's view joins its dictionaries)
READ_BACK = ("SELECT avg(CAST(caller_valid AS INT)), count(DISTINCT callee), max(started_at_raw), max(started_at),"
             " sum(duration_s), max(cell_id), max(event_id), max(caller_raw) FROM calls")


@contextlib.contextmanager
def _general_only(active: bool):
    """Force the general path (as for a file the compact path declines)."""
    original = compact.applies
    if active:
        compact.applies = lambda mapping, path: False
    try:
        yield
    finally:
        compact.applies = original


def _baseline(work: Path, csv_path: Path) -> tuple[float, float]:
    base_db = work / "baseline.duckdb"
    base_db.unlink(missing_ok=True)
    con = duckdb.connect(str(base_db))
    t0, c0 = time.perf_counter(), time.process_time()
    con.execute("CREATE TABLE plain AS SELECT * FROM read_csv(?, delim = ';', header = true)", [str(csv_path)])
    seconds = time.perf_counter() - t0, time.process_time() - c0
    con.close()
    return seconds


def _ingest(work: Path, csv_path: Path, rows: int, label: str, compact_path: bool) -> tuple[float, float]:
    ws_dir = work / "ws"
    shutil.rmtree(ws_dir, ignore_errors=True)
    ws = Workspace.create(ws_dir)
    mapping = load_mapping_text(MAPPING, "bench-calls.yml")
    with _general_only(not compact_path):
        t0, c0 = time.perf_counter(), time.process_time()
        result = ingest_file(ws, csv_path, mapping, actor="bench")
        ingest, ingest_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    valid = ws.con.execute(READ_BACK).fetchone()[0]
    read_back, read_back_cpu = time.perf_counter() - t0, time.process_time() - c0
    # the generator writes row r (0-based) at 2026-01-01 + 3r seconds: source_row must say the same
    misplaced = ws.con.execute("SELECT count(*) FROM calls WHERE started_at"
                               " <> TIMESTAMP '2026-01-01' + to_seconds((source_row - 1) * 3)").fetchone()[0]
    ws.close()
    assert misplaced == 0, f"{misplaced} rows with a wrong source_row"
    assert result.rows_loaded == rows and result.compact == compact_path, result
    print(f"{label}: {ingest:6.1f} s wall {ingest_cpu:6.1f} s CPU  {rows / ingest:12,.0f} rows/s"
          f"  (valid callers {valid:.0%}, {'compact' if result.compact else 'general'} path)")
    print("  phases (wall / CPU): " + ", ".join(f"{k} {v:.1f} / {result.cpu_seconds[k]:.1f} s"
                                                for k, v in result.seconds.items()))
    print(f"  reading every column of calls back: {read_back:.1f} s wall {read_back_cpu:.1f} s CPU")
    return ingest, ingest_cpu


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=None, help="working directory (default: a temp dir)")
    ap.add_argument("--repeat", type=int, default=1, help="baseline + ingest pairs, one after the other")
    ap.add_argument("--general", action="store_true",
                    help="also time the general path (staging, row checks, every column) on the same file")
    args = ap.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="filiere-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "calls.csv"
    t0 = time.perf_counter()
    generate(csv_path, args.rows)
    print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")

    ratios: list[tuple[float, float]] = []
    for i in range(args.repeat):
        print(f"pair {i + 1} — load average before: {_load()}")
        baseline, baseline_cpu = _baseline(work, csv_path)
        print(f"baseline read_csv → table:   {baseline:6.1f} s wall {baseline_cpu:6.1f} s CPU"
              f"  {args.rows / baseline:12,.0f} rows/s")
        ingest, ingest_cpu = _ingest(work, csv_path, args.rows, "filiere ingest (normalised)", True)
        ratios.append((baseline / ingest, baseline_cpu / ingest_cpu))
        print(f"  ratio ingest/baseline speed: {ratios[-1][0]:.2f} wall, {ratios[-1][1]:.2f} CPU  (goal ≥ 0.5)")
        if args.general and i == 0:
            ingest, ingest_cpu = _ingest(work, csv_path, args.rows, "general path (every column)", False)
            print(f"  ratio general path/baseline speed: {baseline / ingest:.2f} wall, {baseline_cpu / ingest_cpu:.2f}"
                  " CPU")
    print(f"load average after: {_load()}")
    if args.repeat > 1:
        print(f"median ratio over {args.repeat} pairs: {statistics.median(r[0] for r in ratios):.2f} wall,"
              f" {statistics.median(r[1] for r in ratios):.2f} CPU (CPU time is the steadier figure when other work"
              " shares the machine)")
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

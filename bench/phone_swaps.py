"""Phone swaps against a simulated world's answer key: how many merged swap links are right, how many true
swaps are found.

Run on a resolved (or at least ingested) workspace; nothing is written to it (temp tables only):
    .venv/bin/python bench/phone_swaps.py WORKSPACE ANSWER_KEY_DIR [--min-shared 2] [--max-rounds 5] ...
A true swap is two consecutive numbers of one line in ``answer_key/phones.csv`` (not a shared phone); a merged
link is right when both numbers belong to the same person.  The whole resolve stage's effect on persons is
measured by ``bench/resolve_simulated.py``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import fields
from pathlib import Path

import duckdb

from filiere.resolve.phones import SwapParams, build_phone_events, score_swaps
from filiere.resolve.prepare import mention_features, phone_name_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("answer_key", type=Path)
    for f in fields(SwapParams):
        flag = "--" + f.name.replace("_", "-")
        if isinstance(f.default, bool):  # type=bool would read "--flag False" as True
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default)
        else:
            parser.add_argument(flag, type=type(f.default), default=f.default)
    args = parser.parse_args()
    params = SwapParams(**{f.name: getattr(args, f.name) for f in fields(SwapParams)})
    con = duckdb.connect(str(args.workspace / "filiere.duckdb"), read_only=True)
    tokens = phone_name_tokens(mention_features(con))
    build_phone_events(con)
    started = time.perf_counter()
    score_swaps(con, params, tokens)
    elapsed = time.perf_counter() - started
    con.execute("CREATE TEMP TABLE key_phones AS SELECT * FROM read_csv(?)", [str(args.answer_key / "phones.csv")])
    con.execute("""
        CREATE TEMP TABLE true_swaps AS SELECT * FROM (
            SELECT phone_e164 AS phone_old,
                   lead(phone_e164) OVER (PARTITION BY line_id ORDER BY first_used) AS phone_new
            FROM key_phones WHERE shared = 0) WHERE phone_new IS NOT NULL
    """)
    merged, true_swaps, same_person = con.execute("""
        SELECT count(*), count(t.phone_old), count(DISTINCT s.phone_old || s.phone_new) FILTER (WHERE EXISTS (
                   SELECT 1 FROM key_phones a JOIN key_phones b USING (person_id)
                   WHERE a.phone_e164 = s.phone_old AND b.phone_e164 = s.phone_new))
        FROM swap_candidates s LEFT JOIN true_swaps t USING (phone_old, phone_new) WHERE s.merged
    """).fetchall()[0]
    n_true = con.execute("SELECT count(*) FROM true_swaps").fetchall()[0][0]
    candidates = con.execute("SELECT count(*) FROM swap_candidates").fetchall()[0][0]
    print(f"{params.as_dict()}")
    print(f"candidates {candidates:,}  merged {merged:,}  of them true consecutive swaps {true_swaps:,}, "
          f"between numbers of one person {same_person:,} (precision {same_person / max(merged, 1):.4f})  "
          f"recall {true_swaps / max(n_true, 1):.4f} of {n_true:,} true swaps  scoring {elapsed:.1f} s")


if __name__ == "__main__":
    main()

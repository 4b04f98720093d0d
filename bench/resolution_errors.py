"""Where a resolved workspace still differs from a simulator answer key: the losses by true role, the rules' edges
that are wrong, and the largest false merges — what to look at next.

Run on an ingested and resolved workspace (read only):
    .venv/bin/python bench/resolution_errors.py WORKSPACE ANSWER_KEY [--top 8]
Prints
  1. B-cubed recall and pairwise recall lost, by the true person's category and role (migrants are most mentions,
     so most of the B-cubed loss; recruiters have the most mentions each, so most of the pairwise loss);
  2. every decision in ``match_evidence`` (the model, each attribution rule): its pairs and how many join two
     mentions of one true person;
  3. the largest false merges: resolved persons holding several true persons, by false pairs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb


def connect(workspace: Path, answer_key: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(workspace / "filiere.duckdb"), read_only=True)
    con.execute("CREATE TEMP TABLE key_mentions AS SELECT * FROM read_csv($p)", {"p": str(answer_key / "mentions.csv")})
    con.execute("CREATE TEMP TABLE key_persons AS SELECT * FROM read_csv($p)", {"p": str(answer_key / "persons.csv")})
    con.execute("""
        CREATE TEMP TABLE scored AS
        SELECT pm.mention_id, km.person_id AS truth, m.person_id AS pred
        FROM person_mentions pm JOIN sources s USING (source_id)
        JOIN key_mentions km ON km.file = s.file_name AND km.row = pm.source_row AND km.slot = pm.slot
        JOIN person_map m USING (mention_id)
    """)
    con.execute("CREATE TEMP TABLE true_sizes AS SELECT truth, count(*) AS n FROM scored GROUP BY truth")
    con.execute("CREATE TEMP TABLE pieces AS SELECT truth, pred, count(*) AS n FROM scored GROUP BY truth, pred")
    return con


def losses_by_role(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(category, role, persons, mentions, B-cubed recall lost, pairwise recall lost) — shares of the whole."""
    return con.execute("""
        WITH totals AS (SELECT sum(n) AS mentions, sum(n * (n - 1) / 2) AS pairs FROM true_sizes),
        per_mention AS (
            SELECT p.truth, sum(p.n * (1 - p.n / t.n)) AS b3_lost, sum(p.n * (t.n - p.n)) / 2 AS pairs_lost
            FROM pieces p JOIN true_sizes t USING (truth) GROUP BY p.truth
        )
        SELECT kp.category, kp.role, count(*) AS persons, sum(t.n) AS mentions,
               round(sum(x.b3_lost) / any_value(tot.mentions), 4) AS b3_recall_lost,
               round(sum(x.pairs_lost) / any_value(tot.pairs), 4) AS pairwise_recall_lost
        FROM per_mention x JOIN true_sizes t USING (truth) JOIN key_persons kp ON kp.person_id = x.truth, totals tot
        GROUP BY kp.category, kp.role ORDER BY b3_recall_lost DESC
    """).fetchall()


def decisions(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(decided_by, pairs, pairs joining one true person, share right)."""
    return con.execute("""
        SELECT e.decided_by, count(*) AS pairs, sum((a.truth = b.truth)::INT) AS right_pairs,
               round(avg((a.truth = b.truth)::INT), 3) AS share_right
        FROM match_evidence e JOIN scored a ON a.mention_id = e.mention_id_l
        JOIN scored b ON b.mention_id = e.mention_id_r
        GROUP BY e.decided_by ORDER BY pairs DESC
    """).fetchall()


def false_merges(con: duckdb.DuckDBPyConnection, top: int) -> list[tuple]:
    """(resolved person, false pairs, the true persons in it as 'id name role mentions')."""
    return con.execute("""
        WITH merged AS (  -- resolved persons holding two true persons or more, with their false pairs
            SELECT a.pred, sum(a.n * b.n) AS false_pairs
            FROM pieces a JOIN pieces b ON a.pred = b.pred AND a.truth < b.truth GROUP BY a.pred
        )
        SELECT m.pred, m.false_pairs,
               list(p.truth || ' ' || coalesce(kp.name, '') || ' ' || coalesce(kp.role, '') || ' ' || p.n)
        FROM merged m JOIN pieces p USING (pred) JOIN key_persons kp ON kp.person_id = p.truth
        GROUP BY m.pred, m.false_pairs ORDER BY m.false_pairs DESC, m.pred LIMIT $top
    """, {"top": top}).fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workspace", type=Path)
    ap.add_argument("answer_key", type=Path)
    ap.add_argument("--top", type=int, default=8, help="false merges to list")
    args = ap.parse_args()
    con = connect(args.workspace, args.answer_key)
    print("recall lost, by the true person's category and role (shares of all mentions / all true pairs):")
    print(f"  {'category':9s} {'role':12s} {'persons':>8s} {'mentions':>9s} {'B-cubed':>8s} {'pairwise':>9s}")
    for cat, role, persons, mentions, b3, pw in losses_by_role(con):
        print(f"  {cat:9s} {role:12s} {persons:8,d} {int(mentions):9,d} {b3:8.4f} {pw:9.4f}")
    print("\nedges by decision (match_evidence), and how many join one true person:")
    for decided_by, pairs, right, share in decisions(con):
        print(f"  {pairs:7,d} {int(right):7,d} {share:6.3f}  {decided_by}")
    print(f"\nlargest false merges (top {args.top}):")
    for pred, pairs, members in false_merges(con, args.top):
        print(f"  {pred} {int(pairs):7,d} false pairs: {'; '.join(sorted(members))}")


if __name__ == "__main__":
    main()

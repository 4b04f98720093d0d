"""Score a resolution against an answer key: pairwise and B-cubed precision, recall and F1.

Both metrics are computed from the contingency table of (true entity, predicted entity) counts, in SQL, so
they scale to millions of mentions without listing pairs:

* pairwise: a pair of mentions is predicted-same when both sit in one predicted cluster; precision =
  true-same pairs among predicted-same pairs, recall = predicted-same pairs among true-same pairs.
* B-cubed (Bagga & Baldwin 1998): for each mention, precision = |its predicted cluster ∩ its true cluster|
  / |its predicted cluster|, recall = the same over |its true cluster|; averaged over mentions.

Only mentions present in both the key and the resolution are scored; the counts of the others are reported.
Answer-key mentions are matched to workspace mentions by file base name, 1-based data row and slot.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from filiere.errors import InputError
from filiere.workspace import Workspace


@dataclass(frozen=True)
class Scores:
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    n_mentions: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


_METRICS_SQL = """
WITH cells AS (SELECT truth, predicted, count(*) AS n FROM labels GROUP BY ALL),
t AS (SELECT truth, sum(n) AS nt FROM cells GROUP BY truth),
p AS (SELECT predicted, sum(n) AS np FROM cells GROUP BY predicted),
c AS (SELECT cells.*, nt, np FROM cells JOIN t USING (truth) JOIN p USING (predicted))
SELECT
    sum(n)::BIGINT,
    (SELECT sum(nt * (nt - 1) / 2) FROM t)::BIGINT,
    (SELECT sum(np * (np - 1) / 2) FROM p)::BIGINT,
    sum(n * (n - 1) / 2)::BIGINT,
    sum(n * n / np) / sum(n),
    sum(n * n / nt) / sum(n)
FROM c
"""


def score_labels(labels: pa.Table | duckdb.DuckDBPyRelation) -> Scores:
    """Scores from a table with columns ``truth`` and ``predicted`` (one row per mention)."""
    con = duckdb.connect()
    try:
        con.register("labels", labels)
        n, true_pairs, pred_pairs, correct, b_p, b_r = con.execute(_METRICS_SQL).fetchall()[0]
    finally:
        con.close()
    if not n:
        return Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, 0)
    p = correct / pred_pairs if pred_pairs else 1.0
    r = correct / true_pairs if true_pairs else 1.0
    b_p, b_r = float(b_p), float(b_r)
    return Scores(p, r, _f1(p, r), b_p, b_r, _f1(b_p, b_r), int(n), int(true_pairs), int(pred_pairs), int(correct))


def score_clusterings(truth: dict[str, str], predicted: dict[str, str]) -> Scores:
    """Convenience for small data: two dicts item → cluster label; scores the items present in both."""
    items = sorted(set(truth) & set(predicted))
    return score_labels(pa.table({"truth": [truth[i] for i in items], "predicted": [predicted[i] for i in items]}))


@dataclass(frozen=True)
class Evaluation:
    scores: Scores
    key_mentions: int
    matched_mentions: int
    unmatched_key_mentions: int
    unscored_workspace_mentions: int
    by_slot: dict[str, Scores]

    def as_dict(self) -> dict[str, object]:
        return {
            **self.scores.as_dict(),
            "key_mentions": self.key_mentions,
            "matched_mentions": self.matched_mentions,
            "unmatched_key_mentions": self.unmatched_key_mentions,
            "unscored_workspace_mentions": self.unscored_workspace_mentions,
            "by_slot": {k: v.as_dict() for k, v in self.by_slot.items()},
        }


def read_answer_key(con: duckdb.DuckDBPyConnection, key_dir: Path) -> None:
    """Load ``mentions.csv`` (file,row,slot,person_id) into a temp table ``answer_key``."""
    path = Path(key_dir) / "mentions.csv"
    if not path.exists():
        raise InputError(str(path), "answer key not found (expected mentions.csv with file,row,slot,person_id)")
    cols = con.execute("SELECT * FROM read_csv(?, header = true, all_varchar = true) LIMIT 0",
                       [str(path)]).description
    names = {c[0] for c in cols}
    missing = {"file", "row", "person_id"} - names
    if missing:
        raise InputError(str(path), f"missing column(s) {', '.join(sorted(missing))}", row=1)
    slot = "slot" if "slot" in names else "NULL"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE answer_key AS
        SELECT regexp_extract(file, '[^/\\\\]+$') AS file, CAST("row" AS BIGINT) AS source_row,
               {slot} AS slot, person_id AS truth
        FROM read_csv(?, header = true, all_varchar = true)
    """, [str(path)])


def _label_mentions(con: duckdb.DuckDBPyConnection, key_dir: Path, exclude_slots: tuple[str, ...] = ()) -> None:
    """Temp tables ``answer_key`` and ``eval_labels`` (mention_id, truth, predicted, slot): every answer-key mention
    found in the workspace, with its true and its resolved person."""
    read_answer_key(con, key_dir)
    if exclude_slots:
        con.execute("DELETE FROM answer_key WHERE slot IN (SELECT unnest($s))", {"s": list(exclude_slots)})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE eval_labels AS
        SELECT pm.mention_id, k.truth, m.person_id AS predicted, coalesce(k.slot, pm.slot) AS slot
        FROM answer_key k
        JOIN sources s ON s.file_name = k.file
        JOIN person_mentions pm ON pm.source_id = s.source_id AND pm.source_row = k.source_row
             AND (k.slot IS NULL OR pm.slot = k.slot)
        JOIN person_map m ON m.mention_id = pm.mention_id
    """)


def mention_labels(ws: Workspace, key_dir: Path) -> pa.Table:
    """``mention_id, truth, predicted, slot`` for every answer-key mention found in the workspace (for scripts that
    score other clusterings of the same mentions than the resolved one)."""
    con = ws.con
    _label_mentions(con, key_dir)
    try:
        return con.sql("SELECT * FROM eval_labels ORDER BY mention_id").to_arrow_table()
    finally:
        con.execute("DROP TABLE eval_labels")
        con.execute("DROP TABLE answer_key")


def evaluate_workspace(ws: Workspace, key_dir: Path, exclude_slots: tuple[str, ...] = ()) -> Evaluation:
    """Score the workspace's current person resolution against an answer key directory.

    ``exclude_slots`` leaves out mentions of those slots (e.g. ``contact``: contact-list labels that carry
    only a nickname) from both sides of the scoring."""
    con = ws.con
    _label_mentions(con, key_dir, exclude_slots)
    key_n = con.execute("SELECT count(*) FROM answer_key").fetchall()[0][0]
    matched = con.execute("SELECT count(*) FROM eval_labels").fetchall()[0][0]
    ws_n = con.execute("SELECT count(*) FROM person_map").fetchall()[0][0]
    scores = score_labels(con.sql("SELECT truth, predicted FROM eval_labels").to_arrow_table())
    by_slot: dict[str, Scores] = {}
    for (slot,) in con.execute("SELECT DISTINCT slot FROM eval_labels ORDER BY 1").fetchall():
        by_slot[str(slot)] = score_labels(con.sql(
            "SELECT truth, predicted FROM eval_labels WHERE slot IS NOT DISTINCT FROM $slot",
            params={"slot": slot}).to_arrow_table())
    con.execute("DROP TABLE eval_labels")
    con.execute("DROP TABLE answer_key")
    return Evaluation(scores, int(key_n), int(matched), int(key_n - matched), int(ws_n - matched), by_slot)

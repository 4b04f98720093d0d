"""The rule joining two persons recorded with the same full birth date under close names."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from filiere.resolve.attribution.runner import rule_edges, similarity_edges
from filiere.resolve.names import name_similarity

BIRTH_DATE_RULE = "rule: same full birth date, name spelled otherwise"
BIRTH_DATE_MIN_SIMILARITY = 0.8


def birth_date_matches(prepared: pa.Table, labels: np.ndarray,
                       min_similarity: float = BIRTH_DATE_MIN_SIMILARITY) -> pa.Table:
    """Edges joining two persons who share a full birth date and whose names are close.

    A day-precise birth date (not a 1 January placeholder) is rare: on the medium world two persons holding the
    same one and names sharing a token are one man in 9 cases of 10, and all of them when the names are close
    ("tcele yonas" / "yonas tecle", "noorallah noori" / "nour ullah noori").  Splink weighs the same day
    strongly but its name levels rate such spellings low, and its blocking rules may never pair them (the first
    token differs).  Joined when the two persons share a day-precise birth date and a name-token skeleton, no
    nationality of one contradicts the other's (a side without one agrees), and the best pair of their full
    names reaches ``min_similarity`` (:func:`filiere.resolve.names.name_similarity`).  Candidates come from SQL
    (an equi-join on the date and a token skeleton); only their few names are compared in Python.  Same columns as
    :func:`filiere.resolve.attribution.line_attachments` (``line`` NULL, ``shared_tokens`` ['similarity 0.88']).
    """
    rows = rule_edges(prepared, labels, ["unique_id", "alias_only", "name_full", "name_token_skeletons", "dob_day",
                                          "nationality"], """
            WITH m AS (
                SELECT p.unique_id, p.name_full, p.name_token_skeletons AS tsk, p.dob_day, c.cluster
                FROM prepared p JOIN clusters c USING (unique_id)
                WHERE NOT p.alias_only AND p.dob_day IS NOT NULL AND p.name_full IS NOT NULL
            ),
            nationalities AS (
                SELECT c.cluster, list(DISTINCT p.nationality) AS nat
                FROM prepared p JOIN clusters c USING (unique_id) WHERE p.nationality IS NOT NULL GROUP BY c.cluster
            ),
            tokens AS (SELECT DISTINCT dob_day, unnest(tsk) AS tok, cluster FROM m),
            candidates AS (  -- clusters sharing a date and a name-token skeleton: an equi-join on both
                SELECT DISTINCT a.cluster AS ca, b.cluster AS cb FROM tokens a
                JOIN tokens b ON a.dob_day = b.dob_day AND a.tok = b.tok AND a.cluster < b.cluster
            ),
            names AS (
                SELECT cluster, min(unique_id) AS mention, list(DISTINCT name_full) AS names FROM m GROUP BY cluster
            ),
            pairs AS (
                SELECT c.ca, c.cb, a.mention AS mention_l, b.mention AS mention_r, a.names AS names_l,
                       b.names AS names_r
                FROM candidates c JOIN names a ON a.cluster = c.ca JOIN names b ON b.cluster = c.cb
            )
            SELECT p.mention_l, p.mention_r, p.names_l, p.names_r
            FROM pairs p LEFT JOIN nationalities na ON na.cluster = p.ca LEFT JOIN nationalities nb ON nb.cluster = p.cb
            WHERE na.nat IS NULL OR nb.nat IS NULL OR len(list_intersect(na.nat, nb.nat)) > 0
            ORDER BY p.mention_l, p.mention_r
        """).to_pylist()
    chosen = []
    for row in rows:
        score = max(name_similarity(a, b) for a in row["names_l"] for b in row["names_r"])
        if score >= min_similarity:
            chosen.append((row["mention_l"], row["mention_r"], None, score))
    return similarity_edges(chosen)

"""Rules joining a witness to the traveller they were: the crossings of the days before the statement."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from filiere.resolve.attribution.runner import rule_edges, similarity_edges
from filiere.resolve.names import name_similarity

WITNESS_RULE = "rule: witness heard after the crossing they travelled on"
# Persons' recorded birth years; two persons whose recorded years all differ are not one man (a 1 January
# placeholder or a bare year keeps its year).  YEARS_AGREE_SQL compares the years of clusters joined as ``ya`` and
# ``yb``.
BIRTH_YEARS_SQL = """birth_years AS (
                SELECT c.cluster, list(DISTINCT p.dob_year) AS years
                FROM prepared p JOIN clusters c USING (unique_id) WHERE p.dob_year IS NOT NULL GROUP BY c.cluster
            )"""
YEARS_AGREE_SQL = ("(ya.years IS NULL OR yb.years IS NULL OR abs(list_min(ya.years) - list_min(yb.years)) <= 1"
                " OR abs(list_max(ya.years) - list_max(yb.years)) <= 1)")
WITNESS_WINDOW_DAYS = 3
# A witness is heard by the agency that recorded their crossing: when any candidate traveller was recorded by the
# statement's agency, only those count (``kept``); else all of the window do (a statement taken by a partner).
SAME_AGENCY_FIRST_SQL = """kept AS (
                SELECT c.* FROM {candidates} c
                JOIN (SELECT {witness} AS kept_witness, bool_or(same_agency) AS any_same FROM {candidates}
                      GROUP BY {witness}) k ON k.kept_witness = c.{witness}
                WHERE c.same_agency OR NOT k.any_same
            )"""


def event_times_sql() -> str:
    """SQL (workspace connection) for ``mention_id, role, at, agency``: witnesses with the time of their statement
    and travellers with the time of their crossing, each with the agency that recorded it.

    A victim's person record (custody, interview) made at a known time counts as a witness heard then: victims are
    recorded when they are intercepted or land.  A record dated by its day alone stands for the end of that day."""
    return """
        SELECT e.mention_id, e.role, e.at, s.agency FROM (
            SELECT witness_mention_id AS mention_id, 'witness' AS role, said_at AS at, source_id FROM statements
            WHERE witness_mention_id IS NOT NULL AND said_at IS NOT NULL
            UNION ALL
            SELECT mention_id, 'witness',
                   CASE WHEN recorded_at = date_trunc('day', recorded_at)
                        THEN recorded_at + INTERVAL 1 DAY - INTERVAL 1 SECOND ELSE recorded_at END, source_id
            FROM person_mentions WHERE record_kind = 'persons' AND recorded_at IS NOT NULL AND category = 'victim'
            UNION ALL
            SELECT traveller_mention_id, 'traveller', occurred_at, source_id FROM crossings
            WHERE traveller_mention_id IS NOT NULL AND occurred_at IS NOT NULL
        ) e LEFT JOIN sources s USING (source_id)
    """


def witness_traveller_matches(prepared: pa.Table, labels: np.ndarray, times: pa.Table,
                              window_days: float = WITNESS_WINDOW_DAYS) -> pa.Table:
    """Edges joining a witness to the one traveller of the crossings of the days before whose name matches.

    Statements are taken from people just intercepted or landed.  A witness heard at time t whose full name
    has the same consonant skeleton as travellers of crossings in [t − ``window_days``, t] that all belong to
    ONE person is that traveller: the boat's passenger list is short, where the whole population's name pool
    is not.  The travellers of crossings recorded by the statement's own agency are the candidates when there are
    any (a witness is heard by the agency that recorded their crossing), else all of the window.  ``times`` has
    ``mention_id``, ``role`` ('witness' or 'traveller'), ``at`` and ``agency`` (:func:`event_times_sql`).
    Same columns as :func:`line_attachments` (``line`` NULL, ``shared_tokens`` the name skeleton).
    """
    return rule_edges(prepared, labels, ["unique_id", "alias_only", "name_skeleton", "dob_year"], f"""
            WITH m AS (
                SELECT t.mention_id, t.role, t.at, t.agency, p.name_skeleton, c.cluster
                FROM times t JOIN prepared p ON p.unique_id = t.mention_id
                JOIN clusters c ON c.unique_id = t.mention_id
                WHERE NOT p.alias_only AND p.name_skeleton IS NOT NULL
            ),
            {BIRTH_YEARS_SQL},
            candidates AS (
                SELECT w.mention_id AS mention_l, w.cluster AS wc, t.mention_id AS traveller, t.cluster AS tc,
                       w.name_skeleton, w.agency IS NOT DISTINCT FROM t.agency AS same_agency
                FROM m w JOIN m t ON t.name_skeleton = w.name_skeleton
                 AND t.at <= w.at AND t.at >= w.at - to_seconds(CAST($window * 86400 AS BIGINT))
                LEFT JOIN birth_years ya ON ya.cluster = w.cluster
                LEFT JOIN birth_years yb ON yb.cluster = t.cluster
                WHERE w.role = 'witness' AND t.role = 'traveller' AND {YEARS_AGREE_SQL}
            ),
            {SAME_AGENCY_FIRST_SQL.format(candidates="candidates", witness="mention_l")},
            single AS (SELECT mention_l FROM kept GROUP BY mention_l HAVING count(DISTINCT tc) = 1)
            SELECT c.mention_l, min(c.traveller) AS mention_r, NULL::VARCHAR AS line,
                   ['~' || any_value(c.name_skeleton)] AS shared_tokens
            FROM kept c JOIN single USING (mention_l)
            WHERE c.wc <> c.tc
            GROUP BY c.mention_l ORDER BY c.mention_l
        """, params={"window": window_days}, tables={"times": times})


WITNESS_SPELLING_RULE = "rule: witness heard after the crossing they travelled on, name spelled otherwise"
WITNESS_MIN_SIMILARITY = 0.8


def witness_traveller_spelling_matches(prepared: pa.Table, labels: np.ndarray, times: pa.Table,
                                       window_days: float = WITNESS_WINDOW_DAYS,
                                       min_similarity: float = WITNESS_MIN_SIMILARITY) -> pa.Table:
    """Edges joining a witness whose name no traveller of the days before shares by skeleton to the one traveller
    whose name is close enough.

    The same boat's passenger list as in :func:`witness_traveller_matches`, for the witness recorded under
    another spelling ("Rêbwar OSMAN" heard, "Rebwar USMAN" landed; given and family names swapped; a typo):
    travellers of crossings in [t − ``window_days``, t] sharing at least one token skeleton with the witness
    are scored with :func:`filiere.resolve.names.name_similarity`; the best is taken when it reaches
    ``min_similarity`` and no traveller of another person does (own agency's crossings first, as there).  Only
    witnesses with no traveller of the same
    skeleton in the window (those the exact rule found, or found ambiguous, are left to it) and not yet joined
    to any traveller.  Candidates come from SQL; only their few names are compared in Python.
    Same columns as :func:`line_attachments` (``line`` NULL, ``shared_tokens`` ['similarity 0.92']).
    """
    pairs = rule_edges(prepared, labels, ["unique_id", "alias_only", "name_full", "name_skeleton",
                                      "name_token_skeletons", "dob_year"], f"""
            WITH m AS (
                SELECT t.mention_id, t.role, t.at, t.agency, p.name_full, p.name_skeleton,
                       p.name_token_skeletons AS tsk, c.cluster
                FROM times t JOIN prepared p ON p.unique_id = t.mention_id
                JOIN clusters c ON c.unique_id = t.mention_id
                WHERE NOT p.alias_only AND p.name_skeleton IS NOT NULL
            ),
            travelled AS (SELECT DISTINCT cluster FROM m WHERE role = 'traveller'),
            {BIRTH_YEARS_SQL},
            in_window AS (
                SELECT w.mention_id AS witness, w.name_full AS witness_name, w.name_skeleton AS witness_skeleton,
                       t.mention_id AS traveller, t.name_full AS traveller_name, t.name_skeleton, t.cluster,
                       t.tsk AS traveller_tsk, w.tsk AS witness_tsk,
                       w.agency IS NOT DISTINCT FROM t.agency AS same_agency
                FROM m w JOIN m t ON t.at <= w.at AND t.at >= w.at - to_seconds(CAST($window * 86400 AS BIGINT))
                LEFT JOIN birth_years ya ON ya.cluster = w.cluster
                LEFT JOIN birth_years yb ON yb.cluster = t.cluster
                WHERE w.role = 'witness' AND t.role = 'traveller' AND {YEARS_AGREE_SQL}
                  AND w.cluster NOT IN (SELECT cluster FROM travelled)
            ),
            {SAME_AGENCY_FIRST_SQL.format(candidates="in_window", witness="witness")},
            unmatched AS (  -- witnesses no traveller of the window shares the whole skeleton with
                SELECT witness FROM kept GROUP BY witness HAVING NOT bool_or(name_skeleton = witness_skeleton)
            )
            SELECT w.witness, w.witness_name, w.traveller, w.traveller_name, w.cluster
            FROM kept w JOIN unmatched USING (witness)
            WHERE len(list_intersect(w.witness_tsk, w.traveller_tsk)) > 0
            ORDER BY w.witness, w.traveller
        """, params={"window": window_days}, tables={"times": times}).to_pylist()
    best: dict[str, tuple[float, str, int]] = {}
    qualifying: dict[str, set[int]] = {}
    for row in pairs:
        score = name_similarity(row["witness_name"], row["traveller_name"])
        if score < min_similarity:
            continue
        qualifying.setdefault(row["witness"], set()).add(row["cluster"])
        if row["witness"] not in best or score > best[row["witness"]][0]:
            best[row["witness"]] = (score, row["traveller"], row["cluster"])
    chosen = sorted((w, t, score) for w, (score, t, _) in best.items() if len(qualifying[w]) == 1)
    return similarity_edges([(c[0], c[1], None, c[2]) for c in chosen])


STATEMENT_RULE = "rule: witness of one statement, on each of its rows"


def statement_rows_sql() -> str:
    """SQL (workspace connection) for ``witness, statement``: the witness mention of each row of a statement, and the
    statement (its file and reference: an export writes one row per person the witness designated)."""
    return """
        SELECT witness_mention_id AS witness, source_id || ':' || statement_ref AS statement FROM statements
        WHERE witness_mention_id IS NOT NULL AND statement_ref IS NOT NULL
    """


def statement_witness_rows(prepared: pa.Table, labels: np.ndarray, rows: pa.Table) -> pa.Table:
    """Edges joining the witness mentions of the rows of one statement.

    A statement is taken from one witness; an export that lists each person the witness designated on a row of its
    own repeats the witness on every row, not always alike ("berhane kidane" born 19/09/1986 on one row, the name
    alone on the next, a typo in the year on a third, no name at all on a fourth).  The rows of one statement
    reference in one file are therefore one witness.  A guard for exports that reuse a reference for a group
    hearing: two rows whose full names share no token skeleton are not joined (a row without a name joins).
    ``rows``: ``witness``, ``statement`` (:func:`statement_rows_sql`).  Same columns as
    :func:`filiere.resolve.attribution.line_attachments` (``line`` NULL, ``shared_tokens`` the statement).
    """
    return rule_edges(prepared, labels, ["unique_id", "name_token_skeletons"], """
            WITH w AS (
                SELECT r.witness, r.statement, p.name_token_skeletons AS tsk, c.cluster
                FROM rows r JOIN prepared p ON p.unique_id = r.witness JOIN clusters c ON c.unique_id = r.witness
            ),
            first_row AS (  -- each statement's first witness row that carries a name, else its first row
                SELECT statement, arg_min(witness, (len(coalesce(tsk, [])) = 0, witness)) AS anchor FROM w
                GROUP BY statement
            )
            SELECT w.witness AS mention_l, f.anchor AS mention_r, NULL::VARCHAR AS line,
                   [w.statement] AS shared_tokens
            FROM w JOIN first_row f USING (statement) JOIN w a ON a.witness = f.anchor
            WHERE w.witness <> f.anchor AND w.cluster <> a.cluster
              AND (len(coalesce(w.tsk, [])) = 0 OR len(coalesce(a.tsk, [])) = 0
                   OR len(list_intersect(w.tsk, a.tsk)) > 0)
            ORDER BY w.witness
        """, tables={"rows": rows})

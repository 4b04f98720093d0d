"""The rule joining travellers of a failed crossing to the same names on the crossing that took them again."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from filiere.resolve.attribution.runner import rule_edges, similarity_edges
from filiere.resolve.attribution.witnesses import BIRTH_YEARS_SQL, YEARS_AGREE_SQL
from filiere.resolve.names import name_similarity

RETRY_RULE = "rule: travelled again with the companions of a failed crossing"
# A later crossing is a retry of an earlier failed one when, among their named travellers, enough names recur:
# at least RETRY_MIN_NAMES distinct names and RETRY_MIN_SHARE of the smaller passenger list (a boat of 40
# drawn from a community's name pool shares a few names with any other boat by chance, not a third of them).
RETRY_MIN_NAMES = 3
RETRY_MIN_SHARE = 0.3
# ... or, for short lists (a lorry's few passengers), fewer names making up a larger share
RETRY_SHORT_MIN_NAMES = 2
RETRY_SHORT_MIN_SHARE = 0.5
RETRY_WINDOW_DAYS = 45
# A name found once on each list may still be two namesakes: with a share r of the passengers found again and a
# retry list of n names, a name carried by a share f of all travellers turns up by chance about (1 − r)·n·f times
# for every r times it is the same man; the pair is joined when the chance it is the same man is at least this.
RETRY_MIN_SAME_CHANCE = 0.9


def crossing_trips_sql() -> str:
    """SQL (workspace connection) for ``traveller, incident, incident_label, at, outcome``: who travelled on which
    recorded crossing (its reference, and the file it came from for people to read), when, and how it ended."""
    return """
        SELECT c.traveller_mention_id AS traveller, c.source_id || ':' || c.incident_ref AS incident,
               c.incident_ref || ' (' || coalesce(s.file_name, c.source_id) || ')' AS incident_label,
               c.occurred_at AS at, c.outcome
        FROM crossings c LEFT JOIN sources s ON s.source_id = c.source_id
        WHERE c.traveller_mention_id IS NOT NULL AND c.incident_ref IS NOT NULL AND c.occurred_at IS NOT NULL
    """


def crossing_companions_sql() -> str:
    """SQL (workspace connection) for ``mention_l, mention_r``: two travellers recorded on one crossing (one
    reference in one file).  They are two people — a passenger list names each passenger once — so resolution
    never clusters them into one person (an inferred cannot-link: an analyst's 'same' judgement still wins)."""
    return """
        SELECT a.traveller_mention_id AS mention_l, b.traveller_mention_id AS mention_r
        FROM crossings a JOIN crossings b ON a.source_id = b.source_id AND a.incident_ref = b.incident_ref
         AND a.traveller_mention_id < b.traveller_mention_id
        ORDER BY 1, 2
    """


def retry_companion_matches(prepared: pa.Table, labels: np.ndarray, trips: pa.Table,
                            window_days: float = RETRY_WINDOW_DAYS,
                            min_chance: float = RETRY_MIN_SAME_CHANCE) -> pa.Table:
    """Edges joining a traveller of a failed crossing to the traveller of the same name on its retry.

    Migrants wait in small groups and a network launches its waiting groups together; a boat intercepted or
    turned back sends its passengers back to wait, and most of them leave again on one of the next launches.
    The migrants' names come from small pools (two "Ali Ahmadi" are often two men), so a name alone does not
    join two crossings' travellers.  The companions do: when a later crossing (within ``window_days``) of an
    earlier one that did not succeed carries many of the same names — at least ``RETRY_MIN_NAMES`` distinct
    consonant skeletons making ``RETRY_MIN_SHARE`` of the smaller named passenger list, or for short lists
    ``RETRY_SHORT_MIN_NAMES`` making ``RETRY_SHORT_MIN_SHARE`` — it is a retry, and a name found once on each
    passenger list is one traveller unless a namesake is too likely: with a share r of the passengers found
    again, a retry list of n names and a name carried by a share f of all travellers, the chance it is the same
    man is r / (r + (1 − r)·n·f), and it must reach ``min_chance`` (shown in the reasons).  Names agreeing by
    skeleton only; recorded birth years (of the two persons as resolved so far) within a year and
    nationalities, when both are given, equal.

    ``trips``: ``traveller``, ``incident``, ``incident_label``, ``at``, ``outcome`` (:func:`crossing_trips_sql`).
    The columns of :func:`filiere.resolve.attribution.line_attachments` (``line`` NULL, ``shared_tokens`` the name
    skeleton) and ``reasons``: the two crossings, how many names recur, how likely a namesake is.
    """
    return rule_edges(prepared, labels, _COLUMNS, f"""
            WITH {_retries_sql()},
            frequency AS (SELECT sk, count(*) / (SELECT count(*) FROM m) AS share FROM m GROUP BY sk),
            scored AS (
                SELECT p.*, r.recurring, r.shorter, r.label_a, r.label_b,
                       -- the chance this name on the retry is the same traveller rather than a namesake
                       (r.recurring / r.shorter) / ((r.recurring / r.shorter)
                           + (1 - r.recurring / r.shorter) * nb.names * f.share) AS same_chance
                FROM pairs p JOIN retries r USING (ia, ib)
                JOIN once oa ON oa.incident = p.ia AND oa.sk = p.sk
                JOIN once ob ON ob.incident = p.ib AND ob.sk = p.sk
                JOIN named nb ON nb.incident = p.ib
                JOIN frequency f ON f.sk = p.sk
                WHERE p.ca <> p.cb
            )
            SELECT r.mention_l, r.mention_r, NULL::VARCHAR AS line, ['~' || r.sk] AS shared_tokens,
                   [{_REASON}, printf('a namesake by chance is %.0f%% likely', 100 * (1 - r.same_chance))] AS reasons
            FROM scored r
            WHERE r.same_chance >= $min_chance
            ORDER BY r.mention_l, r.mention_r
        """, params={**_params(window_days), "min_chance": min_chance}, tables={"trips": trips})


RETRY_SPELLING_RULE = "rule: travelled again with the companions of a failed crossing, name spelled otherwise"
RETRY_MIN_SIMILARITY = 0.9


def retry_spelling_matches(prepared: pa.Table, labels: np.ndarray, trips: pa.Table,
                           window_days: float = RETRY_WINDOW_DAYS,
                           min_similarity: float = RETRY_MIN_SIMILARITY) -> pa.Table:
    """Edges joining a traveller of a failed crossing to the traveller of its retry spelled otherwise.

    The retries of :func:`retry_companion_matches` (found on names spelled alike); a traveller of the first
    crossing whose name no traveller of the retry spells alike ("Zabiullah NOORI" intercepted, "Sabiullah
    Noori" landed; given and family names swapped) is joined to the retry's traveller whose name is closest
    (:func:`filiere.resolve.names.name_similarity` ≥ ``min_similarity``, both of two names or more — a bare
    "Bakhtiyar" is close to every Bakhtiyar —, sharing a token skeleton, birth years and nationalities agreeing
    as there) when each is the other's only such match: two close names on either list leave both alone.
    Candidates come from SQL; only their few names are compared in Python.
    Same columns as :func:`retry_companion_matches` (``shared_tokens`` ['similarity 0.92']).
    """
    rows = rule_edges(prepared, labels, [*_COLUMNS, "name_full", "name_token_skeletons"], f"""
            WITH {_retries_sql()},
            spelled AS (  -- travellers whose name the other list does not spell alike
                SELECT m.traveller, m.incident, m.sk, m.nat, m.cluster, p.name_full, p.name_token_skeletons AS tsk
                FROM m JOIN prepared p ON p.unique_id = m.traveller
            )
            SELECT a.traveller AS mention_l, b.traveller AS mention_r, a.name_full AS name_l, b.name_full AS name_r,
                   a.cluster AS cluster_l, b.cluster AS cluster_r, {_REASON} AS reason
            FROM retries r
            JOIN spelled a ON a.incident = r.ia
            JOIN spelled b ON b.incident = r.ib AND len(list_intersect(a.tsk, b.tsk)) > 0 AND a.sk <> b.sk
             AND len(a.tsk) >= 2 AND len(b.tsk) >= 2
            LEFT JOIN birth_years ya ON ya.cluster = a.cluster
            LEFT JOIN birth_years yb ON yb.cluster = b.cluster
            WHERE {YEARS_AGREE_SQL} AND (a.nat IS NULL OR b.nat IS NULL OR a.nat = b.nat)
              AND NOT EXISTS (SELECT 1 FROM m o WHERE o.incident = r.ib AND o.sk = a.sk)
              AND NOT EXISTS (SELECT 1 FROM m o WHERE o.incident = r.ia AND o.sk = b.sk)
            ORDER BY mention_l, mention_r
        """, params=_params(window_days), tables={"trips": trips}).to_pylist()
    close = [(row, score) for row in rows
             if (score := name_similarity(row["name_l"], row["name_r"])) >= min_similarity]
    partners_l: dict[str, set[str]] = {}
    partners_r: dict[str, set[str]] = {}
    for row, _ in close:
        partners_l.setdefault(row["mention_l"], set()).add(row["mention_r"])
        partners_r.setdefault(row["mention_r"], set()).add(row["mention_l"])
    chosen = sorted({(row["mention_l"], row["mention_r"], score, row["reason"]) for row, score in close
                     if len(partners_l[row["mention_l"]]) == 1 and len(partners_r[row["mention_r"]]) == 1
                     and row["cluster_l"] != row["cluster_r"]})
    return similarity_edges([(c[0], c[1], None, c[2]) for c in chosen], [c[3] for c in chosen])


_COLUMNS = ["unique_id", "alias_only", "name_skeleton", "dob_year", "nationality"]
_REASON = ("printf('%d of %d named travellers of %s found again on %s', r.recurring, r.shorter, r.label_a,"
           " r.label_b)")


def _params(window_days: float) -> dict:
    return {"window": window_days, "min_names": RETRY_MIN_NAMES, "min_share": RETRY_MIN_SHARE,
            "short_names": RETRY_SHORT_MIN_NAMES, "short_share": RETRY_SHORT_MIN_SHARE}


def _retries_sql() -> str:
    """CTEs ``m`` (named travellers), ``birth_years``, ``named`` (names per crossing), ``once`` (names found once
    on a list), ``pairs`` (same-skeleton travellers of a failed crossing and a later one in the window, years and
    nationalities agreeing) and ``retries`` (crossing pairs where enough names recur)."""
    return f"""m AS (
                SELECT t.traveller, t.incident, t.incident_label, t.at, t.outcome, p.name_skeleton AS sk,
                       p.nationality AS nat, c.cluster
                FROM trips t JOIN prepared p ON p.unique_id = t.traveller
                JOIN clusters c ON c.unique_id = t.traveller
                WHERE NOT p.alias_only AND p.name_skeleton IS NOT NULL
            ),
            {BIRTH_YEARS_SQL},
            named AS (SELECT incident, any_value(incident_label) AS label, count(DISTINCT sk) AS names
                      FROM m GROUP BY incident),
            once AS (SELECT incident, sk FROM m GROUP BY incident, sk HAVING count(*) = 1),
            pairs AS (
                SELECT a.traveller AS mention_l, b.traveller AS mention_r, a.cluster AS ca, b.cluster AS cb,
                       a.incident AS ia, b.incident AS ib, a.sk
                FROM m a JOIN m b ON b.sk = a.sk AND b.incident <> a.incident AND b.at >= a.at
                 AND b.at <= a.at + to_seconds(CAST($window * 86400 AS BIGINT))
                LEFT JOIN birth_years ya ON ya.cluster = a.cluster
                LEFT JOIN birth_years yb ON yb.cluster = b.cluster
                WHERE coalesce(a.outcome, '') <> 'succeeded' AND {YEARS_AGREE_SQL}
                  AND (a.nat IS NULL OR b.nat IS NULL OR a.nat = b.nat)
            ),
            retries AS (
                SELECT p.ia, p.ib, count(DISTINCT p.sk) AS recurring, least(na.names, nb.names) AS shorter,
                       any_value(na.label) AS label_a, any_value(nb.label) AS label_b
                FROM pairs p JOIN named na ON na.incident = p.ia JOIN named nb ON nb.incident = p.ib
                GROUP BY p.ia, p.ib, na.names, nb.names
                HAVING (count(DISTINCT p.sk) >= $min_names
                        AND count(DISTINCT p.sk) >= $min_share * least(na.names, nb.names))
                    OR (count(DISTINCT p.sk) >= $short_names
                        AND count(DISTINCT p.sk) >= $short_share * least(na.names, nb.names))
            )"""

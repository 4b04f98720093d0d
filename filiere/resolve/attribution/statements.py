"""The rule attaching a number-less nickname a witness gave to the one person its context points to."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from filiere.resolve.attribution.runner import TOKENS, rule_edges

SUBJECT_RULE = "rule: named by a witness"


def statement_facts_sql() -> str:
    """SQL (workspace connection) for ``subject, witness, relation``: who each statement designates, who said it
    and in what capacity ("driver", "recruiter" …)."""
    return """
        SELECT subject_mention_id AS subject, witness_mention_id AS witness, relation FROM statements
        WHERE subject_mention_id IS NOT NULL
    """


def phone_contacts_sql() -> str:
    """SQL for ``phone, other``: the distinct pairs of numbers in touch (``phone_contacts``, built with the stage's
    phone events by :func:`filiere.resolve.phones.build_phone_events`)."""
    return "SELECT phone, other FROM phone_contacts"


def crossing_passengers_sql() -> str:
    """SQL (workspace connection) for ``traveller, incident``: who travelled on which recorded crossing."""
    return """
        SELECT traveller_mention_id AS traveller, source_id || ':' || incident_ref AS incident FROM crossings
        WHERE traveller_mention_id IS NOT NULL AND incident_ref IS NOT NULL
    """


def statement_subject_attachments(prepared: pa.Table, labels: np.ndarray, statements: pa.Table,
                                  contacts: pa.Table, passengers: pa.Table | None = None) -> pa.Table:
    """Edges attaching persons known only by a nickname a witness gave, without a number, to the one person it fits.

    "Aram, the driver" in a statement: no number, no full name — nothing the model can weigh.  An analyst
    looks for the Aram the witness could mean and asks three questions: did a passenger of a crossing the
    witness travelled on designate an Aram, with a number, in the same capacity (*same boat*)?  Is the
    witness's own phone in touch with a number of an Aram (*reached*)?  Has an Aram been designated elsewhere,
    with a number, in the same capacity (*same role*)?  Candidates are the persons whose names or labels share
    a token with the nickname (the same canonical token, or else the same consonant skeleton) and who were
    reached by the witness or designated with a number in any statement.  They are ranked on (same boat,
    reached, same role, canonical token) and the first is taken only when no other candidate ranks as high:
    two Arams in touch with the witness, or two drivers called Aram designated elsewhere, leave the nickname
    alone.  Only persons made of number-less
    labels are attached: a person known by labels on a number of his own may be a second Aram (measured on
    the simulator: attaching those too cost pairwise precision 0.993 → 0.982, two drivers called Amanuel in
    one network joined).

    ``statements``: ``subject``, ``witness`` (mention ids, witness may be NULL), ``relation``
    (:func:`statement_facts_sql`); ``contacts``: ``phone``, ``other`` (:func:`phone_contacts_sql`);
    ``passengers``: ``traveller``, ``incident`` (:func:`crossing_passengers_sql`; none when omitted).  The
    columns of :func:`line_attachments` (``line`` NULL) and ``reasons``: why this candidate ("in touch with the
    witness", "designated elsewhere with a number as driver" …), shown by ``filiere explain``.
    """
    columns = ["unique_id", "alias_only", "lines", "phones", "any_tokens", "any_skeletons"]
    return rule_edges(prepared, labels, columns, f"""
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, p.phones, c.cluster, {TOKENS} AS tokens
                FROM prepared p JOIN clusters c USING (unique_id)
            ),
            orphan_clusters AS (  -- persons made only of number-less labels
                SELECT cluster FROM m GROUP BY cluster HAVING bool_and(alias_only) AND bool_and(lines IS NULL)
            ),
            orphans AS (
                SELECT m.cluster, m.unique_id, s.witness, s.relation, unnest(m.tokens) AS token
                FROM m JOIN orphan_clusters USING (cluster) JOIN statements s ON s.subject = m.unique_id
            ),
            cluster_tokens AS (
                SELECT DISTINCT cluster, unnest(tokens) AS token FROM m
                WHERE cluster NOT IN (SELECT cluster FROM orphan_clusters)
            ),
            cluster_phones AS (
                SELECT DISTINCT cluster, unnest(phones) AS phone FROM m WHERE phones IS NOT NULL
            ),
            designated AS (  -- persons designated with a number, and in which capacity
                SELECT DISTINCT m.cluster, s.relation, min(m.unique_id) OVER (PARTITION BY m.cluster) AS mention
                FROM statements s JOIN m ON m.unique_id = s.subject WHERE m.lines IS NOT NULL
            ),
            witness_reach AS (  -- persons holding a number in touch with a number of the witness
                SELECT DISTINCT o.cluster AS orphan, hp.cluster
                FROM (SELECT DISTINCT cluster, witness FROM orphans WHERE witness IS NOT NULL) o
                JOIN m w ON w.unique_id = o.witness
                JOIN cluster_phones wp ON wp.cluster = w.cluster
                JOIN contacts k ON k.phone = wp.phone
                JOIN cluster_phones hp ON hp.phone = k.other
                WHERE hp.cluster <> w.cluster
            ),
            boat_mates AS (  -- persons who travelled on a crossing with the witness's person (themself included)
                SELECT DISTINCT o.cluster AS orphan, mate.cluster AS mate
                FROM (SELECT DISTINCT cluster, witness FROM orphans WHERE witness IS NOT NULL) o
                JOIN m w ON w.unique_id = o.witness
                JOIN m wt ON wt.cluster = w.cluster
                JOIN passengers mine ON mine.traveller = wt.unique_id
                JOIN passengers theirs ON theirs.incident = mine.incident
                JOIN m mate ON mate.unique_id = theirs.traveller
            ),
            said AS MATERIALIZED (  -- who designated whom with a number, in which capacity (a few rows per statement)
                SELECT DISTINCT mw.cluster AS witness_cluster, ds.cluster AS subject_cluster, s.relation
                FROM statements s JOIN m mw ON mw.unique_id = s.witness
                JOIN m ds ON ds.unique_id = s.subject AND ds.lines IS NOT NULL
            ),
            boat_designated AS (  -- designated with a number, in the orphan's capacity, by a boat mate
                SELECT DISTINCT b.orphan, d.cluster
                FROM boat_mates b
                JOIN said ON said.witness_cluster = b.mate
                JOIN designated d ON d.cluster = said.subject_cluster AND d.relation = said.relation
                JOIN (SELECT DISTINCT cluster, relation FROM orphans) o ON o.cluster = b.orphan
                                                                       AND o.relation = said.relation
            ),
            matched AS (  -- (orphan person, candidate person, shared token)
                SELECT DISTINCT o.cluster AS orphan, t.cluster, o.token
                FROM orphans o JOIN cluster_tokens t USING (token)
            ),
            role_match AS (  -- capacities in which the witness and another statement designate the candidate
                SELECT o.cluster AS orphan, d.cluster, list_sort(list(DISTINCT d.relation)) AS roles
                FROM (SELECT DISTINCT cluster, relation FROM orphans) o
                JOIN designated d ON d.relation = o.relation GROUP BY ALL
            ),
            candidates AS (
                SELECT x.orphan, x.cluster, list_sort(list(DISTINCT x.token)) AS shared_tokens,
                       bool_or(bd.cluster IS NOT NULL) AS same_boat,
                       bool_or(r.cluster IS NOT NULL) AS reached, any_value(rm.roles) AS roles,
                       bool_or(x.cluster IN (SELECT cluster FROM designated)) AS designated,
                       bool_or(NOT starts_with(x.token, '~')) AS canonical
                FROM matched x
                LEFT JOIN witness_reach r ON r.orphan = x.orphan AND r.cluster = x.cluster
                LEFT JOIN role_match rm ON rm.orphan = x.orphan AND rm.cluster = x.cluster
                LEFT JOIN boat_designated bd ON bd.orphan = x.orphan AND bd.cluster = x.cluster
                GROUP BY x.orphan, x.cluster
            ),
            ranked AS (
                SELECT *, rank() OVER (PARTITION BY orphan ORDER BY same_boat DESC, reached DESC,
                                                                   roles IS NOT NULL DESC, canonical DESC) AS rk
                FROM candidates WHERE reached OR designated
            ),
            chosen AS (
                SELECT r.* FROM ranked r
                WHERE r.rk = 1 AND (SELECT count(*) FROM ranked r2 WHERE r2.orphan = r.orphan AND r2.rk = 1) = 1
            )
            SELECT (SELECT min(o.unique_id) FROM orphans o WHERE o.cluster = c.orphan) AS mention_l,
                   (SELECT min(unique_id) FROM m WHERE m.cluster = c.cluster) AS mention_r,
                   NULL::VARCHAR AS line, c.shared_tokens,
                   list_concat(CASE WHEN c.same_boat THEN ['designated in the same role, with a number, by a '
                                                           || 'passenger of a crossing the witness travelled on']
                                    ELSE [] END,
                               CASE WHEN c.reached THEN ['in touch with the witness'] ELSE [] END,
                               CASE WHEN c.roles IS NOT NULL
                                    THEN ['designated elsewhere with a number as ' || array_to_string(c.roles, ', ')]
                                    WHEN NOT c.reached THEN ['designated elsewhere with a number'] ELSE [] END)
                       AS reasons
            FROM chosen c ORDER BY mention_l
        """, tables={"statements": statements, "contacts": contacts, "passengers": passengers if passengers is not None
                     else pa.table({"traveller": pa.array([], pa.string()), "incident": pa.array([], pa.string())})})

"""The rule attaching a number-less nickname a witness gave to the one person its context points to."""

from __future__ import annotations

from collections import Counter

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


NICKNAME_CAPACITY_RULE = "rule: designated by witnesses under one qualified nickname, in one capacity"
NICKNAME_CONFLICT_SIMILARITY = 0.85
# a nickname of this many tokens or more: a name and a qualifier ("Karwan boat"); a bare "Rebwar" is many men's
NICKNAME_MIN_TOKENS = 2


def nickname_capacity_matches(prepared: pa.Table, labels: np.ndarray, statements: pa.Table,
                              min_similarity: float = NICKNAME_CONFLICT_SIMILARITY) -> pa.Table:
    """Edges joining persons known only from what witnesses said to the one they designated under the same
    nickname, in the same capacity, with witnesses in common ground.

    Witnesses name a recruiter by what the migrants call him — "Noorullah UK", "Kaka Amanuel", "Karwan boat" —
    each with the number he gave them, and a recruiter changes his customer number every few weeks: a number
    only migrants call, that no seized phone or subscriber record ties to him.  Each such number makes a
    person of its own, made only of statement subjects.  Such a person is joined to another designated under
    the same nickname of two tokens or more (a name and a qualifier: a place, a title, a trade; a bare name
    like "Rebwar" is many men's) in the same capacity ("recruiter", "driver"), when:

    - the nickname is the one most of each person's designations give (a stray mention of another man's
      nickname inside a person is no reason to join that man);
    - the witnesses of both designated someone in common (the driver of their crossing, the collector who
      took their money): simulated networks reuse nicknames ("Ali Calais" for two recruiters of two networks),
      and witnesses of two networks designate two different sets of men;
    - no two persons so grouped carry full names (other than as a subscriber: a straw's name) that are not
      close (:func:`filiere.resolve.names.name_similarity` < ``min_similarity``).

    Each person goes to the largest such person his witnesses share most with.  A person with records of his
    own (a contact label, a person record) is never the one joined: that is for the line rules.  Measured on
    medium 7, 1, 97 and 137: 141 of 144 edges right; without the common-witness and records-of-his-own guards
    pairwise precision fell from 0.987 to 0.977 on medium 1 (two drivers of one network called "Karwan Boat").
    The nickname's key is its canonical tokens in order-free form (:func:`filiere.resolve.names.name_feature_frame`):
    "Kârwan Boat" and "Karwan boat" agree, "Noorullah UK" and "Nourullah UK" do not.

    ``statements``: ``subject``, ``witness``, ``relation`` (:func:`statement_facts_sql`).  The columns of
    :func:`line_attachments` (``line`` NULL, ``shared_tokens`` the nickname key) and ``reasons``.
    """
    from filiere.resolve.names import name_feature_frame, name_similarity

    rows = rule_edges(prepared, labels, ["unique_id", "alias_only", "name_full", "record_kind"], """
            WITH subjects AS (
                SELECT s.subject, s.relation, p.name_full AS label, c.cluster
                FROM statements s JOIN prepared p ON p.unique_id = s.subject JOIN clusters c ON c.unique_id = s.subject
                WHERE p.alias_only AND p.name_full IS NOT NULL AND s.relation IS NOT NULL
            ),
            names AS (  -- full names in the persons of those subjects, other than subscribers' (a straw's name)
                SELECT c.cluster, list(DISTINCT p.name_full) AS full_names
                FROM prepared p JOIN clusters c USING (unique_id)
                WHERE NOT p.alias_only AND p.name_full IS NOT NULL AND p.record_kind <> 'phones'
                  AND c.cluster IN (SELECT cluster FROM subjects)
                GROUP BY c.cluster
            ),
            sizes AS (  -- each person's mentions, and whether all of them are what witnesses said of him
                SELECT c.cluster, count(*) AS mentions,
                       bool_and(c.unique_id IN (SELECT subject FROM statements)) AS only_said
                FROM clusters c GROUP BY c.cluster
            ),
            designations AS (  -- which person designated which (by their persons, not their mentions)
                SELECT DISTINCT cw.cluster AS witness, cs.cluster AS subject
                FROM statements s JOIN clusters cw ON cw.unique_id = s.witness
                JOIN clusters cs ON cs.unique_id = s.subject
            ),
            co_designated AS (  -- the other persons the witnesses of a person designated
                SELECT a.subject AS cluster, list(DISTINCT b.subject) AS others
                FROM designations a JOIN designations b ON b.witness = a.witness AND b.subject <> a.subject
                WHERE a.subject IN (SELECT cluster FROM subjects)
                GROUP BY a.subject
            )
            SELECT s.cluster, s.relation, min(s.subject) AS subject, list(s.label ORDER BY s.label) AS labels,
                   any_value(n.full_names) AS full_names, any_value(z.mentions) AS mentions,
                   any_value(z.only_said) AS only_said, coalesce(any_value(d.others), []) AS others
            FROM subjects s LEFT JOIN names n USING (cluster) JOIN sizes z USING (cluster)
            LEFT JOIN co_designated d USING (cluster)
            GROUP BY s.cluster, s.relation ORDER BY s.cluster, s.relation
        """, tables={"statements": statements}).to_pylist()
    for row in rows:
        row["others"] = set(row["others"])
    distinct_labels = sorted({label for row in rows for label in row["labels"]})
    if not distinct_labels:
        return _nickname_edges([])
    frame = name_feature_frame(distinct_labels)
    key_of = dict(zip(frame["name"], frame["name_sorted"], strict=True))  # order-free canonical tokens
    said: dict[int, Counter] = {}  # each person's nicknames, as often as witnesses gave them
    for row in rows:
        said.setdefault(row["cluster"], Counter()).update(key_of[label] for label in row["labels"])
    groups: dict[tuple[str, str], dict[int, dict]] = {}
    for row in rows:
        (key, times), = said[row["cluster"]].most_common(1)
        # a person joins under his own nickname only: the one most of his designations give (a stray mention
        # of another man's nickname in a person is no reason to join that man)
        if (key and len(key.split()) >= NICKNAME_MIN_TOKENS and 2 * times >= sum(said[row["cluster"]].values())
                and any(key_of[label] == key for label in row["labels"])):
            groups.setdefault((key, row["relation"]), {})[row["cluster"]] = row
    chosen = []
    for (key, relation), members in sorted(groups.items()):
        if len(members) < 2:
            continue
        named = [m["full_names"] for m in members.values() if m["full_names"]]
        if any(max(name_similarity(a, b) for a in first for b in second) < min_similarity
               for i, first in enumerate(named) for second in named[i + 1:]):
            continue  # two men with that nickname: leave it
        # each person goes to the largest one whose witnesses designated someone his witnesses designated too
        # (the driver of their crossing, the man who took their money): two recruiters called "Ali Calais" in
        # two networks share none
        ordered = sorted(members.values(), key=lambda m: (-m["mentions"], m["cluster"]))
        for i, member in enumerate(ordered[1:], start=1):
            if not member["only_said"]:
                continue  # a person with records of his own (a contact label, a number's subscriber) stays
            shared = [(len(member["others"] & bigger["others"]), -j, bigger) for j, bigger in enumerate(ordered[:i])]
            best = max(shared, key=lambda x: x[:2])
            if best[0] >= 1:
                chosen.append((member["subject"], best[2]["subject"], key,
                               f"designated as “{key}”, {relation}; their witnesses designated {best[0]} "
                               "person(s) in common"))
    return _nickname_edges(chosen)


def _nickname_edges(chosen: list[tuple[str, str, str, str]]) -> pa.Table:
    """The nickname rule's edges from (mention, mention, nickname key, reason) each: no line, the key as the
    shared token."""
    texts = pa.list_(pa.string())
    return pa.table({"mention_l": pa.array([c[0] for c in chosen], pa.string()),
                     "mention_r": pa.array([c[1] for c in chosen], pa.string()),
                     "line": pa.array([None] * len(chosen), pa.string()),
                     "shared_tokens": pa.array([[c[2]] for c in chosen], texts),
                     "reasons": pa.array([[c[3]] for c in chosen], texts)})

"""Rules that join persons after Splink, on evidence pairwise weights cannot carry — each an edge with its evidence.

A seized contact list saves a number as "karwan brother"; a witness says "Karwan, reachable on 07 …".  Such a
mention carries a nickname or a bare given name and a number, nothing Splink can weigh against a full name
strongly enough.  An analyst attributes it the other way round: the number (or the line of numbers one user
went through, :func:`filiere.resolve.phones.swap_lines`) is held by a known person — the owner of the seized
device, a subscriber, a person record — and the label fits that person's name.

The resolve stage runs, in this order, re-clustering after each (an analyst's 'different' judgement always wins):

1. :func:`line_holder_merges` — full-name holders of one line whose names cover each other ("Mehdi" and
   "Mehdi GHASSEMI" on one number) are one person;
2. :func:`line_attachments` — a cluster made only of label-only mentions is attached to a person when one of its
   lines is held by a cluster with a full-name mention tied to that line, its labels share a name token with
   that holder's names or labels (the same canonical token, or else the same consonant skeleton: Azad / Azaad,
   Wahid / Waheed, رضا / Reza), and exactly one holder qualifies (two Karwans on one family line: nothing); a
   pure nickname ("Captain", "Doctor ☎": no token of it is part of any full name in the case) goes to the one
   user of its line when exactly one person with a full name holds it other than as a subscriber (the owner of
   the seized device, a person record);
3. :func:`label_line_groups` — label-only clusters sharing a line and a name token are grouped ("karwan brother"
   and "Kârwan UK" saved for one number), then 2. runs again;
4. :func:`ledger_label_attachments` — number-less labels in a payment ledger follow the same label attached
   through a number in that ledger;
5. :func:`witness_traveller_matches` — a witness is the one traveller with the same name skeleton among the
   crossings of the days before the statement; :func:`witness_traveller_spelling_matches` — else the one
   traveller there whose name is close enough (another spelling);
6. :func:`statement_subject_attachments` — a number-less nickname a witness gave goes to the one person its
   context points to (designated in the same role by a passenger of the witness's crossing, in touch with the
   witness's phone, or designated elsewhere in the same role).

Each edge joins two mentions and keeps its evidence (line, shared tokens) for explanations.  Each rule runs on a
private DuckDB, relationally.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from filiere.resolve.names import name_similarity

RULE = "rule: label on the holder's line"
GROUP_RULE = "rule: labels on one line"
LEDGER_RULE = "rule: same label in one ledger"
HOLDER_RULE = "rule: one name on one line"
# Record kinds whose source is kept by one hand (a money-transfer file, a hawala ledger): inside one such source a
# nickname names one client.  Witness statements are not: many witnesses, and two may mean two "Karwan UK".
LEDGER_KINDS = ("payments",)


# A label-only mention's name tokens: canonical tokens, and their consonant skeletons marked with a leading "~".
_TOKENS = "list_concat(p.any_tokens, list_transform(p.any_skeletons, lambda s: '~' || s))"


def _edges(prepared: pa.Table, labels: np.ndarray, columns: list[str], sql: str,
           params: dict | None = None, tables: dict[str, pa.Table] | None = None) -> pa.Table:
    """Run one rule's SQL on a private DuckDB holding ``prepared`` (only ``columns``), ``clusters``
    (``unique_id`` → ``cluster``, from ``labels``) and any other ``tables``; the result as Arrow."""
    scratch = duckdb.connect()
    try:
        scratch.register("prepared", prepared.select(columns))
        scratch.register("clusters", pa.table({"unique_id": prepared.column("unique_id"),
                                                "cluster": pa.array(labels, pa.int64())}))
        for name, table in (tables or {}).items():
            scratch.register(name, table)
        return scratch.sql(sql, params=params).to_arrow_table()
    finally:
        scratch.close()


def line_holder_merges(prepared: pa.Table, labels: np.ndarray) -> pa.Table:
    """Edges joining persons with full names that hold one line under one name.

    "Mehdi" with a number in a person record and "Mehdi GHASSEMI", owner of the seized phone with that number:
    the model sees one shared token and a number several names hold, too little against its prior.  A line
    holds *one name* when the name of one of its holders contains every token (compared by consonant skeleton,
    so Ghasemi = Ghassemi) of every other holder's name; then all its holders are one person.  Two different
    full names on a line ("Karwan OSMAN", "Karwan AHMED": a family phone) never qualify.
    Same columns as :func:`line_attachments` (``shared_tokens`` holds the line's name skeletons).
    """
    return _edges(prepared, labels, ["unique_id", "alias_only", "lines", "name_token_skeletons"], """
            WITH held AS (
                SELECT c.cluster, p.unique_id, u.line, list_distinct(p.name_token_skeletons) AS skeletons
                FROM prepared p JOIN clusters c USING (unique_id), unnest(p.lines) AS u(line)
                WHERE NOT p.alias_only AND len(p.name_token_skeletons) > 0
            ),
            per_line AS (
                SELECT line, list_distinct(flatten(list(skeletons))) AS all_skeletons,
                       count(DISTINCT cluster) AS holders
                FROM held GROUP BY line
            ),
            one_name AS (
                SELECT l.line, l.all_skeletons FROM per_line l
                WHERE l.holders > 1
                  AND EXISTS (SELECT 1 FROM held h WHERE h.line = l.line AND len(h.skeletons) = len(l.all_skeletons))
            ),
            firsts AS (  -- one mention per holder of each such line
                SELECT h.line, h.cluster, min(h.unique_id) AS mention, any_value(o.all_skeletons) AS skeletons
                FROM held h JOIN one_name o USING (line) GROUP BY h.line, h.cluster
            ),
            anchor AS (SELECT line, min(mention) AS mention_r FROM firsts GROUP BY line)
            SELECT f.mention AS mention_l, a.mention_r, f.line, list_sort(list_transform(f.skeletons,
                   lambda s: '~' || s)) AS shared_tokens
            FROM firsts f JOIN anchor a USING (line)
            WHERE f.mention <> a.mention_r
            ORDER BY mention_l, mention_r
        """)


def label_line_groups(prepared: pa.Table, labels: np.ndarray) -> pa.Table:
    """Edges joining label-only clusters that share a line and a name token (canonical, or its skeleton).

    A number saved as "karwan brother" in one seized phone and "Kârwan UK" in another is one person's number
    under two labels: both are its user.  Only label-only clusters are joined (a full name decides with the
    model); the groups are then attached to a holder like any label-only cluster (:func:`line_attachments`).
    Same columns as :func:`line_attachments`; one edge per pair of clusters.
    """
    return _edges(prepared, labels, ["unique_id", "alias_only", "lines", "any_tokens", "any_skeletons"], f"""
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, c.cluster,
                       {_TOKENS} AS any_tokens
                FROM prepared p JOIN clusters c USING (unique_id)
            ),
            label_clusters AS (SELECT cluster FROM m GROUP BY cluster HAVING bool_and(alias_only)),
            lm AS (
                SELECT m.cluster, m.unique_id, unnest(m.lines) AS line, m.any_tokens
                FROM m JOIN label_clusters USING (cluster)
                WHERE m.lines IS NOT NULL AND len(m.any_tokens) > 0
            ),
            pairs AS (
                SELECT a.cluster AS ca, b.cluster AS cb, a.unique_id AS mention_l, b.unique_id AS mention_r, a.line,
                       list_sort(list_intersect(a.any_tokens, b.any_tokens)) AS shared_tokens
                FROM lm a JOIN lm b ON a.line = b.line AND a.cluster < b.cluster
                WHERE len(list_intersect(a.any_tokens, b.any_tokens)) > 0
            )
            SELECT arg_min(mention_l, mention_l || mention_r) AS mention_l,
                   arg_min(mention_r, mention_l || mention_r) AS mention_r,
                   arg_min(line, mention_l || mention_r) AS line,
                   arg_min(shared_tokens, mention_l || mention_r) AS shared_tokens
            FROM pairs GROUP BY ca, cb ORDER BY mention_l, mention_r
        """)


def line_attachments(prepared: pa.Table, labels: np.ndarray) -> pa.Table:
    """Attachment edges for the clustering ``labels`` (cluster label per row of ``prepared``).

    Tiers, the best one deciding: 1. a canonical token in common with the holder; 2. only a token skeleton;
    3. no token in common, for a pure nickname (none of its tokens is part of any full name in the case: "Captain",
    "Shifu") on a line with exactly one holder other than subscribers (a subscriber says who pays for the line, an
    owner or a person record who uses it).  A label made of a name ("Omar 2") never reaches tier 3: on another
    man's line it is another man (a group phone, a relative).  Measured on the simulator: tier 3 edges 33 of 34
    right (medium 7), 58 of 62 (medium 1); a tier 3 without the nickname test was right in half the cases.

    ``prepared`` needs ``unique_id``, ``alias_only``, ``lines``, ``any_tokens``, ``any_skeletons`` and
    ``record_kind``.  Shared skeletons are reported with a leading ``~``.
    Returns ``mention_l`` (label-only mention), ``mention_r`` (the holder's full-name mention on the line),
    ``line`` and ``shared_tokens``, one row per attached label-only cluster.
    """
    return _edges(prepared, labels, ["unique_id", "alias_only", "lines", "any_tokens", "any_skeletons",
                                     "record_kind"], f"""
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, c.cluster, p.record_kind,
                       {_TOKENS} AS tokens
                FROM prepared p JOIN clusters c USING (unique_id)
            ),
            label_clusters AS (SELECT cluster FROM m GROUP BY cluster HAVING bool_and(alias_only)),
            held AS (  -- lines held by full-name mentions, with one such mention per (cluster, line)
                SELECT cluster, line, min(unique_id) AS holder_mention,
                       bool_or(record_kind IS DISTINCT FROM 'phones') AS user_side
                FROM (SELECT cluster, unique_id, record_kind, unnest(lines) AS line FROM m WHERE NOT alias_only)
                GROUP BY cluster, line
            ),
            one_user AS (SELECT line FROM held WHERE user_side GROUP BY line HAVING count(DISTINCT cluster) = 1),
            name_tokens AS (  -- every token of a full name in the case: a label made of none of them is a nickname
                SELECT DISTINCT unnest(tokens) AS token FROM m WHERE NOT alias_only
            ),
            holder_tokens AS (
                SELECT cluster, list(DISTINCT token) AS tokens
                FROM (SELECT cluster, unnest(tokens) AS token FROM m WHERE cluster IN (SELECT cluster FROM held))
                GROUP BY cluster
            ),
            labelled AS (  -- each label-only mention's lines and tokens
                SELECT m.cluster, m.unique_id, unnest(m.lines) AS line, m.tokens
                FROM m JOIN label_clusters USING (cluster) WHERE m.tokens IS NOT NULL
            ),
            candidates AS (
                SELECT l.cluster AS label_cluster, h.cluster AS holder, l.unique_id AS mention_l,
                       h.holder_mention AS mention_r, l.line,
                       list_intersect(l.tokens, ht.tokens) AS shared_tokens
                FROM labelled l
                JOIN held h ON h.line = l.line
                JOIN holder_tokens ht ON ht.cluster = h.cluster
                WHERE len(list_intersect(l.tokens, ht.tokens)) > 0
                UNION ALL
                SELECT l.cluster, h.cluster, l.unique_id, h.holder_mention, l.line, []::VARCHAR[]
                FROM labelled l JOIN held h ON h.line = l.line AND h.user_side JOIN one_user o ON o.line = l.line
                WHERE NOT EXISTS (SELECT 1 FROM unnest(l.tokens) AS x(token) JOIN name_tokens n ON n.token = x.token)
            ),
            tiered AS (  -- tier 1: a canonical token in common; tier 2: only a token skeleton
                SELECT *, CASE WHEN len(list_filter(shared_tokens, lambda t: NOT starts_with(t, '~'))) > 0 THEN 1
                               WHEN len(shared_tokens) > 0 THEN 2 ELSE 3 END AS tier
                FROM candidates
            ),
            best AS (SELECT label_cluster, min(tier) AS tier FROM tiered GROUP BY label_cluster),
            unique_holder AS (
                SELECT t.label_cluster FROM tiered t JOIN best b USING (label_cluster, tier)
                GROUP BY t.label_cluster HAVING count(DISTINCT t.holder) = 1
            )
            SELECT arg_min(mention_l, mention_l || mention_r) AS mention_l,
                   arg_min(mention_r, mention_l || mention_r) AS mention_r,
                   arg_min(line, mention_l || mention_r) AS line,
                   arg_min(list_sort(shared_tokens), mention_l || mention_r) AS shared_tokens
            FROM tiered JOIN best USING (label_cluster, tier) JOIN unique_holder USING (label_cluster)
            GROUP BY label_cluster
            ORDER BY mention_l
        """)


def ledger_label_attachments(prepared: pa.Table, labels: np.ndarray) -> pa.Table:
    """Edges attaching number-less label-only persons named in a ledger to the holder of the same label there.

    In a payment ledger a hawaladar writes "Kurdo" for a client, sometimes with a number, often without.  When
    the rows of one source with a label and a number all belong to one person (attached through their line to
    a named person, or a person known only by labels, like an organiser abroad), the rows of that source with
    the same label and no number are that person too.  Only sources of
    :data:`LEDGER_KINDS`; the holder must be unique for the source and label.  Same columns as
    :func:`line_attachments` (``line`` is NULL, ``shared_tokens`` holds the label).
    """
    columns = ["unique_id", "alias_only", "lines", "source_id", "record_kind", "name_full"]
    return _edges(prepared, labels, columns, """
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, p.source_id, p.record_kind, c.cluster,
                       lower(trim(p.name_full)) AS label
                FROM prepared p JOIN clusters c USING (unique_id)
            ),
            anchored AS (  -- persons with a number or a full name: what a number-less label can join
                SELECT DISTINCT cluster FROM m WHERE NOT alias_only OR lines IS NOT NULL
            ),
            held AS (  -- (source, label) → the one person whose numbered label-only mentions there carry it
                SELECT m.source_id, m.label, any_value(m.cluster) AS holder, min(m.unique_id) AS holder_mention
                FROM m
                WHERE m.alias_only AND m.lines IS NOT NULL AND m.label IS NOT NULL
                  AND m.record_kind IN (SELECT unnest($kinds))
                GROUP BY m.source_id, m.label HAVING count(DISTINCT m.cluster) = 1
            ),
            orphans AS (
                SELECT m.* FROM m WHERE m.alias_only AND m.lines IS NULL AND m.label IS NOT NULL
                  AND m.record_kind IN (SELECT unnest($kinds))
                  AND m.cluster NOT IN (SELECT cluster FROM anchored)
            ),
            candidates AS (
                SELECT o.cluster, o.unique_id AS mention_l, h.holder, h.holder_mention AS mention_r, o.label
                FROM orphans o JOIN held h USING (source_id, label)
            ),
            unique_holder AS (SELECT cluster FROM candidates GROUP BY cluster HAVING count(DISTINCT holder) = 1)
            SELECT arg_min(mention_l, mention_l) AS mention_l, arg_min(mention_r, mention_l) AS mention_r,
                   NULL::VARCHAR AS line, [arg_min(label, mention_l)] AS shared_tokens
            FROM candidates JOIN unique_holder USING (cluster)
            GROUP BY cluster ORDER BY mention_l
        """, params={"kinds": list(LEDGER_KINDS)})


WITNESS_RULE = "rule: witness heard after the crossing they travelled on"
# Persons' recorded birth years; two persons whose recorded years all differ are not one man (a 1 January
# placeholder or a bare year keeps its year).
_BIRTH_YEARS = """birth_years AS (
                SELECT c.cluster, list(DISTINCT p.dob_year) AS years
                FROM prepared p JOIN clusters c USING (unique_id) WHERE p.dob_year IS NOT NULL GROUP BY c.cluster
            )"""
_YEARS_AGREE = ("(yw.years IS NULL OR yt.years IS NULL OR abs(list_min(yw.years) - list_min(yt.years)) <= 1"
                " OR abs(list_max(yw.years) - list_max(yt.years)) <= 1)")
WITNESS_WINDOW_DAYS = 3


def event_times_sql() -> str:
    """SQL (workspace connection) for ``mention_id, role, at``: witnesses with the time of their statement and
    travellers with the time of their crossing."""
    return """
        SELECT witness_mention_id AS mention_id, 'witness' AS role, said_at AS at FROM statements
        WHERE witness_mention_id IS NOT NULL AND said_at IS NOT NULL
        UNION ALL
        SELECT traveller_mention_id, 'traveller', occurred_at FROM crossings
        WHERE traveller_mention_id IS NOT NULL AND occurred_at IS NOT NULL
    """


def witness_traveller_matches(prepared: pa.Table, labels: np.ndarray, times: pa.Table,
                              window_days: float = WITNESS_WINDOW_DAYS) -> pa.Table:
    """Edges joining a witness to the one traveller of the crossings of the days before whose name matches.

    Statements are taken from people just intercepted or landed.  A witness heard at time t whose full name
    has the same consonant skeleton as travellers of crossings in [t − ``window_days``, t] that all belong to
    ONE person is that traveller: the boat's passenger list is short, where the whole population's name pool
    is not.  ``times`` has ``mention_id``, ``role`` ('witness' or 'traveller') and ``at``
    (:func:`event_times_sql`).  Same columns as :func:`line_attachments` (``line`` NULL, ``shared_tokens`` the
    name skeleton).
    """
    return _edges(prepared, labels, ["unique_id", "alias_only", "name_skeleton", "dob_year"], f"""
            WITH m AS (
                SELECT t.mention_id, t.role, t.at, p.name_skeleton, c.cluster
                FROM times t JOIN prepared p ON p.unique_id = t.mention_id
                JOIN clusters c ON c.unique_id = t.mention_id
                WHERE NOT p.alias_only AND p.name_skeleton IS NOT NULL
            ),
            {_BIRTH_YEARS},
            candidates AS (
                SELECT w.mention_id AS mention_l, w.cluster AS wc, t.mention_id AS traveller, t.cluster AS tc,
                       w.name_skeleton
                FROM m w JOIN m t ON t.name_skeleton = w.name_skeleton
                 AND t.at <= w.at AND t.at >= w.at - to_seconds(CAST($window * 86400 AS BIGINT))
                LEFT JOIN birth_years yw ON yw.cluster = w.cluster
                LEFT JOIN birth_years yt ON yt.cluster = t.cluster
                WHERE w.role = 'witness' AND t.role = 'traveller' AND {_YEARS_AGREE}
            ),
            single AS (SELECT mention_l FROM candidates GROUP BY mention_l HAVING count(DISTINCT tc) = 1)
            SELECT c.mention_l, min(c.traveller) AS mention_r, NULL::VARCHAR AS line,
                   ['~' || any_value(c.name_skeleton)] AS shared_tokens
            FROM candidates c JOIN single USING (mention_l)
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
    ``min_similarity`` and no traveller of another person does.  Only witnesses with no traveller of the same
    skeleton in the window (those the exact rule found, or found ambiguous, are left to it) and not yet joined
    to any traveller.  Candidates come from SQL; only their few names are compared in Python.
    Same columns as :func:`line_attachments` (``line`` NULL, ``shared_tokens`` ['similarity 0.92']).
    """
    pairs = _edges(prepared, labels, ["unique_id", "alias_only", "name_full", "name_skeleton",
                                      "name_token_skeletons", "dob_year"], f"""
            WITH m AS (
                SELECT t.mention_id, t.role, t.at, p.name_full, p.name_skeleton, p.name_token_skeletons AS tsk,
                       c.cluster
                FROM times t JOIN prepared p ON p.unique_id = t.mention_id
                JOIN clusters c ON c.unique_id = t.mention_id
                WHERE NOT p.alias_only AND p.name_skeleton IS NOT NULL
            ),
            travelled AS (SELECT DISTINCT cluster FROM m WHERE role = 'traveller'),
            {_BIRTH_YEARS},
            in_window AS (
                SELECT w.mention_id AS witness, w.name_full AS witness_name, w.name_skeleton AS witness_skeleton,
                       t.mention_id AS traveller, t.name_full AS traveller_name, t.name_skeleton, t.cluster,
                       t.tsk AS traveller_tsk, w.tsk AS witness_tsk
                FROM m w JOIN m t ON t.at <= w.at AND t.at >= w.at - to_seconds(CAST($window * 86400 AS BIGINT))
                LEFT JOIN birth_years yw ON yw.cluster = w.cluster
                LEFT JOIN birth_years yt ON yt.cluster = t.cluster
                WHERE w.role = 'witness' AND t.role = 'traveller' AND {_YEARS_AGREE}
                  AND w.cluster NOT IN (SELECT cluster FROM travelled)
            ),
            unmatched AS (  -- witnesses no traveller of the window shares the whole skeleton with
                SELECT witness FROM in_window GROUP BY witness HAVING NOT bool_or(name_skeleton = witness_skeleton)
            )
            SELECT w.witness, w.witness_name, w.traveller, w.traveller_name, w.cluster
            FROM in_window w JOIN unmatched USING (witness)
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
    return pa.table({"mention_l": pa.array([c[0] for c in chosen], pa.string()),
                     "mention_r": pa.array([c[1] for c in chosen], pa.string()),
                     "line": pa.nulls(len(chosen), pa.string()),
                     "shared_tokens": pa.array([[f"similarity {c[2]:.2f}"] for c in chosen], pa.list_(pa.string()))})


SUBJECT_RULE = "rule: named by a witness"


def statement_facts_sql() -> str:
    """SQL (workspace connection) for ``subject, witness, relation``: who each statement designates, who said it
    and in what capacity ("driver", "recruiter" …)."""
    return """
        SELECT subject_mention_id AS subject, witness_mention_id AS witness, relation FROM statements
        WHERE subject_mention_id IS NOT NULL
    """


def phone_contacts_sql() -> str:
    """SQL for ``phone, other``: the distinct pairs of numbers in touch (needs the stage's ``phone_events``)."""
    return "SELECT DISTINCT phone, other FROM phone_events WHERE phone IS NOT NULL AND other IS NOT NULL"


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
    return _edges(prepared, labels, columns, f"""
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, p.phones, c.cluster, {_TOKENS} AS tokens
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
            boat_designated AS (  -- designated with a number, in the orphan's capacity, by a boat mate
                SELECT DISTINCT b.orphan, d.cluster
                FROM boat_mates b
                JOIN m mw ON mw.cluster = b.mate
                JOIN statements s ON s.witness = mw.unique_id
                JOIN m ds ON ds.unique_id = s.subject AND ds.lines IS NOT NULL
                JOIN designated d ON d.cluster = ds.cluster AND d.relation = s.relation
                JOIN (SELECT DISTINCT cluster, relation FROM orphans) o ON o.cluster = b.orphan
                                                                       AND o.relation = s.relation
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

"""Rules on phone lines and ledgers: one name on one line, labels on the holder's line, labels grouped on one line,
ledger labels (see the package docstring for their order)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from filiere.resolve.attribution.runner import TOKENS, rule_edges

RULE = "rule: label on the holder's line"
GROUP_RULE = "rule: labels on one line"
LEDGER_RULE = "rule: same label in one ledger"
HOLDER_RULE = "rule: one name on one line"
# Record kinds whose source is kept by one hand (a money-transfer file, a hawala ledger): inside one such source a
# nickname names one client.  Witness statements are not: many witnesses, and two may mean two "Karwan UK".
LEDGER_KINDS = ("payments",)


def line_holder_merges(prepared: pa.Table, labels: np.ndarray) -> pa.Table:
    """Edges joining persons with full names that hold one line under one name.

    "Mehdi" with a number in a person record and "Mehdi GHASSEMI", owner of the seized phone with that number:
    the model sees one shared token and a number several names hold, too little against its prior.  A line
    holds *one name* when the name of one of its holders contains every token (compared by consonant skeleton,
    so Ghasemi = Ghassemi) of every other holder's name; then all its holders are one person.  Two different
    full names on a line ("Karwan OSMAN", "Karwan AHMED": a family phone) never qualify.  Only the line's users
    (owner of the seized phone, person records, payers …) decide its name: a subscriber only pays for a line
    (smugglers' lines are registered in migrants' and strangers' names), so "Paul ROBERTS" subscribing one of
    its numbers does not stop "Gol" (the seized phone's owner) and "Goul SHINWARI" (a custody record with that
    number) being one man; a subscriber whose name is within the line's name joins them, and so does the one
    subscriber whose name holds it and more ("Mohamad", owner of the seized phone, and "Mohammed GHASEMI" who
    subscribed it; two such subscribers with different fuller names: neither).
    Same columns as :func:`line_attachments` (``shared_tokens`` holds the line's name skeletons).
    """
    return rule_edges(prepared, labels, ["unique_id", "alias_only", "lines", "name_token_skeletons", "record_kind"],
                      """
            WITH held AS (
                SELECT c.cluster, p.unique_id, u.line, list_distinct(p.name_token_skeletons) AS skeletons,
                       p.record_kind IS NOT DISTINCT FROM 'phones' AS subscriber
                FROM prepared p JOIN clusters c USING (unique_id), unnest(p.lines) AS u(line)
                WHERE NOT p.alias_only AND len(p.name_token_skeletons) > 0
            ),
            per_line AS (  -- the names of the line's users: a subscriber only pays for it
                SELECT line, list_distinct(flatten(list(skeletons))) AS all_skeletons
                FROM held WHERE NOT subscriber GROUP BY line
            ),
            one_name AS (
                SELECT l.line, l.all_skeletons FROM per_line l
                WHERE EXISTS (SELECT 1 FROM held h WHERE h.line = l.line AND NOT h.subscriber
                              AND len(h.skeletons) = len(l.all_skeletons))
            ),
            fuller AS (  -- the one subscriber whose name holds the users' name and more ("Mohamad" → "Mohammed
                         -- GHASEMI"); two such subscribers: neither
                SELECT h.line, any_value(h.cluster) AS cluster FROM held h JOIN one_name o USING (line)
                WHERE h.subscriber AND len(list_intersect(h.skeletons, o.all_skeletons)) = len(o.all_skeletons)
                  AND len(h.skeletons) > len(o.all_skeletons)
                GROUP BY h.line HAVING count(DISTINCT h.cluster) = 1
            ),
            named AS (  -- its users; subscribers whose name is within that one name; the fuller subscriber
                SELECT h.* FROM held h JOIN one_name o USING (line)
                LEFT JOIN fuller f ON f.line = h.line AND f.cluster = h.cluster
                WHERE NOT h.subscriber OR len(list_intersect(h.skeletons, o.all_skeletons)) = len(h.skeletons)
                   OR f.line IS NOT NULL
            ),
            firsts AS (  -- one mention per holder of each such line held by more than one person
                SELECT n.line, n.cluster, min(n.unique_id) AS mention, any_value(o.all_skeletons) AS skeletons
                FROM named n JOIN one_name o USING (line)
                WHERE n.line IN (SELECT line FROM named GROUP BY line HAVING count(DISTINCT cluster) > 1)
                GROUP BY n.line, n.cluster
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
    return rule_edges(prepared, labels, ["unique_id", "alias_only", "lines", "any_tokens", "any_skeletons"], f"""
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, c.cluster,
                       {TOKENS} AS any_tokens
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
    When two holders qualify at the best tier and only one of them uses a line (the others only subscribed
    theirs: a witness's "Yahya" on a number subscribed by "Yehia" and on Yehia AHMED's seized phone), the user
    takes the label (medium 7: 45 more edges, 40 right; pairwise F1 0.892 → 0.903).

    ``prepared`` needs ``unique_id``, ``alias_only``, ``lines``, ``any_tokens``, ``any_skeletons`` and
    ``record_kind``.  Shared skeletons are reported with a leading ``~``.
    Returns ``mention_l`` (label-only mention), ``mention_r`` (the holder's full-name mention on the line),
    ``line`` and ``shared_tokens``, one row per attached label-only cluster.
    """
    return rule_edges(prepared, labels, ["unique_id", "alias_only", "lines", "any_tokens", "any_skeletons",
                                     "record_kind"], f"""
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, c.cluster, p.record_kind,
                       {TOKENS} AS tokens
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
                       list_intersect(l.tokens, ht.tokens) AS shared_tokens, h.user_side
                FROM labelled l
                JOIN held h ON h.line = l.line
                JOIN holder_tokens ht ON ht.cluster = h.cluster
                WHERE len(list_intersect(l.tokens, ht.tokens)) > 0
                UNION ALL
                SELECT l.cluster, h.cluster, l.unique_id, h.holder_mention, l.line, []::VARCHAR[], h.user_side
                FROM labelled l JOIN held h ON h.line = l.line AND h.user_side JOIN one_user o ON o.line = l.line
                WHERE NOT EXISTS (SELECT 1 FROM unnest(l.tokens) AS x(token) JOIN name_tokens n ON n.token = x.token)
            ),
            tiered AS (  -- tier 1: a canonical token in common; tier 2: only a token skeleton
                SELECT *, CASE WHEN len(list_filter(shared_tokens, lambda t: NOT starts_with(t, '~'))) > 0 THEN 1
                               WHEN len(shared_tokens) > 0 THEN 2 ELSE 3 END AS tier
                FROM candidates
            ),
            best AS (SELECT label_cluster, min(tier) AS tier FROM tiered GROUP BY label_cluster),
            unique_holder AS (  -- the one holder at the best tier; else the one who uses a line, not only pays for it
                SELECT t.label_cluster,
                       CASE WHEN count(DISTINCT t.holder) = 1 THEN any_value(t.holder)
                            ELSE any_value(t.holder) FILTER (WHERE t.user_side) END AS holder
                FROM tiered t JOIN best b USING (label_cluster, tier)
                GROUP BY t.label_cluster
                HAVING count(DISTINCT t.holder) = 1 OR count(DISTINCT t.holder) FILTER (WHERE t.user_side) = 1
            )
            SELECT arg_min(mention_l, mention_l || mention_r) AS mention_l,
                   arg_min(mention_r, mention_l || mention_r) AS mention_r,
                   arg_min(line, mention_l || mention_r) AS line,
                   arg_min(list_sort(shared_tokens), mention_l || mention_r) AS shared_tokens
            FROM tiered JOIN best USING (label_cluster, tier) JOIN unique_holder USING (label_cluster, holder)
            GROUP BY label_cluster
            ORDER BY mention_l
        """)


def ledger_agents_sql() -> str:
    """SQL (workspace connection) for ``mention_id, agent``: the agent (hawaladar, money-transfer agent) who
    recorded each payer and payee of a payment, where the export names one."""
    return """
        SELECT payer_mention_id AS mention_id, agent FROM payments
        WHERE payer_mention_id IS NOT NULL AND nullif(trim(agent), '') IS NOT NULL
        UNION SELECT payee_mention_id, agent FROM payments
        WHERE payee_mention_id IS NOT NULL AND nullif(trim(agent), '') IS NOT NULL
    """


def ledger_label_attachments(prepared: pa.Table, labels: np.ndarray, agents: pa.Table | None = None) -> pa.Table:
    """Edges attaching number-less label-only persons named in a ledger to the holder of the same label there.

    In a payment ledger a hawaladar writes "Kurdo" for a client, sometimes with a number, often without.  When
    the rows of one source with a label and a number all belong to one person (attached through their line to
    a named person, or a person known only by labels, like an organiser abroad), the rows of that source with
    the same label and no number are that person too.  Where the ledger says which hawaladar wrote each row
    (``agents``: ``mention_id``, ``agent``, :func:`ledger_agents_sql`), the label is read in that hawaladar's
    own rows first: two men called "Mamosta" by two hawaladars of one ledger file are each the one "Mamosta" of
    his hawaladar (a label two holders share in the same hawaladar's rows still attaches nothing).  Only sources
    of :data:`LEDGER_KINDS`; the holder must be unique for the source (and hawaladar) and label.  Same columns
    as :func:`line_attachments` (``line`` is NULL, ``shared_tokens`` holds the label).
    """
    columns = ["unique_id", "alias_only", "lines", "source_id", "record_kind", "name_full"]
    if agents is None:
        agents = pa.table({"mention_id": pa.array([], pa.string()), "agent": pa.array([], pa.string())})
    return rule_edges(prepared, labels, columns, """
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, p.source_id, p.record_kind, c.cluster,
                       lower(trim(p.name_full)) AS label, a.agent
                FROM prepared p JOIN clusters c USING (unique_id)
                LEFT JOIN (SELECT mention_id, min(agent) AS agent FROM agents GROUP BY mention_id) a
                       ON a.mention_id = p.unique_id
            ),
            anchored AS (  -- persons with a number or a full name: what a number-less label can join
                SELECT DISTINCT cluster FROM m WHERE NOT alias_only OR lines IS NOT NULL
            ),
            numbered AS (  -- label-only mentions of a ledger that carry a number
                SELECT * FROM m WHERE m.alias_only AND m.lines IS NOT NULL AND m.label IS NOT NULL
                  AND m.record_kind IN (SELECT unnest($kinds))
            ),
            held AS (  -- (source, label) → the one person whose numbered label-only mentions there carry it
                SELECT source_id, label, any_value(cluster) AS holder, min(unique_id) AS holder_mention
                FROM numbered GROUP BY source_id, label HAVING count(DISTINCT cluster) = 1
            ),
            held_by_agent AS (  -- the same within one hawaladar's rows
                SELECT source_id, agent, label, any_value(cluster) AS holder, min(unique_id) AS holder_mention,
                       count(DISTINCT cluster) AS holders
                FROM numbered WHERE agent IS NOT NULL GROUP BY source_id, agent, label
            ),
            orphans AS (
                SELECT m.* FROM m WHERE m.alias_only AND m.lines IS NULL AND m.label IS NOT NULL
                  AND m.record_kind IN (SELECT unnest($kinds))
                  AND m.cluster NOT IN (SELECT cluster FROM anchored)
            ),
            candidates AS (  -- the hawaladar's own holder when his rows name one, else the ledger's; two
                             -- holders in his rows make the label ambiguous
                SELECT o.cluster, o.unique_id AS mention_l, o.label, coalesce(ha.holders > 1, false) AS ambiguous,
                       CASE WHEN ha.source_id IS NOT NULL THEN ha.holder ELSE h.holder END AS holder,
                       CASE WHEN ha.source_id IS NOT NULL THEN ha.holder_mention ELSE h.holder_mention END AS mention_r
                FROM orphans o
                LEFT JOIN held_by_agent ha ON ha.source_id = o.source_id AND ha.agent = o.agent
                                          AND ha.label = o.label
                LEFT JOIN held h ON h.source_id = o.source_id AND h.label = o.label
                WHERE ha.source_id IS NOT NULL OR h.source_id IS NOT NULL
            ),
            unique_holder AS (
                SELECT cluster FROM candidates GROUP BY cluster
                HAVING count(DISTINCT holder) = 1 AND NOT bool_or(ambiguous)
            )
            SELECT arg_min(mention_l, mention_l) AS mention_l, arg_min(mention_r, mention_l) AS mention_r,
                   NULL::VARCHAR AS line, [arg_min(label, mention_l)] AS shared_tokens
            FROM candidates JOIN unique_holder USING (cluster)
            GROUP BY cluster ORDER BY mention_l
        """, params={"kinds": list(LEDGER_KINDS)}, tables={"agents": agents})


NICKNAME_RULE = "rule: nickname of the one named user of its line"


def nickname_line_users(prepared: pa.Table, labels: np.ndarray) -> pa.Table:
    """Edges attaching a person known only by pure nicknames to the one person known by a name on their line.

    "Captain ☎" saved for a number that contact lists otherwise save as "karwan brother" and "Kârwan UK" (or that a
    seized phone's owner, a person record … holds under a full name): the number has one user known by a name,
    and a nickname — a label none of whose tokens is part of any full name in the case — is what others call
    him.  A person qualifies when all their mentions are such nicknames, and exactly one other person is named
    (a full name, or a label holding a name token) on their lines other than as a subscriber; two named users of
    a line (a group phone) leave the nickname alone.  Measured on the simulator: 61 of 64 edges right (medium 7),
    66 of 68 (medium 1).  Same columns as :func:`line_attachments` (``shared_tokens`` empty: no token is shared).
    """
    return rule_edges(prepared, labels, ["unique_id", "alias_only", "lines", "any_tokens", "any_skeletons",
                                         "record_kind"], f"""
            WITH m AS (
                SELECT p.unique_id, p.alias_only, p.lines, c.cluster, p.record_kind, p.any_tokens AS canon,
                       {TOKENS} AS tokens
                FROM prepared p JOIN clusters c USING (unique_id)
            ),
            name_tokens AS (SELECT DISTINCT unnest(canon) AS token FROM m WHERE NOT alias_only),
            named_mention AS (  -- mentions that name someone: a full name, or a label holding a name token
                SELECT m.* FROM m WHERE NOT alias_only
                   OR EXISTS (SELECT 1 FROM unnest(m.canon) AS x(token) JOIN name_tokens n ON n.token = x.token)
            ),
            nick_clusters AS (  -- persons known only by labels none of which holds a name token
                SELECT cluster FROM m GROUP BY cluster
                HAVING bool_and(alias_only) AND NOT bool_or(unique_id IN (SELECT unique_id FROM named_mention))
                   AND bool_or(lines IS NOT NULL)
            ),
            users AS (  -- per line, the persons named on it other than as subscribers
                SELECT DISTINCT unnest(lines) AS line, cluster, unique_id FROM named_mention
                WHERE lines IS NOT NULL AND record_kind IS DISTINCT FROM 'phones'
            ),
            one_user AS (SELECT line, min(cluster) AS cluster, min(unique_id) AS mention FROM users
                         GROUP BY line HAVING count(DISTINCT cluster) = 1),
            cand AS (
                SELECT DISTINCT n.cluster AS nick, o.cluster, o.mention, o.line, m.unique_id AS nick_mention
                FROM nick_clusters n JOIN m ON m.cluster = n.cluster, unnest(m.lines) AS l(line)
                JOIN one_user o ON o.line = l.line
                WHERE o.cluster <> n.cluster
            ),
            single AS (SELECT nick FROM cand GROUP BY nick HAVING count(DISTINCT cluster) = 1)
            SELECT min(c.nick_mention) AS mention_l, min(c.mention) AS mention_r, min(c.line) AS line,
                   []::VARCHAR[] AS shared_tokens
            FROM cand c JOIN single USING (nick) GROUP BY c.nick ORDER BY mention_l
        """)

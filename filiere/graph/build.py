"""Build the ``edges`` table: typed, weighted, time-stamped person–person links, all in SQL.

One row per (pair, type), the pair ordered (``person_a < person_b``), with the number of events behind it, the
first and last time seen and the sources it rests on (so handling restrictions follow the link).

Edge types and how they are derived from the resolved tables:

``call`` / ``message``
    Each end's number → its users (``line_users``: ``phone_owners`` without the subscriptions another record
    overrides, see ``filiere.graph.line_users``).  A number with several users (a shared or swapped phone)
    splits the event's weight equally between them.  A number with **no known owner** becomes a *phone actor*
    node ``PH:<E.164>``: the structure is kept (two smugglers who both call the same burner are linked through
    it) but a phone actor is not a person, so it is never a network member, a role or a target.
``payment``
    Payer and payee mention → person (``person_map``); when a side has no mapped mention, the holders of its
    account (``account_mentions.holder`` → person) stand in, the weight split between them.
``vehicle``
    Persons associated with the same plate: its registered keeper, travellers on a crossing with that plate,
    and owners of a phone seen by the same camera/place within ``SIGHTING_WINDOW_MIN`` minutes of the plate.
``crossing``
    Travellers on the same crossing incident (co-travel).
``statement``
    A witness naming a subject (witness → subject).
``contact``
    A seized phone's owner (mention, else the device number's owners) → each saved contact (mention, else the
    contact number's owners, else a phone actor).

Group-derived links (vehicle, crossing) are weighted 1/(k − 1) per group of k persons (Newman's
collaboration weighting), so a boat of 40 does not outweigh a phone call; **victim–victim pairs from groups are
not stored**: they say nothing about the smugglers and would make the table quadratic in boat size.  Victims
otherwise stay in the graph as evidence (a recruiter is known by who called him).

Weights are stored rounded to 9 decimals: DuckDB sums in parallel, in an order that changes from run to run, and
the same data must give the same graph (and so the same networks and ranks) every time.
"""

from __future__ import annotations

import duckdb

from filiere.graph.line_users import build_line_users

EDGE_TYPES = ("call", "message", "payment", "vehicle", "crossing", "statement", "contact")


def weight_sum(expr: str) -> str:
    """SQL summing link weights, rounded (see the module docstring): parallel sums differ in their last digits."""
    return f"round(sum({expr}), 9)"

PHONE_ACTOR_PREFIX = "PH:"
SIGHTING_WINDOW_MIN = 10

# Temp tables shared by the edge queries.
_PREPARE_SQL = f"""
CREATE OR REPLACE TEMP TABLE g_phone_actor AS
WITH used AS (
    SELECT caller AS phone FROM calls WHERE caller IS NOT NULL
    UNION SELECT callee FROM calls WHERE callee IS NOT NULL
    UNION SELECT sender FROM messages WHERE sender IS NOT NULL
    UNION SELECT recipient FROM messages WHERE recipient IS NOT NULL
    UNION SELECT contact_phone FROM contact_entries WHERE contact_phone IS NOT NULL
    UNION SELECT device_phone FROM contact_entries WHERE device_phone IS NOT NULL
)
SELECT phone, person_id AS actor, 1.0 / count(*) OVER (PARTITION BY phone) AS share, source_ids FROM line_users
UNION ALL
SELECT phone, '{PHONE_ACTOR_PREFIX}' || phone, 1.0, []::VARCHAR[] FROM used
WHERE phone NOT IN (SELECT phone FROM line_users);

CREATE OR REPLACE TEMP TABLE g_category AS SELECT person_id, category FROM persons;

CREATE OR REPLACE TEMP TABLE g_account_holder AS
WITH h AS (SELECT DISTINCT am.account, pm.person_id, am.source_id
           FROM account_mentions am JOIN person_map pm ON pm.mention_id = am.holder_mention_id
           WHERE am.account IS NOT NULL)
SELECT account, person_id, 1.0 / count(*) OVER (PARTITION BY account) AS share, [source_id] AS source_ids FROM h;
"""

# Source sets as bit masks: when the workspace has at most MASK_MAX_SOURCES sources, the sources behind each call
# or message pair are carried as one integer (bit i = i-th source) through both aggregations, and turned into a
# sorted list once per distinct mask at the end.  List aggregates over ten million pairs cost ~3x the whole
# aggregation (bench/graph_analyze.py speed); with more sources the list path below is used.
MASK_MAX_SOURCES = 64

# Events between two phone numbers: (table, first number, second number, time column).
_PHONE_EVENTS: dict[str, tuple[str, str, str, str]] = {
    "call": ("calls", "caller", "callee", "started_at"),
    "message": ("messages", "sender", "recipient", "sent_at"),
}

# Every source an edge can rest on: the workspace's sources, and (defensively) any id the events carry.
_SOURCE_IDS_SQL = """
CREATE OR REPLACE TEMP TABLE g_source_ids AS
SELECT source_id FROM sources
UNION SELECT DISTINCT source_id FROM calls UNION SELECT DISTINCT source_id FROM messages
UNION SELECT DISTINCT unnest(source_ids) FROM phone_owners
"""

_MASK_PREPARE_SQL = """
CREATE OR REPLACE TEMP TABLE g_source_ix AS
SELECT source_id, CAST(row_number() OVER (ORDER BY source_id) - 1 AS UTINYINT) AS ix
FROM g_source_ids WHERE source_id IS NOT NULL;

CREATE OR REPLACE TEMP TABLE g_phone_actor_mask AS
WITH u AS (SELECT phone, actor, share, unnest(CASE WHEN len(source_ids) = 0 THEN [NULL] ELSE source_ids END) AS sid
           FROM g_phone_actor)
SELECT phone, actor, any_value(share) AS share, coalesce(bit_or(1::UBIGINT << s.ix), 0::UBIGINT) AS mask
FROM u LEFT JOIN g_source_ix s ON s.source_id = u.sid GROUP BY phone, actor;
"""


def _phone_pairs_body(edge_type: str) -> str:
    """Events aggregated per pair of numbers (cheap), then attributed to owners: x, y, w, n, first, last, srcs."""
    table, a, b, at = _PHONE_EVENTS[edge_type]
    return f"""
        WITH pp AS (SELECT {a} AS x, {b} AS y, count(*) AS n, min({at}) AS first_at,
                           max({at}) AS last_at, list(DISTINCT source_id) AS srcs
                    FROM {table} WHERE {a} IS NOT NULL AND {b} IS NOT NULL AND {a} <> {b} GROUP BY ALL)
        SELECT x.actor, y.actor, x.share * y.share * pp.n, pp.n, pp.first_at, pp.last_at,
               list_concat(pp.srcs, x.source_ids, y.source_ids)
        FROM pp JOIN g_phone_actor x ON x.phone = pp.x JOIN g_phone_actor y ON y.phone = pp.y"""


def _phone_pairs_masked_insert(edge_type: str) -> str:
    """The same edges as ``_phone_pairs_body`` + ``_preaggregated_insert``, with source sets as bit masks."""
    table, a, b, at = _PHONE_EVENTS[edge_type]
    return f"""
    INSERT INTO edges (person_a, person_b, edge_type, weight, n_events, first_at, last_at, source_ids, run_id)
    WITH pp AS (SELECT {a} AS x, {b} AS y, count(*) AS n, min({at}) AS first_at, max({at}) AS last_at,
                       bit_or(1::UBIGINT << s.ix) AS mask
                FROM {table} JOIN g_source_ix s USING (source_id)
                WHERE {a} IS NOT NULL AND {b} IS NOT NULL AND {a} <> {b} GROUP BY ALL),
    ev AS (SELECT x.actor AS x, y.actor AS y, x.share * y.share * pp.n AS w, pp.n, pp.first_at, pp.last_at,
                  pp.mask | x.mask | y.mask AS mask
           FROM pp JOIN g_phone_actor_mask x ON x.phone = pp.x JOIN g_phone_actor_mask y ON y.phone = pp.y),
    agg AS (SELECT least(x, y) AS a, greatest(x, y) AS b, {weight_sum('w')} AS w, sum(n) AS n,
                   min(first_at) AS first_at, max(last_at) AS last_at, bit_or(mask) AS mask
            FROM ev WHERE x IS NOT NULL AND y IS NOT NULL AND x <> y GROUP BY least(x, y), greatest(x, y)),
    mask_list AS (SELECT m.mask, list(s.source_id ORDER BY s.source_id) AS srcs
                  FROM (SELECT DISTINCT mask FROM agg) m JOIN g_source_ix s ON (m.mask >> s.ix) & 1 = 1
                  GROUP BY m.mask)
    SELECT a, b, '{edge_type}', w, n, first_at, last_at, coalesce(ml.srcs, []::VARCHAR[]), $run_id
    FROM agg LEFT JOIN mask_list ml USING (mask)"""


def _side(name: str, table: str, slot: str, fallback: str, fallback_actor: str, fallback_key: str,
          own_key: str) -> str:
    """One side of an event as actors: the slot's mention → person (``person_map``); when the slot has no mapped
    mention, the actors of a fallback lookup (account holders, phone owners) on the event's key column, the weight
    split between them. Columns: event_id, actor, share, extra source ids."""
    mention = f"e.{slot}_mention_id"
    return f"""{name} AS (
            SELECT e.event_id, pm.person_id AS actor, 1.0 AS share, []::VARCHAR[] AS extra
            FROM {table} e JOIN person_map pm ON pm.mention_id = {mention}
            UNION ALL
            SELECT e.event_id, f.{fallback_actor}, f.share, f.source_ids
            FROM {table} e JOIN {fallback} f ON f.{fallback_key} = e.{own_key}
            WHERE {mention} IS NULL OR {mention} NOT IN (SELECT mention_id FROM person_map)
        )"""


# Pairwise event edges (one row per event and pair of actors): columns x, y, share, at, src, extra source ids.
_PAIRWISE: dict[str, str] = {
    "payment": f"""
        WITH {_side("payer", "payments", "payer", "g_account_holder", "person_id", "account", "payer_account")},
        {_side("payee", "payments", "payee", "g_account_holder", "person_id", "account", "payee_account")}
        SELECT x.actor, y.actor, x.share * y.share, e.paid_at, e.source_id, list_concat(x.extra, y.extra)
        FROM payments e JOIN payer x USING (event_id) JOIN payee y USING (event_id)""",
    "statement": """
        SELECT w.person_id, s.person_id, 1.0, e.said_at, e.source_id, []::VARCHAR[]
        FROM statements e JOIN person_map w ON w.mention_id = e.witness_mention_id
        JOIN person_map s ON s.mention_id = e.subject_mention_id""",
    "contact": f"""
        WITH {_side("owner", "contact_entries", "owner", "g_phone_actor", "actor", "phone", "device_phone")},
        {_side("contact", "contact_entries", "contact", "g_phone_actor", "actor", "phone", "contact_phone")}
        SELECT x.actor, y.actor, x.share * y.share, NULL::TIMESTAMP, e.source_id, list_concat(x.extra, y.extra)
        FROM contact_entries e JOIN owner x USING (event_id) JOIN contact y USING (event_id)""",
}

# Group memberships: columns grp, person_id, at, src, one row per person's association with the group.
_GROUPS: dict[str, str] = {
    "vehicle": f"""
        SELECT v.plate AS grp, pm.person_id, NULL::TIMESTAMP AS at_, v.source_id AS src
        FROM vehicle_mentions v JOIN person_map pm ON pm.mention_id = v.keeper_mention_id WHERE v.plate IS NOT NULL
        UNION ALL
        SELECT c.plate, pm.person_id, c.occurred_at, c.source_id
        FROM crossings c JOIN person_map pm ON pm.mention_id = c.traveller_mention_id WHERE c.plate IS NOT NULL
        UNION ALL
        SELECT sp.plate, a.actor, sp.seen_at, sp.source_id
        FROM sightings sp JOIN sightings sf
             ON coalesce(sf.camera_id, sf.place) = coalesce(sp.camera_id, sp.place)
            AND sf.seen_at BETWEEN sp.seen_at - INTERVAL {SIGHTING_WINDOW_MIN} MINUTE
                               AND sp.seen_at + INTERVAL {SIGHTING_WINDOW_MIN} MINUTE
        JOIN g_phone_actor a ON a.phone = sf.phone AND NOT starts_with(a.actor, '{PHONE_ACTOR_PREFIX}')
        WHERE sp.plate IS NOT NULL AND sf.phone IS NOT NULL AND coalesce(sp.camera_id, sp.place) IS NOT NULL""",
    "crossing": """
        SELECT c.incident_ref AS grp, pm.person_id, c.occurred_at AS at_, c.source_id AS src
        FROM crossings c JOIN person_map pm ON pm.mention_id = c.traveller_mention_id
        WHERE c.incident_ref IS NOT NULL""",
}


def _preaggregated_insert(edge_type: str, body: str) -> str:
    return f"""
    INSERT INTO edges (person_a, person_b, edge_type, weight, n_events, first_at, last_at, source_ids, run_id)
    WITH ev(x, y, w, n, first_at, last_at, srcs) AS ({body})
    SELECT least(x, y), greatest(x, y), '{edge_type}', {weight_sum('w')}, sum(n), min(first_at), max(last_at),
           list_sort(list_distinct(flatten(list(srcs)))), $run_id
    FROM ev WHERE x IS NOT NULL AND y IS NOT NULL AND x <> y
    GROUP BY least(x, y), greatest(x, y)"""


def _pairwise_insert(edge_type: str, body: str) -> str:
    return f"""
    INSERT INTO edges (person_a, person_b, edge_type, weight, n_events, first_at, last_at, source_ids, run_id)
    WITH ev(x, y, share, at_, src, extra) AS ({body})
    SELECT least(x, y), greatest(x, y), '{edge_type}', {weight_sum('share')}, count(*), min(at_), max(at_),
           list_sort(list_distinct(list_concat(list(DISTINCT src), flatten(list(extra))))), $run_id
    FROM ev WHERE x IS NOT NULL AND y IS NOT NULL AND x <> y
    GROUP BY least(x, y), greatest(x, y)"""


def _group_insert(edge_type: str, body: str) -> str:
    # members: one row per (group, person); victim–victim pairs are dropped (see module docstring).
    return f"""
    INSERT INTO edges (person_a, person_b, edge_type, weight, n_events, first_at, last_at, source_ids, run_id)
    WITH assoc(grp, person_id, at_, src) AS ({body}),
    members AS (
        SELECT grp, person_id, min(at_) AS first_at, max(at_) AS last_at, list(DISTINCT src) AS srcs,
               coalesce(any_value(c.category), 'unknown') = 'victim' AS is_victim
        FROM assoc LEFT JOIN g_category c USING (person_id)
        WHERE grp IS NOT NULL AND person_id IS NOT NULL GROUP BY grp, person_id
    ),
    sized AS (SELECT *, count(*) OVER (PARTITION BY grp) AS k FROM members),
    pairs AS (
        SELECT x.person_id AS a, y.person_id AS b, 1.0 / (x.k - 1) AS w,
               least(x.first_at, y.first_at) AS first_at, greatest(x.last_at, y.last_at) AS last_at,
               list_concat(x.srcs, y.srcs) AS srcs
        FROM sized x JOIN sized y ON x.grp = y.grp AND x.person_id < y.person_id
        WHERE NOT (x.is_victim AND y.is_victim)
    )
    SELECT a, b, '{edge_type}', {weight_sum('w')}, count(*), min(first_at), max(last_at),
           list_sort(list_distinct(flatten(list(srcs)))), $run_id
    FROM pairs GROUP BY a, b"""


def build_edges(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Replace the ``edges`` table from the resolved tables; returns the number of edges of each type.

    Run it inside the analyze stage's transaction.
    """
    con.execute("DELETE FROM edges")
    build_line_users(con)
    for stmt in _PREPARE_SQL.split(";"):
        if stmt.strip():
            con.execute(stmt)
    con.execute(_SOURCE_IDS_SQL)
    n_sources = con.execute("SELECT count(*) FROM g_source_ids WHERE source_id IS NOT NULL").fetchone()[0]
    masked = n_sources <= MASK_MAX_SOURCES
    if masked:
        for stmt in _MASK_PREPARE_SQL.split(";"):
            if stmt.strip():
                con.execute(stmt)
    for edge_type in _PHONE_EVENTS:
        sql = (_phone_pairs_masked_insert(edge_type) if masked
               else _preaggregated_insert(edge_type, _phone_pairs_body(edge_type)))
        con.execute(sql, {"run_id": run_id})
    for edge_type, body in _PAIRWISE.items():
        con.execute(_pairwise_insert(edge_type, body), {"run_id": run_id})
    for edge_type, body in _GROUPS.items():
        con.execute(_group_insert(edge_type, body), {"run_id": run_id})
    counts = dict(con.execute("SELECT edge_type, count(*) FROM edges GROUP BY edge_type").fetchall())
    return {t: int(counts.get(t, 0)) for t in EDGE_TYPES}


def is_phone_actor(node_id: str) -> bool:
    return node_id.startswith(PHONE_ACTOR_PREFIX)

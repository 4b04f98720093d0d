"""Phones: one node per E.164 number, who owns it, and scored evidence of swapped phones.

A *swap* is a new number that takes over the contacts of a number that went silent.  Candidates are pairs of
numbers sharing at least ``min_shared`` contacts (counterparts with more than ``hub_limit`` distinct contacts
— switchboards, mass-texters — are ignored as uninformative), where the new number starts after the old one
and the old one goes silent at most ``max_overlap_days`` after the new one's first event and at most
``max_gap_days`` before it:

    score = Jaccard(contacts_old, contacts_new) × time factor

where the time factor is 1 for a gap up to ``grace_days`` and falls linearly to 0 at ``max_gap_days``.  Pairs
that called or messaged each other are not swaps (score 0).  Every candidate is stored in ``phone_links``
with its evidence.  A link is merged (the two numbers form one *line*: the new number is attributed to the
old number's owners and vice versa, and the person model compares lines) when

* its score reaches ``merge_threshold``;
* it is the best link of both numbers, ranked by shared contacts weighted by rarity (a contact of few
  numbers, 1 / ln(1 + its contacts), says more than a busy one);
* the names and labels tied to the two numbers (subscribers, contact-list labels, owners…) do not disagree:
  when both numbers carry names, they share a canonical token.

Defaults measured on the simulator's medium world (docs/benchmarks.md, "Phone swaps").

All of it is SQL over the workspace tables; it runs inside the resolve stage's transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import duckdb
import phonenumbers
import pyarrow as pa


@dataclass(frozen=True)
class SwapParams:
    min_shared: int = 2
    max_gap_days: float = 21.0
    grace_days: float = 7.0
    max_overlap_days: float = 1.0
    hub_limit: int = 200
    merge_threshold: float = 0.05

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


_PHONE_OCCURRENCES_SQL = """
SELECT phone, source_id, NULL::TIMESTAMP AS event_at FROM person_mentions WHERE phone IS NOT NULL
UNION ALL SELECT phone, source_id, NULL FROM phone_mentions WHERE phone IS NOT NULL
UNION ALL SELECT device_phone, source_id, NULL FROM contact_entries WHERE device_phone IS NOT NULL
UNION ALL SELECT contact_phone, source_id, NULL FROM contact_entries WHERE contact_phone IS NOT NULL
UNION ALL SELECT phone, source_id, seen_at FROM sightings WHERE phone IS NOT NULL
UNION ALL SELECT phone, source_id, event_at FROM phone_events
"""

_EVENTS_SQL = """
CREATE OR REPLACE TEMP TABLE phone_events AS
SELECT caller AS phone, callee AS other, started_at AS event_at, source_id FROM calls
    WHERE caller IS NOT NULL AND callee IS NOT NULL
UNION ALL SELECT callee, caller, started_at, source_id FROM calls WHERE caller IS NOT NULL AND callee IS NOT NULL
UNION ALL SELECT sender, recipient, sent_at, source_id FROM messages WHERE sender IS NOT NULL AND recipient IS NOT NULL
UNION ALL SELECT recipient, sender, sent_at, source_id FROM messages WHERE sender IS NOT NULL AND recipient IS NOT NULL
"""


def _country_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table of country calling code → main region (ISO alpha-2), from phonenumbers' metadata."""
    rows = [(str(cc), phonenumbers.region_code_for_country_code(cc))
            for cc in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)]
    con.execute("CREATE OR REPLACE TEMP TABLE calling_codes (cc VARCHAR, region VARCHAR)")
    con.executemany("INSERT INTO calling_codes VALUES (?, ?)", [r for r in rows if r[1] != "001"])


def build_phone_events(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``phone_events (phone, other, event_at, source_id)``: each call or message seen from both ends."""
    con.execute(_EVENTS_SQL)


def build_phones(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Fill ``phones`` (expects the stage to have emptied it, and ``phone_events`` to be built); returns the
    number of phones."""
    _country_codes(con)
    con.execute(f"""
        INSERT INTO phones (phone, country, n_events, first_seen, last_seen, source_ids, run_id)
        WITH occ AS ({_PHONE_OCCURRENCES_SQL}),
        ev AS (SELECT phone, count(*) AS n FROM phone_events GROUP BY phone),
        agg AS (SELECT phone, min(event_at) AS first_seen, max(event_at) AS last_seen,
                       list_sort(list(DISTINCT source_id)) AS source_ids FROM occ GROUP BY phone),
        region AS (
            SELECT phone, arg_max(region, length(cc)) AS country
            FROM agg JOIN calling_codes ON starts_with(phone, '+' || cc) GROUP BY phone
        )
        SELECT agg.phone, region.country, coalesce(ev.n, 0), first_seen, last_seen, source_ids, ?
        FROM agg LEFT JOIN ev USING (phone) LEFT JOIN region USING (phone)
    """, [run_id])
    return int(con.execute("SELECT count(*) FROM phones").fetchall()[0][0])


def score_swaps(con: duckdb.DuckDBPyConnection, params: SwapParams = SwapParams(),
                name_tokens: pa.Table | None = None) -> None:
    """Temp table ``swap_candidates`` (the columns of ``phone_links`` but ``run_id``): every scored candidate.

    Needs ``phone_events`` (:func:`build_phone_events`).  ``name_tokens`` (``phone``, ``tokens``:
    :func:`filiere.resolve.prepare.phone_name_tokens`) gives the canonical name tokens tied to each number;
    a candidate whose two numbers both carry names that share no token is never merged.  Does not read
    persons: the resolve stage runs it before matching persons, so that merged swaps can join the numbers of
    one line (:func:`swap_lines`).
    """
    p = params
    tokens = name_tokens if name_tokens is not None else pa.table(
        {"phone": pa.array([], pa.string()), "tokens": pa.array([], pa.list_(pa.string())),
         "user_tokens": pa.array([], pa.list_(pa.string()))})
    con.execute("SELECT 1").fetchall()
    con.register("swap_name_tokens", tokens)
    try:
        con.execute("""
            CREATE OR REPLACE TEMP TABLE swap_candidates AS
            WITH act AS (SELECT phone, min(event_at) AS first_at, max(event_at) AS last_at,
                                list(DISTINCT source_id) AS source_ids FROM phone_events GROUP BY phone),
            cs AS (SELECT DISTINCT phone, other FROM phone_events),
            deg AS (SELECT phone, count(*) AS n_contacts FROM cs GROUP BY phone),
            informative AS (
                SELECT cs.*, 1.0 / ln(1 + d.n_contacts) AS weight
                FROM cs JOIN deg d ON d.phone = cs.other WHERE d.n_contacts <= $hub_limit
            ),
            shared AS (
                SELECT a.phone AS phone_old, b.phone AS phone_new, count(*) AS n_shared, sum(a.weight) AS weight
                FROM informative a JOIN informative b ON a.other = b.other AND a.phone <> b.phone
                GROUP BY ALL HAVING count(*) >= $min_shared
            ),
            direct AS (SELECT phone, other, count(*) AS n FROM phone_events GROUP BY ALL),
            cand AS (
                SELECT s.phone_old, s.phone_new, s.n_shared, s.weight, dold.n_contacts AS contacts_old,
                       dnew.n_contacts AS contacts_new,
                       s.n_shared / (dold.n_contacts + dnew.n_contacts - s.n_shared) AS jaccard,
                       epoch(anew.first_at - aold.last_at) / 86400.0 AS gap_days,
                       aold.last_at AS old_last_seen, anew.first_at AS new_first_seen,
                       coalesce(dir.n, 0) AS direct_events,
                       list_distinct(list_concat(aold.source_ids, anew.source_ids)) AS source_ids
                FROM shared s
                JOIN act aold ON aold.phone = s.phone_old
                JOIN act anew ON anew.phone = s.phone_new
                JOIN deg dold ON dold.phone = s.phone_old
                JOIN deg dnew ON dnew.phone = s.phone_new
                LEFT JOIN direct dir ON dir.phone = s.phone_old AND dir.other = s.phone_new
                WHERE aold.first_at < anew.first_at AND aold.last_at < anew.last_at
                  AND epoch(anew.first_at - aold.last_at) / 86400.0 BETWEEN -$max_overlap AND $max_gap
            ),
            named AS (
                SELECT c.*, CASE WHEN t_old.tokens IS NULL OR t_new.tokens IS NULL THEN 'unknown'
                                 WHEN len(list_intersect(t_old.tokens, t_new.tokens)) > 0 THEN 'agree'
                                 WHEN len(t_old.user_tokens) > 0 AND len(t_new.user_tokens) > 0 THEN 'disagree'
                                 ELSE 'unknown' END AS names
                FROM cand c
                LEFT JOIN swap_name_tokens t_old ON t_old.phone = c.phone_old
                LEFT JOIN swap_name_tokens t_new ON t_new.phone = c.phone_new
            ),
            scored AS (
                SELECT *, CASE WHEN direct_events > 0 THEN 0.0
                               ELSE jaccard * least(1.0, greatest(0.0,
                                    ($max_gap - greatest(gap_days, $grace)) / ($max_gap - $grace)))
                          END AS score
                FROM named
            ),
            ranked AS (  -- the best successor / predecessor by rarity-weighted shared contacts
                SELECT *, row_number() OVER (PARTITION BY phone_new ORDER BY direct_events > 0, weight DESC,
                                             phone_old) AS rk_new,
                          row_number() OVER (PARTITION BY phone_old ORDER BY direct_events > 0, weight DESC,
                                             phone_new) AS rk_old
                FROM scored
            )
            SELECT phone_old, phone_new, round(score, 6) AS score,
                   json_object('shared_contacts', n_shared, 'contacts_old', contacts_old,
                               'contacts_new', contacts_new, 'jaccard', round(jaccard, 4),
                               'shared_weight', round(weight, 4),
                               'silence_gap_days', round(gap_days, 2),
                               'old_last_seen', strftime(old_last_seen, '%Y-%m-%dT%H:%M:%S'),
                               'new_first_seen', strftime(new_first_seen, '%Y-%m-%dT%H:%M:%S'),
                               'direct_events_between', direct_events, 'overlap', gap_days < 0,
                               'best_successor_and_predecessor', rk_new = 1 AND rk_old = 1,
                               'names_tied_to_both', names)::VARCHAR AS evidence,
                   false AS merged, weight AS shared_weight, names, n_shared,

                   list_sort(source_ids) AS source_ids
            FROM ranked
        """, {"hub_limit": p.hub_limit, "min_shared": p.min_shared, "max_gap": p.max_gap_days,
              "grace": p.grace_days, "max_overlap": p.max_overlap_days})
    finally:
        con.unregister("swap_name_tokens")
    _choose_merged(con, p)


def _choose_merged(con: duckdb.DuckDBPyConnection, p: SwapParams) -> None:
    """Mark the merged links of ``swap_candidates``: a greedy one-to-one matching of old to new numbers.

    Eligible links: score at least ``merge_threshold`` (so no direct contact between the two numbers) and
    names tied to both numbers not disagreeing.  Taken by rarity-weighted shared contacts, strongest first;
    a link is refused once its old number has a successor or its new number a predecessor.  Candidates are
    few (pairs of numbers that share contacts within weeks), so the matching runs in Python.
    """
    rows = con.execute("""
        SELECT phone_old, phone_new FROM swap_candidates
        WHERE score > 0 AND score >= $threshold AND names <> 'disagree'
        ORDER BY shared_weight DESC, score DESC, phone_old, phone_new
    """, {"threshold": p.merge_threshold}).fetchall()
    has_successor: set[str] = set()
    has_predecessor: set[str] = set()
    chosen = []
    for old, new in rows:
        if old in has_successor or new in has_predecessor:
            continue
        has_successor.add(old)
        has_predecessor.add(new)
        chosen.append((old, new))
    con.execute("SELECT 1").fetchall()
    con.register("swap_chosen", pa.table({"phone_old": pa.array([c[0] for c in chosen], pa.string()),
                                          "phone_new": pa.array([c[1] for c in chosen], pa.string())}))
    try:
        con.execute("""
            UPDATE swap_candidates s SET merged = true
            FROM swap_chosen c WHERE c.phone_old = s.phone_old AND c.phone_new = s.phone_new
        """)
    finally:
        con.unregister("swap_chosen")


def swap_lines(con: duckdb.DuckDBPyConnection) -> int:
    """Temp table ``phone_lines (phone, line)``: the numbers joined by merged swaps, each with its line's id.

    A line is a chain of numbers one user went through (connected by merged links of ``swap_candidates``);
    its id is its smallest number.  Only numbers in a chain are listed.  Returns the number of chains.
    The merged links are few (at most one per number and direction), so the components are found in Python.
    """
    links = con.execute("SELECT phone_old, phone_new FROM swap_candidates WHERE merged").fetchall()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    rows = [(phone, find(phone)) for phone in parent]
    con.execute("CREATE OR REPLACE TEMP TABLE phone_lines (phone VARCHAR, line VARCHAR)")
    if rows:
        con.executemany("INSERT INTO phone_lines VALUES (?, ?)", rows)
    return len({line for _, line in rows})


def write_swap_links(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Fill ``phone_links`` from ``swap_candidates`` (:func:`score_swaps`); returns the number of links."""
    con.execute("""
        INSERT INTO phone_links (phone_old, phone_new, score, evidence, merged, source_ids, run_id)
        SELECT phone_old, phone_new, score, evidence, merged, source_ids, ? FROM swap_candidates
    """, [run_id])
    return int(con.execute("SELECT count(*) FROM phone_links").fetchall()[0][0])


def detect_swaps(con: duckdb.DuckDBPyConnection, run_id: str, params: SwapParams = SwapParams()) -> int:
    """Score swap candidates and fill ``phone_links`` (needs ``phone_events``); returns the number of links."""
    score_swaps(con, params)
    return write_swap_links(con, run_id)


def build_phone_owners(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Fill ``phone_owners`` from mentions' phones, subscriber records, seized devices, contact lists and
    merged swap links (needs ``person_map`` and ``phone_links`` of this run)."""
    con.execute("""
        INSERT INTO phone_owners (phone, person_id, evidence, source_ids, run_id)
        WITH direct AS (
            SELECT pm.phone, m.person_id,
                   CASE WHEN pm.slot = 'person' THEN 'person record'
                        ELSE pm.slot || ' in ' || pm.record_kind END AS evidence, pm.source_id
            FROM person_mentions pm JOIN person_map m USING (mention_id) WHERE pm.phone IS NOT NULL
            UNION ALL
            SELECT ph.phone, m.person_id, 'subscriber record', ph.source_id
            FROM phone_mentions ph JOIN person_map m ON m.mention_id = ph.subscriber_mention_id
            WHERE ph.phone IS NOT NULL
            UNION ALL
            SELECT ce.device_phone, m.person_id, 'seized device', ce.source_id
            FROM contact_entries ce JOIN person_map m ON m.mention_id = ce.owner_mention_id
            WHERE ce.device_phone IS NOT NULL
            UNION ALL
            SELECT ce.contact_phone, m.person_id, 'contact list entry', ce.source_id
            FROM contact_entries ce JOIN person_map m ON m.mention_id = ce.contact_mention_id
            WHERE ce.contact_phone IS NOT NULL
        ),
        swapped AS (
            SELECT l.phone_new AS phone, d.person_id, 'swap link from ' || l.phone_old AS evidence,
                   unnest(l.source_ids) AS source_id
            FROM phone_links l JOIN direct d ON d.phone = l.phone_old WHERE l.merged
            UNION ALL
            SELECT l.phone_old, d.person_id, 'swap link to ' || l.phone_new, unnest(l.source_ids)
            FROM phone_links l JOIN direct d ON d.phone = l.phone_new WHERE l.merged
        ),
        everything AS (SELECT * FROM direct UNION ALL SELECT * FROM swapped)
        SELECT phone, person_id, evidence, list_sort(list(DISTINCT source_id)), ?
        FROM everything GROUP BY phone, person_id, evidence
    """, [run_id])
    return int(con.execute("SELECT count(*) FROM phone_owners").fetchall()[0][0])

"""Phones: one node per E.164 number, who owns it, and scored evidence of swapped phones.

A *swap* is a new number that takes over the contacts of a number that went silent.  Candidates are pairs of
numbers sharing at least ``min_shared`` contacts (counterparts with more than ``hub_limit`` distinct contacts
— switchboards, mass-texters — are ignored as uninformative), where the new number starts after the old one
and the old one goes silent at most ``max_overlap_days`` after the new one's first event and at most
``max_gap_days`` before it:

    score = Jaccard(contacts_old, contacts_new) × time factor

where the time factor is 1 for a gap up to ``grace_days`` and falls linearly to 0 at ``max_gap_days``.  Two numbers
sharing fewer contacts (down to ``min_shared_named``) are candidates only when the names tied to both agree, a
suspect's record gives one of them and no victim's record gives either: a recruiter's burner numbers have a few
customers each and pass one on to the next, while migrants' phones share their recruiter or family and their
names come from small pools (medium world seed 7, one shared contact and names alike: 162 of 1,786 pairs one man's
numbers, none of the 1,340 a victim's record gives; of the 78 this rule merges, 76).  Pairs
that called or messaged each other are not swaps (score 0).  Every candidate is stored in ``phone_links``
with its evidence.  A link is merged (the two numbers form one *line*: the new number is attributed to the
old number's owners and vice versa, and the person model compares lines) when

* its score reaches ``merge_threshold``;
* it is chosen by a one-to-one matching of old to new numbers (one successor, one predecessor each) that takes the
  set of links with the largest total of shared contacts weighted by rarity (a contact of few numbers,
  1 / ln(1 + its contacts), says more than a busy one); equal totals go to links whose numbers carry agreeing
  names, then to higher scores (``matching = "greedy"``: the strongest link first, as before);
* the names and labels tied to the two numbers (contact-list labels, owners… — a subscriber's name says who
  pays, not who uses) do not disagree: when both numbers carry users' names, they share a canonical token;
* the two numbers were used in the same place: the mean positions of the cells that served each of them
  (call records with cell coordinates) are at most ``max_distance_km`` apart, and at most ``max_distance_z``
  standard errors apart (a mean of few calls is uncertain: the standard error comes from how far one number's
  cells scatter, pooled over all numbers, and how many located calls each number has) — unknown when either
  number has no located call;
* the two numbers are of one country (calling code), unless ``country_change``.

Two numbers that subscriber records place in one handset (the IMEI's first 14 digits, shared by at most
``handset_limit`` numbers) are a candidate whatever their contacts, scored 1 and matched first: a SIM moved to the
handset of the SIM before it is the investigator's strongest sign of a swap.  Time order, names, places and country
are checked as for any link.

A number the matching skipped (A → C taken, B used in between) is put back: A → B and B → C replace A → C when
both are eligible and share at least ``min_shared`` contacts (:func:`_insert_skipped`).

Then *lines* are compared (up to ``max_rounds`` rounds): the last number of a line and the first number of
another are scored again on the contacts of every number of both lines — a user's third number often calls
people his first number called and his second did not — and merged by the same rules.

Defaults measured on the simulator's medium worlds (docs/benchmarks.md, issue 4: "Third session: phone swaps
(helper)", "Thirteenth session", "Fourteenth session", "Fifteenth session"); docs/decisions.md gives the reasons.

All of it is SQL over the workspace tables; it runs inside the resolve stage's transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

import duckdb
import phonenumbers
import pyarrow as pa
from scipy.sparse import coo_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

SWAP_MATCHINGS = ("optimal", "greedy")


@dataclass(frozen=True)
class SwapParams:
    min_shared: int = 2
    # ... or this many when the names tied to both numbers agree (a recruiter's burner numbers: few contacts each)
    min_shared_named: int = 1
    max_gap_days: float = 21.0
    grace_days: float = 7.0
    # a number still used after the next one started is another man's: on ten simulated medium worlds the 58 links
    # merged with an overlap of up to a day all joined two men (two drivers "Amir" of one network sharing 11
    # contacts); data where a replaced SIM still logs a last call may set a few hours
    max_overlap_days: float = 0.0
    hub_limit: int = 200
    merge_threshold: float = 0.02
    max_distance_km: float = 10.0
    # refused too when the two mean positions are more standard errors apart than this (the standard error of a mean
    # of that many located calls, from the spread of one number's cells pooled over all numbers)
    max_distance_z: float = 5.5
    # a new number of another country (calling code) than the old one: a burner is bought where it is used; on
    # ten simulated medium worlds all 147 such merged links joined two men (data where users cross a border and
    # keep their contacts may allow it)
    country_change: bool = False
    # a handset (IMEI, first 14 digits) seen in subscriber records with at most this many numbers: a SIM moved to
    # the same handset is a swap whatever the contacts say (more numbers: a shop's or a placeholder IMEI)
    handset_limit: int = 5
    # how each round picks one successor per old number and one predecessor per new one among the eligible links:
    # "optimal" takes the set of links with the largest total rarity-weighted shared contacts (an assignment
    # problem), "greedy" the strongest link first (two men of one network changing numbers the same week: the
    # strongest link may be a cross-over that leaves both right links with a worse total)
    matching: str = "optimal"
    max_rounds: int = 5

    def __post_init__(self) -> None:
        if self.matching not in SWAP_MATCHINGS:
            raise ValueError(f"swap matching {self.matching!r}: expected one of {', '.join(SWAP_MATCHINGS)}")

    def as_dict(self) -> dict[str, float | bool | str]:
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
UNION ALL SELECT recipient, sender, sent_at, source_id FROM messages WHERE sender IS NOT NULL AND recipient IS NOT NULL;
CREATE OR REPLACE TEMP TABLE phone_contacts AS SELECT DISTINCT phone, other FROM phone_events;
"""


def _country_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table of country calling code → main region (ISO alpha-2), from phonenumbers' metadata."""
    rows = [(str(cc), phonenumbers.region_code_for_country_code(cc))
            for cc in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)]
    con.execute("CREATE OR REPLACE TEMP TABLE calling_codes (cc VARCHAR, region VARCHAR)")
    con.executemany("INSERT INTO calling_codes VALUES (?, ?)", [r for r in rows if r[1] != "001"])


def build_phone_events(con: duckdb.DuckDBPyConnection) -> None:
    """Temp tables ``phone_events (phone, other, event_at, source_id)``: each call or message seen from both ends,
    and ``phone_contacts (phone, other)``: its distinct pairs of numbers in touch (read by the swap scorer, the
    nickname rule and :func:`mentions_in_contact`)."""
    for statement in _EVENTS_SQL.split(";"):
        if statement.strip():
            con.execute(statement)


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


def _calling_codes_of(numbers: str) -> str:
    """SQL: ``phone, cc`` — the calling code of each number of the relation ``numbers`` (a ``phone`` column): the
    longest code of ``calling_codes`` (:func:`_country_codes`) that prefixes it; a number with none is left out."""
    return f"""SELECT n.phone, arg_max(c.cc, length(c.cc)) AS cc
    FROM {numbers} n JOIN calling_codes c ON starts_with(n.phone, '+' || c.cc) GROUP BY n.phone"""


_PLACES_SQL = f"""
CREATE OR REPLACE TEMP TABLE phone_places AS
WITH located AS (
    SELECT source_id, caller, callee, cell_lat, cell_lon FROM calls
    WHERE caller IS NOT NULL AND callee IS NOT NULL AND cell_lat IS NOT NULL AND cell_lon IS NOT NULL
),
numbers AS (SELECT caller AS phone FROM located UNION SELECT callee FROM located),
code AS ({_calling_codes_of("numbers")}),
party AS (
    SELECT l.source_id, l.cell_lat, l.cell_lon, l.caller, l.callee, ca.cc AS cc_caller, ce.cc AS cc_callee
    FROM located l LEFT JOIN code ca ON ca.phone = l.caller LEFT JOIN code ce ON ce.phone = l.callee
),
home AS (  -- the operator's country of each file: the calling code present in most of its rows (a tie: the
           -- smallest code, so that every run places the same numbers)
    SELECT source_id, cc FROM (
        SELECT source_id, cc, count(*) AS n FROM (
            SELECT source_id, cc_caller AS cc FROM party
            UNION ALL SELECT source_id, cc_callee FROM party WHERE cc_callee IS DISTINCT FROM cc_caller
        ) WHERE cc IS NOT NULL GROUP BY ALL
    ) QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY n DESC, cc) = 1
),
served AS (  -- the cell serves the operator's own subscriber (the caller when both are)
    SELECT CASE WHEN p.cc_caller = h.cc THEN p.caller WHEN p.cc_callee = h.cc THEN p.callee END AS phone,
           p.cell_lat, p.cell_lon
    FROM party p JOIN home h USING (source_id)
)
SELECT phone, avg(cell_lat) AS lat, avg(cell_lon) AS lon, count(*) AS n_located,
       var_samp(cell_lat * 111.2) + var_samp(cell_lon * 111.2 * cos(radians(cell_lat))) AS spread_km2
FROM served WHERE phone IS NOT NULL GROUP BY phone
"""

# the variance of one located call's position along one axis (km²), pooled over the numbers with two or more
_PLACE_SPREAD_SQL = """
CREATE OR REPLACE TEMP TABLE phone_place_spread AS
SELECT sum((n_located - 1) * spread_km2) / nullif(2 * sum(n_located - 1), 0) AS axis_variance_km2
FROM phone_places WHERE n_located >= 2
"""


def build_phone_places(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``phone_places (phone, lat, lon, n_located, spread_km2)``: where each number is usually used —
    the mean position of the cells that served it in call records that carry cell coordinates, how many calls,
    and the variance of those positions; and ``phone_place_spread (axis_variance_km2)``: the variance of one
    call's position along one axis, pooled over the numbers (how far one user's cells scatter).

    An operator's call record gives the serving cell of its own subscriber: the number of the file's country
    (the calling code present in most of the file's rows), the caller when both parties are.
    """
    _country_codes(con)
    con.execute(_PLACES_SQL)
    con.execute(_PLACE_SPREAD_SQL)


def score_swaps(con: duckdb.DuckDBPyConnection, params: SwapParams = SwapParams(),
                name_tokens: pa.Table | None = None) -> None:
    """Temp table ``swap_candidates`` (the columns of ``phone_links`` but ``run_id``): every scored candidate.

    Needs ``phone_events`` and ``phone_contacts`` (:func:`build_phone_events`).  ``name_tokens`` (``phone``, ``tokens``:
    :func:`filiere.resolve.prepare.phone_name_tokens`) gives the canonical name tokens tied to each number, and
    whether a victim's or a suspect's record gives it (``victim_side``, ``suspect_side``: missing means no);
    a candidate whose two numbers both carry users' names sharing neither a token nor a consonant skeleton is
    never merged, nor one whose numbers were used more than ``max_distance_km`` apart (``phone_places``,
    :func:`build_phone_places`).  Does not read
    persons: the resolve stage runs it before matching persons, so that merged swaps can join the numbers of
    one line (:func:`swap_lines`).

    Rounds: the first compares single numbers; each further round compares the *lines* formed so far — the
    last number of a line with the first number of another, on the contacts of every number of both lines
    (a user's correspondents of his first number often reappear on his third) — until no link is added.
    """
    p = params
    tokens = name_tokens if name_tokens is not None else pa.table(
        {"phone": pa.array([], pa.string()), "tokens": pa.array([], pa.list_(pa.string())),
         "user_tokens": pa.array([], pa.list_(pa.string())),
         "user_skeletons": pa.array([], pa.list_(pa.string()))})
    if "user_skeletons" not in tokens.column_names:
        tokens = tokens.append_column("user_skeletons", pa.array([[]] * tokens.num_rows, pa.list_(pa.string())))
    for side in ("victim_side", "suspect_side"):
        if side not in tokens.column_names:
            tokens = tokens.append_column(side, pa.array([False] * tokens.num_rows, pa.bool_()))
    build_phone_places(con)
    con.execute("SELECT 1").fetchall()
    con.register("swap_name_tokens", tokens)
    try:
        for statement in _SWAP_BASE_SQL.split(";"):
            if statement.strip():
                limits = {"hub_limit": p.hub_limit, "handset_limit": p.handset_limit}
                con.execute(statement, {k: v for k, v in limits.items() if f"${k}" in statement})
    finally:
        con.unregister("swap_name_tokens")
    con.execute("CREATE OR REPLACE TEMP TABLE swap_units AS SELECT phone, phone AS unit, 1 AS size FROM swap_act")
    con.execute("CREATE OR REPLACE TEMP TABLE swap_candidates AS " + _round_sql(1) + " LIMIT 0",
                _round_params(p))
    for round_no in range(1, p.max_rounds + 1):
        if round_no > 1:
            _units_from_merged(con)
        con.execute("CREATE OR REPLACE TEMP TABLE swap_round AS " + _round_sql(round_no), _round_params(p))
        con.execute("""
            DELETE FROM swap_candidates s USING swap_round r
            WHERE s.phone_old = r.phone_old AND s.phone_new = r.phone_new AND NOT s.merged
        """)
        con.execute("INSERT INTO swap_candidates SELECT * FROM swap_round")
        if _choose_merged(con, p) == 0:
            break


def _round_params(p: SwapParams) -> dict[str, float]:
    return {"min_shared": p.min_shared, "min_pairs": min(p.min_shared, p.min_shared_named),
            "max_gap": p.max_gap_days, "grace": p.grace_days, "max_overlap": p.max_overlap_days}


_SWAP_BASE_SQL = f"""
CREATE OR REPLACE TEMP TABLE swap_act AS
    WITH act AS (
        SELECT phone, min(event_at) AS first_at, max(event_at) AS last_at, list(DISTINCT source_id) AS source_ids
        FROM phone_events GROUP BY phone
    ),
    code AS ({_calling_codes_of("act")})
    SELECT act.*, code.cc FROM act LEFT JOIN code USING (phone);
CREATE OR REPLACE TEMP TABLE swap_handsets AS
    WITH held AS (  -- the handset is the IMEI's first 14 digits (an IMEI adds a check digit, an IMEISV two more)
        SELECT DISTINCT phone, left(imei, 14) AS handset FROM phone_mentions
        WHERE phone IS NOT NULL AND regexp_full_match(imei, '[0-9]{{14,16}}')
          AND NOT regexp_full_match(left(imei, 14), '0+')
    ),
    usable AS (SELECT handset FROM held GROUP BY handset HAVING count(*) BETWEEN 2 AND $handset_limit)
    SELECT a.phone AS phone_a, b.phone AS phone_b
    FROM held a JOIN held b ON a.handset = b.handset AND a.phone <> b.phone
    WHERE a.handset IN (SELECT handset FROM usable)
      AND a.phone IN (SELECT phone FROM swap_act) AND b.phone IN (SELECT phone FROM swap_act)
    GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE swap_informative AS
    WITH deg AS (SELECT phone, count(*) AS n_contacts FROM phone_contacts GROUP BY phone)
    SELECT cs.phone, cs.other, 1.0 / ln(1 + d.n_contacts) AS weight
    FROM phone_contacts cs JOIN deg d ON d.phone = cs.other WHERE d.n_contacts <= $hub_limit;
CREATE OR REPLACE TEMP TABLE swap_direct AS SELECT phone, other, count(*) AS n FROM phone_events GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE swap_tokens AS
    SELECT phone, tokens, coalesce(user_tokens, []) AS user_tokens, coalesce(user_skeletons, []) AS user_skeletons,
           coalesce(victim_side, false) AS victim_side, coalesce(suspect_side, false) AS suspect_side
    FROM swap_name_tokens;
"""


def _pairs_sql(source: str, having: str, round_no: int) -> str:
    """Units sharing informative contacts in ``source`` (after the first round: a unit that just grew on one side),
    with their count and rarity weight; the weight rounded: a parallel sum differs in its last digits from run to
    run, and the matching takes the heaviest first, so the order (and the lines) must not."""
    sql = f"""
        SELECT a.unit AS unit_old, b.unit AS unit_new, count(*) AS n_shared, round(sum(a.weight), 9) AS weight
        FROM {source} a JOIN {source} b ON a.other = b.other AND a.unit <> b.unit
        {"WHERE a.unit IN (SELECT unit FROM swap_changed)" if round_no > 1 else ""}
        GROUP BY ALL HAVING {having}"""
    if round_no > 1:
        sql += f"""
        UNION ALL
        SELECT a.unit, b.unit, count(*), round(sum(a.weight), 9)
        FROM {source} a JOIN {source} b ON a.other = b.other AND a.unit <> b.unit
        WHERE b.unit IN (SELECT unit FROM swap_changed) AND a.unit NOT IN (SELECT unit FROM swap_changed)
        GROUP BY ALL HAVING {having}"""
    return sql


def _round_sql(round_no: int) -> str:
    """Scored candidates between the last number of one unit (a number, or a line of merged swaps) and the
    first number of another, on the contacts of both units.  After the first round only pairs where a unit
    grew in the last round (``swap_changed``) are scored again: the others would score as before.  Pairs sharing
    fewer than ``min_shared`` contacts are looked for only among units with names and no victim's record."""
    merged = ("SELECT NULL::VARCHAR AS phone_old, NULL::VARCHAR AS phone_new WHERE false" if round_no == 1
              else "SELECT phone_old, phone_new FROM swap_candidates WHERE merged")
    return f"""
    WITH merged AS ({merged}),
    tails AS (SELECT phone, unit, size FROM swap_units WHERE phone NOT IN (SELECT phone_old FROM merged)),
    heads AS (SELECT phone, unit, size FROM swap_units WHERE phone NOT IN (SELECT phone_new FROM merged)),
    unit_informative AS (
        SELECT u.unit, i.other, max(i.weight) AS weight
        FROM swap_units u JOIN swap_informative i USING (phone) GROUP BY ALL
    ),
    named_informative AS (  -- units named by some record and given by no victim's record
        SELECT * FROM unit_informative WHERE unit IN (
            SELECT u.unit FROM swap_units u JOIN swap_tokens t USING (phone)
            GROUP BY u.unit HAVING NOT bool_or(t.victim_side))
    ),
    unit_pairs AS (
        {_pairs_sql("unit_informative", "count(*) >= $min_shared", round_no)}
        UNION ALL
        {_pairs_sql("named_informative", "count(*) >= $min_pairs AND count(*) < $min_shared", round_no)}
    ),
    handset_pairs AS (  -- units holding numbers seen in one handset
        SELECT DISTINCT ua.unit AS unit_old, ub.unit AS unit_new
        FROM swap_handsets h JOIN swap_units ua ON ua.phone = h.phone_a JOIN swap_units ub ON ub.phone = h.phone_b
        WHERE ua.unit <> ub.unit {"" if round_no == 1 else '''
          AND (ua.unit IN (SELECT unit FROM swap_changed) OR ub.unit IN (SELECT unit FROM swap_changed))'''}
    ),
    all_pairs AS (
        SELECT coalesce(c.unit_old, h.unit_old) AS unit_old, coalesce(c.unit_new, h.unit_new) AS unit_new,
               coalesce(c.n_shared, 0) AS n_shared, coalesce(c.weight, 0) AS weight,
               h.unit_old IS NOT NULL AS same_handset
        FROM unit_pairs c FULL OUTER JOIN handset_pairs h ON h.unit_old = c.unit_old AND h.unit_new = c.unit_new
    ),
    shared AS (
        SELECT ua.phone AS phone_old, ub.phone AS phone_new, p.unit_old, p.unit_new, p.n_shared, p.weight,
               p.same_handset
        FROM all_pairs p JOIN tails ua ON ua.unit = p.unit_old JOIN heads ub ON ub.unit = p.unit_new
    ),
    paired AS (SELECT DISTINCT unit_old, unit_new FROM shared),
    unit_deg AS (  -- all contacts of the units in a candidate pair, informative or not
        SELECT u.unit, count(DISTINCT c.other) AS n_contacts
        FROM swap_units u JOIN phone_contacts c USING (phone)
        WHERE u.unit IN (SELECT unit_old FROM paired UNION SELECT unit_new FROM paired) GROUP BY u.unit
    ),
    direct AS (  -- calls or messages between any number of one unit and any of the other
        SELECT p.unit_old AS unit_a, p.unit_new AS unit_b, sum(d.n) AS n
        FROM paired p JOIN swap_units ua ON ua.unit = p.unit_old JOIN swap_units ub ON ub.unit = p.unit_new
        JOIN swap_direct d ON d.phone = ua.phone AND d.other = ub.phone
        GROUP BY ALL
    ),
    cand AS (
        SELECT s.phone_old, s.phone_new, s.unit_old, s.unit_new, s.n_shared, s.weight, s.same_handset,
               dold.n_contacts AS contacts_old, dnew.n_contacts AS contacts_new,
               s.n_shared / (dold.n_contacts + dnew.n_contacts - s.n_shared) AS jaccard,
               epoch(anew.first_at - aold.last_at) / 86400.0 AS gap_days,
               aold.last_at AS old_last_seen, anew.first_at AS new_first_seen,
               coalesce(dir.n, 0) AS direct_events,
               aold.cc = anew.cc AS same_country,  -- unknown when a number has no calling code
               list_distinct(list_concat(aold.source_ids, anew.source_ids)) AS source_ids
        FROM shared s
        JOIN swap_act aold ON aold.phone = s.phone_old
        JOIN swap_act anew ON anew.phone = s.phone_new
        JOIN unit_deg dold ON dold.unit = s.unit_old
        JOIN unit_deg dnew ON dnew.unit = s.unit_new
        LEFT JOIN direct dir ON dir.unit_a = s.unit_old AND dir.unit_b = s.unit_new
        WHERE aold.first_at < anew.first_at AND aold.last_at < anew.last_at
          AND epoch(anew.first_at - aold.last_at) / 86400.0 BETWEEN -$max_overlap AND $max_gap
    ),
    located AS (
        SELECT c.*, 111.2 * sqrt(pow(pold.lat - pnew.lat, 2)
                                 + pow((pold.lon - pnew.lon) * cos(radians(pold.lat)), 2)) AS distance_km,
               sqrt(sp.axis_variance_km2 * (1.0 / pold.n_located + 1.0 / pnew.n_located)) AS distance_se_km
        FROM cand c
        LEFT JOIN phone_places pold ON pold.phone = c.phone_old
        LEFT JOIN phone_places pnew ON pnew.phone = c.phone_new
        CROSS JOIN phone_place_spread sp
    ),
    placed AS (SELECT *, distance_km / nullif(distance_se_km, 0) AS distance_z FROM located),
    unit_tokens AS (
        SELECT u.unit, list_distinct(flatten(list(t.tokens))) AS tokens,
               list_distinct(flatten(list(t.user_tokens))) AS user_tokens,
               list_distinct(flatten(list(t.user_skeletons))) AS user_skeletons,
               bool_or(t.victim_side) AS victim_side, bool_or(t.suspect_side) AS suspect_side
        FROM swap_units u JOIN swap_tokens t USING (phone) GROUP BY u.unit
    ),
    named AS (
        SELECT c.*, CASE WHEN t_old.tokens IS NULL OR t_new.tokens IS NULL THEN 'unknown'
                         WHEN len(list_intersect(t_old.tokens, t_new.tokens)) > 0 THEN 'agree'
                         WHEN len(list_intersect(t_old.user_skeletons, t_new.user_skeletons)) > 0 THEN 'similar'
                         WHEN len(t_old.user_tokens) > 0 AND len(t_new.user_tokens) > 0 THEN 'disagree'
                         ELSE 'unknown' END AS names,
               coalesce(t_old.victim_side, false) OR coalesce(t_new.victim_side, false) AS victim_side,
               coalesce(t_old.suspect_side, false) OR coalesce(t_new.suspect_side, false) AS suspect_side
        FROM placed c
        LEFT JOIN unit_tokens t_old ON t_old.unit = c.unit_old
        LEFT JOIN unit_tokens t_new ON t_new.unit = c.unit_new
    ),
    scored AS (
        SELECT *, CASE WHEN direct_events > 0 THEN 0.0
                       WHEN same_handset THEN 1.0
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
                       'names_tied_to_both', names,
                       'distance_km', round(distance_km, 1),
                       'distance_z', round(distance_z, 2),
                       'same_country', same_country,
                       'same_handset', same_handset,
                       'contacts_of_lines', {round_no} > 1)::VARCHAR AS evidence,
           false AS merged, weight AS shared_weight, names, n_shared, distance_km, distance_z, same_country,
           same_handset, {round_no} AS round,
           list_sort(source_ids) AS source_ids
    FROM ranked
    WHERE n_shared >= $min_shared  -- fewer shared contacts: a smuggler's numbers named alike, none a migrant's
       OR (names = 'agree' AND suspect_side AND NOT victim_side) OR same_handset
    """


def _units_from_merged(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute ``swap_units`` (``phone``, ``unit``, ``size``): the lines formed by the merged links so far;
    ``swap_changed`` (``unit``) lists the units that grew since the last call."""
    swap_lines(con)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE swap_units_new AS
        WITH u AS (SELECT a.phone, coalesce(l.line, a.phone) AS unit
                   FROM swap_act a LEFT JOIN phone_lines l USING (phone))
        SELECT phone, unit, count(*) OVER (PARTITION BY unit) AS size FROM u
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE swap_changed AS
        SELECT DISTINCT n.unit FROM swap_units_new n JOIN swap_units o USING (phone) WHERE n.size <> o.size
    """)
    con.execute("CREATE OR REPLACE TEMP TABLE swap_units AS SELECT * FROM swap_units_new")
    con.execute("DROP TABLE swap_units_new")


class _Link(NamedTuple):
    """An eligible swap link as the matching sees it."""
    old: str
    new: str
    weight: float   # rarity-weighted shared contacts
    handset: bool   # the two numbers seen in one handset
    tie: float      # 0 … 1, what decides between links of equal weight: names tied to both, then the score


# names tied to both numbers, from "say nothing" to "share a canonical token": a tie goes to the stronger
_NAMES_RANK = {"agree": 2, "similar": 1}


def _choose_merged(con: duckdb.DuckDBPyConnection, p: SwapParams) -> int:
    """Mark more merged links of ``swap_candidates``: a one-to-one matching of old to new numbers, then the
    numbers a chain skipped put back in it (:func:`_insert_skipped`); returns the number of links added.

    Eligible links: score at least ``merge_threshold`` (so no direct contact between the two numbers), names
    tied to both numbers not disagreeing, usual places at most ``max_distance_km`` and ``max_distance_z``
    standard errors apart, same country unless ``country_change``.  Among them, numbers that already have a
    successor (old) or a predecessor (new) from earlier rounds are out; the rest are matched by
    ``params.matching``: the largest total of rarity-weighted shared contacts (:func:`_optimal_matching`) or
    strongest first (:func:`_greedy_matching`), numbers seen in one handset first either way.  Candidates are
    few (pairs of numbers that share contacts within weeks), so the matching runs in Python.
    """
    taken = con.execute("SELECT phone_old, phone_new FROM swap_candidates WHERE merged").fetchall()
    successor = dict(taken)
    predecessor = {new: old for old, new in taken}
    rows = con.execute("""
        SELECT phone_old, phone_new, shared_weight, n_shared, same_handset, names, score FROM swap_candidates
        WHERE score > 0 AND score >= $threshold AND names <> 'disagree'
          AND coalesce(distance_km, 0) <= $max_distance AND coalesce(distance_z, 0) <= $max_z
          AND (coalesce(same_country, true) OR $country_change)
        ORDER BY same_handset DESC, shared_weight DESC, score DESC, phone_old, phone_new
    """, {"threshold": p.merge_threshold, "max_distance": p.max_distance_km, "max_z": p.max_distance_z,
          "country_change": p.country_change}).fetchall()
    free = [_Link(old, new, weight, bool(handset), (_NAMES_RANK.get(names, 0) + min(score, 1.0)) / 3)
            for old, new, weight, _, handset, names, score in rows
            if old not in successor and new not in predecessor]
    chosen = _greedy_matching(free) if p.matching == "greedy" else _optimal_matching(free)
    for old, new in chosen:
        successor[old] = new
        predecessor[new] = old
    added = len(chosen)
    # only links on two shared contacts or more put a skipped number back: one contact in common (a recruiter's
    # customer passed on, named alike) is enough for a link the matching chose, not to undo a stronger one
    added += _insert_skipped(successor, predecessor,
                             {(old, new): weight for old, new, weight, n, *_ in rows if n >= p.min_shared})
    merged = sorted(successor.items())
    if merged == sorted(taken):
        return 0
    con.execute("SELECT 1").fetchall()
    con.register("swap_chosen", pa.table({"phone_old": pa.array([m[0] for m in merged], pa.string()),
                                          "phone_new": pa.array([m[1] for m in merged], pa.string())}))
    try:
        con.execute("""
            UPDATE swap_candidates s SET merged = EXISTS (
                SELECT 1 FROM swap_chosen c WHERE c.phone_old = s.phone_old AND c.phone_new = s.phone_new)
        """)
    finally:
        con.unregister("swap_chosen")
    return added


def _greedy_matching(links: list[_Link]) -> list[tuple[str, str]]:
    """One successor per old number, one predecessor per new one: links taken in the order given (numbers seen in
    one handset first, then by rarity-weighted shared contacts, then by score), each refused once either end is
    taken."""
    successor: dict[str, str] = {}
    has_predecessor: set[str] = set()
    for link in links:
        if link.old in successor or link.new in has_predecessor:
            continue
        successor[link.old] = link.new
        has_predecessor.add(link.new)
    return list(successor.items())


# what a link's ``tie`` (0 … 1) adds to its weight in the optimal matching: matchings whose shared weights differ by
# less than this per link count as equal, and the names and scores of their links decide
_TIE_WEIGHT = 1e-6


def _optimal_matching(links: list[_Link]) -> list[tuple[str, str]]:
    """One successor per old number, one predecessor per new one, the links chosen for the largest total shared
    weight (links of numbers seen in one handset outweigh any others).  Two men of one network both "Rebwar",
    both changing numbers the same week: old₁ → new₂ may be the single strongest link (greedy takes it, and then
    old₂ → new₁), while old₁ → new₁ plus old₂ → new₂ weigh more together.  Between choices of equal total
    weight (two old numbers that shared exactly the same contacts with a new one), links whose numbers carry
    agreeing names, then links of higher score, are preferred (``tie``, scaled by ``_TIE_WEIGHT``): without it the
    solver's own order decides, and on simulated worlds that order alone moved pairwise F1 by up to 0.02.

    Solved as a sparse assignment problem (``scipy.sparse.csgraph.min_weight_full_bipartite_matching``, LAPJVsp):
    old numbers are rows, new numbers columns, plus one column per old number meaning "no successor" so that every
    row can be matched; every weight is raised by 1 (no-successor columns weigh 1), which changes no choice since
    every row takes exactly one column, and keeps the weights non-zero as the solver requires."""
    if not links:
        return []
    heavy = 1.0 + sum(max(link.weight, 0.0) for link in links)  # a handset link outweighs all contacts together
    olds = sorted({link.old for link in links})
    news = sorted({link.new for link in links})
    row = {x: i for i, x in enumerate(olds)}
    col = {x: j for j, x in enumerate(news)}
    rows = [row[link.old] for link in links] + list(range(len(olds)))
    cols = [col[link.new] for link in links] + [len(news) + i for i in range(len(olds))]
    weights = [1.0 + max(link.weight, 0.0) + _TIE_WEIGHT * link.tie + (heavy if link.handset else 0.0)
               for link in links] + [1.0] * len(olds)
    matrix = coo_array((weights, (rows, cols)), shape=(len(olds), len(news) + len(olds))).tocsr()
    picked_rows, picked_cols = min_weight_full_bipartite_matching(matrix, maximize=True)
    return sorted((olds[i], news[j]) for i, j in zip(picked_rows, picked_cols, strict=True) if j < len(news))


def _insert_skipped(successor: dict[str, str], predecessor: dict[str, str],
                    eligible: dict[tuple[str, str], float]) -> int:
    """Put back into chains the numbers they skipped; ``successor`` / ``predecessor`` are changed in place;
    returns the number of chains completed.

    A user's numbers A, B, C in turn: A and C often share more customers than A and B (B was used a short
    while), so the matching takes A → C and leaves B on its own, or at the head of a chain of its own.  When
    A → B and the chain from B to its end T → C are both in ``eligible``, B's chain lies in the silence
    between A and C (eligibility already requires each link's new number to start after its old one ended),
    so A → C is replaced by A → B … T → C.  Strongest first, by the shared weight of the two links.
    """
    options = []
    for (old, new), weight in eligible.items():
        after = successor.get(old)
        if after is None or after == new or new in predecessor:
            continue
        tail, seen = new, {new}
        while tail in successor:
            tail = successor[tail]
            if tail in seen or tail in (after, old):
                break
            seen.add(tail)
        else:
            if (tail, after) in eligible:
                options.append((-(weight + eligible[(tail, after)]), old, new, tail, after))
    inserted = 0
    for _, old, head, tail, after in sorted(options):
        if successor.get(old) != after or head in predecessor or tail in successor:
            continue
        successor[old], predecessor[head] = head, old
        successor[tail], predecessor[after] = after, tail
        inserted += 1
    return inserted


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


# ``phone_owners.evidence`` for a subscriber record; the start of a subscriber mention's own number's ("subscriber in
# phones": a mention's evidence is its slot, " in ", its record kind); the start of a swap link's ("swap link from
# +33…" / "swap link to +33…"): read by ``filiere.graph.line_users`` (a subscription is not a tie of use).
SUBSCRIBER_EVIDENCE = "subscriber record"
SUBSCRIBER_MENTION_EVIDENCE_PREFIX = "subscriber in "
SWAP_EVIDENCE_PREFIX = "swap link "


def build_phone_owners(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Fill ``phone_owners`` from mentions' phones, subscriber records, seized devices, contact lists and
    merged swap links (needs ``person_map`` and ``phone_links`` of this run)."""
    con.execute(f"""
        INSERT INTO phone_owners (phone, person_id, evidence, source_ids, run_id)
        WITH direct AS (
            SELECT pm.phone, m.person_id,
                   CASE WHEN pm.slot = 'person' THEN 'person record'
                        ELSE pm.slot || ' in ' || pm.record_kind END AS evidence, pm.source_id
            FROM person_mentions pm JOIN person_map m USING (mention_id) WHERE pm.phone IS NOT NULL
            UNION ALL
            SELECT ph.phone, m.person_id, '{SUBSCRIBER_EVIDENCE}', ph.source_id
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
            SELECT l.phone_new AS phone, d.person_id, '{SWAP_EVIDENCE_PREFIX}from ' || l.phone_old AS evidence,
                   unnest(l.source_ids) AS source_id
            FROM phone_links l JOIN direct d ON d.phone = l.phone_old WHERE l.merged
            UNION ALL
            SELECT l.phone_old, d.person_id, '{SWAP_EVIDENCE_PREFIX}to ' || l.phone_new, unnest(l.source_ids)
            FROM phone_links l JOIN direct d ON d.phone = l.phone_new WHERE l.merged
        ),
        everything AS (SELECT * FROM direct UNION ALL SELECT * FROM swapped)
        SELECT phone, person_id, evidence, list_sort(list(DISTINCT source_id)), ?
        FROM everything GROUP BY phone, person_id, evidence
    """, [run_id])
    return int(con.execute("SELECT count(*) FROM phone_owners").fetchall()[0][0])


def mentions_in_contact(con: duckdb.DuckDBPyConnection, prepared: pa.Table) -> list[tuple[str, str]]:
    """Pairs of mentions that cannot be one person: they hold two numbers that called or texted each other (one
    does not phone oneself).  One mention per number (the smallest id) stands for all its holders: keeping the
    two apart keeps apart everyone joined to either.  Needs ``phone_contacts`` (:func:`build_phone_events`);
    ``prepared`` needs ``unique_id`` and ``phones``.  Three recruiters of one network all called Karwan KARIMI,
    calling each other, stay three."""
    con.execute("SELECT 1").fetchall()
    con.register("contact_prepared", prepared.select(["unique_id", "phones"]))
    try:
        return [(a, b) for a, b in con.execute("""
            WITH held AS (
                SELECT n.phone, min(p.unique_id) AS rep
                FROM contact_prepared p, unnest(p.phones) AS n(phone) GROUP BY n.phone
            ),
            talks AS (SELECT phone, other FROM phone_contacts WHERE phone < other)
            SELECT DISTINCT a.rep, b.rep FROM talks t JOIN held a ON a.phone = t.phone JOIN held b ON b.phone = t.other
            WHERE a.rep <> b.rep ORDER BY 1, 2
        """).fetchall()]
    finally:
        con.unregister("contact_prepared")

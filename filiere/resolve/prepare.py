"""The linkage input: one row per person mention, with name features and the evidence Splink compares.

Everything here is relational except the name features, which are computed once per DISTINCT name (by
:mod:`filiere.resolve.names`) and joined back.  Columns produced (the contract of :mod:`splink_model`):

``unique_id`` (the mention id), ``source_id``, ``name_full`` (name as the source gives it), ``name_plain``
(lower-cased, trimmed: what a plain model would compare), the name features ``name_canon``, ``name_sorted``,
``name_skeleton``, ``name_tokens``, ``name_first``, ``name_last``, ``name_rare_token`` (the least frequent
canonical token of the name in this data, for blocking), ``dob_day`` (``YYYY-MM-DD`` only when the day is
known: day precision and not the 1-January placeholder), ``dob_month`` (``YYYY-MM`` when the month is known),
``dob_year`` (integer, whatever the precision), ``dob_raw`` (the date as given, placeholders included: what a
plain model compares), ``nationality``, ``gender``, ``document``, ``phones`` (every number tied to the
mention: its own, a subscriber record, the seized device it owns, the contact-list number it was saved
under), ``lines`` (the same numbers, each replaced by its line: the chain of numbers one user went through
when phone swaps were merged), ``phone`` and ``line`` (one number and its line, for blocking),
``category``, ``record_kind``; ``alias_only`` (named only
by a nickname or contact label: such a mention gets no full-name features but ``label_canon`` /
``label_tokens`` of its label cleaned by :func:`filiere.resolve.labels.clean_label`), ``any_tokens`` (label or
name tokens) and ``lines_one_name`` (its lines that no two differently named mentions hold).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from filiere.resolve.labels import clean_label

NAME_FEATURE_COLUMNS = ("name_canon", "name_sorted", "name_skeleton", "name_tokens", "name_first", "name_last",
                        "name_token_skeletons")

# Full name as the source gives it: the name, else given + family name, else the alias.
_FULL_NAME_SQL = """coalesce(
    nullif(trim(coalesce(pm.name, pm.name_raw)), ''),
    nullif(trim(concat_ws(' ', coalesce(pm.given_name, pm.given_name_raw),
                               coalesce(pm.family_name, pm.family_name_raw))), ''),
    nullif(trim(coalesce(pm.alias, pm.alias_raw)), ''))"""

# True when the mention is named only by an alias or contact-list label (no name, given or family name).
_ALIAS_ONLY_SQL = """(nullif(trim(coalesce(pm.name, pm.name_raw)), '') IS NULL
    AND nullif(trim(coalesce(pm.given_name, pm.given_name_raw)), '') IS NULL
    AND nullif(trim(coalesce(pm.family_name, pm.family_name_raw)), '') IS NULL)"""

_MENTION_PHONES_SQL = """
SELECT mention_id, phone FROM person_mentions WHERE phone IS NOT NULL
UNION SELECT subscriber_mention_id, phone FROM phone_mentions
      WHERE subscriber_mention_id IS NOT NULL AND phone IS NOT NULL
UNION SELECT owner_mention_id, device_phone FROM contact_entries
      WHERE owner_mention_id IS NOT NULL AND device_phone IS NOT NULL
UNION SELECT contact_mention_id, contact_phone FROM contact_entries
      WHERE contact_mention_id IS NOT NULL AND contact_phone IS NOT NULL
"""


def mention_base_sql() -> str:
    """SQL for the mention rows before name features (runs on the workspace connection)."""
    return f"""
    WITH ph AS ({_MENTION_PHONES_SQL}),
    phs AS (SELECT mention_id, list_sort(list(DISTINCT phone)) AS phones FROM ph GROUP BY mention_id)
    SELECT
        pm.mention_id AS unique_id,
        pm.source_id,
        {_FULL_NAME_SQL} AS name_full,
        {_ALIAS_ONLY_SQL} AS alias_only,
        nullif(lower(trim(regexp_replace({_FULL_NAME_SQL}, '\\s+', ' ', 'g'))), '') AS name_plain,
        CASE WHEN pm.birth_date_precision = 'day' AND NOT coalesce(pm.birth_date_placeholder, false)
             THEN strftime(pm.birth_date, '%Y-%m-%d') END AS dob_day,
        CASE WHEN pm.birth_date_precision IN ('day', 'month') AND NOT coalesce(pm.birth_date_placeholder, false)
             THEN strftime(pm.birth_date, '%Y-%m') END AS dob_month,
        CAST(year(pm.birth_date) AS INTEGER) AS dob_year,
        strftime(pm.birth_date, '%Y-%m-%d') AS dob_raw,
        pm.nationality,
        pm.gender,
        nullif(pm.document, '') AS document,
        coalesce(pm.phone, phs.phones[1]) AS phone,
        phs.phones AS phones,
        coalesce(pm.category, 'unknown') AS category,
        pm.record_kind
    FROM person_mentions pm LEFT JOIN phs USING (mention_id)
    """


def name_features(names: list[str]) -> pa.Table:
    """Name features of distinct names, as an Arrow table keyed by ``name_full``."""
    from filiere.resolve.names import name_feature_frame

    frame = name_feature_frame(names)
    frame = frame.rename(columns={"name": "name_full"})[["name_full", *NAME_FEATURE_COLUMNS]]
    frame["name_tokens"] = frame["name_tokens"].map(lambda t: list(t) if t is not None else [])
    frame["name_token_skeletons"] = frame["name_token_skeletons"].map(lambda t: list(t) if t is not None else [])
    text, texts = pa.string(), pa.list_(pa.string())
    schema = pa.schema([(c, texts if c in ("name_tokens", "name_token_skeletons") else text)
                        for c in ("name_full", *NAME_FEATURE_COLUMNS)])
    if frame.empty:
        return schema.empty_table()
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def mention_features(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The mention rows with their name features, before phone lines (what the swap scorer reads)."""
    con.execute("SELECT 1").fetchall()  # finish any pending result: relations refuse to run after one
    return add_name_features(con.sql(mention_base_sql()).to_arrow_table())


def prepare_mentions(con: duckdb.DuckDBPyConnection, lines: pa.Table | None = None) -> pa.Table:
    """The linkage input as an Arrow table (see the module docstring for its columns).

    ``lines`` maps numbers to their line (``phone``, ``line``: :func:`filiere.resolve.phones.swap_lines`);
    without it every number is its own line.  The resolve stage runs the two steps apart: the swap scorer
    reads :func:`mention_features`, then :func:`add_lines` adds the lines it merged.
    """
    return add_lines(mention_features(con), lines)


def label_features(labels: list[str]) -> pa.Table:
    """``label_canon`` (sorted canonical tokens), ``label_tokens`` and ``label_skeletons`` of the cleaned
    distinct labels."""
    cleaned = [clean_label(x) for x in labels]
    feats = name_features([c for c in cleaned if c])
    by_clean = dict(zip(feats.column("name_full").to_pylist(),
                        zip(feats.column("name_sorted").to_pylist(), feats.column("name_tokens").to_pylist(),
                            feats.column("name_token_skeletons").to_pylist(), strict=True), strict=True))
    canon = [by_clean[c][0] if c else None for c in cleaned]
    tokens = [by_clean[c][1] or None if c else None for c in cleaned]
    skeletons = [by_clean[c][2] or None if c else None for c in cleaned]
    return pa.table({"name_full": pa.array(labels, pa.string()), "label_canon": pa.array(canon, pa.string()),
                     "label_tokens": pa.array(tokens, pa.list_(pa.string())),
                     "label_skeletons": pa.array(skeletons, pa.list_(pa.string()))})


def add_name_features(base: pa.Table) -> pa.Table:
    """Join name features of the distinct ``name_full`` values onto ``base`` and add ``name_rare_token``.

    ``base`` needs at least ``unique_id`` and ``name_full``; with an ``alias_only`` column, the mentions named
    only by a nickname or contact label get no full-name features (their label is no full name: the name
    comparison sees them as missing) but ``label_canon`` / ``label_tokens`` of the cleaned label instead;
    ``any_tokens`` holds the label tokens or the name tokens, for comparing a label with either, and
    ``any_skeletons`` their consonant skeletons.
    Runs on a private in-memory DuckDB.
    """
    scratch = duckdb.connect()
    try:
        if "alias_only" not in base.column_names:
            base = base.append_column("alias_only", pa.array([False] * base.num_rows, pa.bool_()))
        scratch.register("base", base)
        distinct = [r[0] for r in scratch.execute(
            "SELECT DISTINCT name_full FROM base WHERE name_full IS NOT NULL AND NOT alias_only ORDER BY 1"
        ).fetchall()]
        labels = [r[0] for r in scratch.execute(
            "SELECT DISTINCT name_full FROM base WHERE name_full IS NOT NULL AND alias_only ORDER BY 1").fetchall()]
        scratch.register("feats", name_features(distinct))
        scratch.register("label_feats", label_features(labels))
        joined = scratch.sql("""
            WITH joined AS (
                SELECT b.*, f.* EXCLUDE (name_full), l.label_canon, l.label_tokens,
                       coalesce(l.label_tokens, f.name_tokens) AS any_tokens,
                       coalesce(l.label_skeletons, f.name_token_skeletons) AS any_skeletons
                FROM base b
                LEFT JOIN feats f ON f.name_full = b.name_full AND NOT b.alias_only
                LEFT JOIN label_feats l ON l.name_full = b.name_full AND b.alias_only
            ),
            tok AS (
                SELECT unique_id, unnest(name_tokens) AS token FROM joined
            ),
            freq AS (SELECT token, count(*) AS n FROM tok GROUP BY token),
            rare AS (
                SELECT unique_id, list(token ORDER BY n, length(token) DESC, token)[1] AS name_rare_token
                FROM tok JOIN freq USING (token) WHERE length(token) > 1 GROUP BY unique_id
            )
            SELECT joined.*, rare.name_rare_token
            FROM joined LEFT JOIN rare USING (unique_id)
            ORDER BY unique_id
        """).to_arrow_table()
        return joined
    finally:
        scratch.close()


def add_lines(prepared: pa.Table, lines: pa.Table | None = None) -> pa.Table:
    """Add ``lines``, ``line`` and ``lines_one_name`` to a prepared table that has ``phones`` and ``phone``.

    ``lines`` (``phone``, ``line``) maps numbers in a merged swap chain to the chain's id; other numbers are
    their own line.  ``lines_one_name`` lists the mention's lines that no two differently named mentions
    hold: a line tied to mentions of one full name only (whatever labels it was also saved under) is evidence
    of one holder; a line tied to several full names (a group phone, a straw subscriber, a family line) is
    weaker evidence.  Names are compared on their order-free canonical key, so transliterations agree.
    Columns of an earlier call are replaced.
    """
    prepared = prepared.drop_columns([c for c in ("line", "lines", "lines_one_name") if c in prepared.column_names])
    scratch = duckdb.connect()
    try:
        scratch.register("prepared_in", prepared)
        scratch.register("line_map", lines if lines is not None else pa.table(
            {"phone": pa.array([], pa.string()), "line": pa.array([], pa.string())}))
        return scratch.sql("""
            WITH numbers AS (
                SELECT p.unique_id, n.phone, coalesce(l.line, n.phone) AS line
                FROM prepared_in p, unnest(p.phones) AS n(phone)
                LEFT JOIN (SELECT phone, any_value(line) AS line FROM line_map GROUP BY phone) l
                       ON l.phone = n.phone
            ),
            per_mention AS (
                SELECT unique_id, list_sort(list(DISTINCT line)) AS lines,
                       any_value(line ORDER BY phone) AS first_line FROM numbers GROUP BY unique_id
            ),
            own AS (
                SELECT DISTINCT p.unique_id, n.line FROM prepared_in p JOIN numbers n
                    ON n.unique_id = p.unique_id AND n.phone = p.phone
            ),
            held AS (SELECT n.unique_id, n.line, p.name_sorted FROM numbers n JOIN prepared_in p USING (unique_id)),
            one_name AS (SELECT line FROM held GROUP BY line HAVING count(DISTINCT name_sorted) <= 1),
            one_name_lines AS (
                SELECT h.unique_id, list_sort(list(DISTINCT h.line)) AS lines_one_name
                FROM held h JOIN one_name USING (line) GROUP BY h.unique_id
            )
            SELECT p.*, coalesce(own.line, pm.first_line) AS line, pm.lines, o.lines_one_name
            FROM prepared_in p
            LEFT JOIN per_mention pm USING (unique_id)
            LEFT JOIN own USING (unique_id)
            LEFT JOIN one_name_lines o USING (unique_id)
            ORDER BY unique_id
        """).to_arrow_table()
    finally:
        scratch.close()


def phone_name_tokens(prepared: pa.Table) -> pa.Table:
    """``phone`` → ``tokens``: the canonical name tokens of every name and label tied to the number, and
    ``user_tokens``: those of the names and labels that say who USES it (all but the subscriber's name: a
    line is often subscribed by someone else, a relative or a straw man); ``user_skeletons``: the consonant
    skeletons of two letters or more of the users' tokens (Karuan and Karwan, Habibullah and Habiboullah share
    one; so do کاوە and Kaweh, k-v: a bare one-letter skeleton says nothing); ``victim_side`` / ``suspect_side``:
    whether a record of a victim (a migrant's crossing, statement or person record) or of a suspect gives the
    number."""
    scratch = duckdb.connect()
    try:
        scratch.register("prepared_in", prepared.select(["phones", "any_tokens", "any_skeletons", "record_kind",
                                                         "category"]))
        return scratch.sql("""
            WITH tied AS (  -- every record giving a number (a record without a name still says who gives it)
                SELECT n.phone, p.any_tokens, p.any_skeletons, p.record_kind IS DISTINCT FROM 'phones' AS user_side,
                       p.category
                FROM prepared_in p, unnest(p.phones) AS n(phone)
            ),
            tokens AS (
                SELECT phone, list_sort(list(DISTINCT t.token)) AS tokens,
                       list_sort(list(DISTINCT t.token) FILTER (WHERE user_side)) AS user_tokens
                FROM tied, unnest(tied.any_tokens) AS t(token) GROUP BY phone
            ),
            skeletons AS (
                SELECT phone, list_sort(list(DISTINCT s.skeleton)) AS user_skeletons
                FROM tied, unnest(tied.any_skeletons) AS s(skeleton)
                WHERE user_side AND tied.any_tokens IS NOT NULL AND length(s.skeleton) >= 2 GROUP BY phone
            ),
            sides AS (
                SELECT phone, bool_or(category = 'victim') AS victim_side,
                       bool_or(category IN ('suspect', 'convicted')) AS suspect_side
                FROM tied GROUP BY phone
            )
            SELECT phone, tokens, user_tokens, coalesce(user_skeletons, []) AS user_skeletons,
                   coalesce(victim_side, false) AS victim_side, coalesce(suspect_side, false) AS suspect_side
            FROM tokens LEFT JOIN skeletons USING (phone) LEFT JOIN sides USING (phone) ORDER BY phone
        """).to_arrow_table()
    finally:
        scratch.close()


# Attributes that make two mentions identical for linkage (with at least one strong identifier among them).
IDENTITY_COLUMNS = ("name_full", "dob_day", "dob_month", "dob_year", "nationality", "gender", "document", "phones")


def collapse_identical(prepared: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Collapse mentions whose linkage attributes are all identical into one record for Splink.

    Only mentions carrying a strong identifier (a phone, a document or a full birth date) collapse: two
    witnesses both called "Adam Ahmad" with nothing else are kept apart for the model to weigh.  Returns the
    record table (one row per record, ``unique_id`` = its smallest mention id) and a table
    ``mention_id → representative`` for every mention.  This keeps a seized phone's owner (named on every
    row of its contact list) from swamping the model's estimate of how often two records match.
    """
    scratch = duckdb.connect()
    try:
        scratch.register("prepared", prepared)
        key_parts = ", ".join(f"coalesce(CAST({c} AS VARCHAR), '')" for c in IDENTITY_COLUMNS)
        scratch.execute(f"""
            CREATE TABLE keyed AS
            SELECT *, CASE WHEN phones IS NOT NULL OR document IS NOT NULL OR dob_day IS NOT NULL
                           THEN md5(concat_ws('|', {key_parts})) ELSE unique_id END AS record_key
            FROM prepared
        """)
        mapping = scratch.sql("""
            SELECT unique_id AS mention_id, min(unique_id) OVER (PARTITION BY record_key) AS representative
            FROM keyed ORDER BY unique_id
        """).to_arrow_table()
        records = scratch.sql("""
            SELECT * EXCLUDE (record_key) FROM keyed
            WHERE unique_id IN (SELECT min(unique_id) FROM keyed GROUP BY record_key)
            ORDER BY unique_id
        """).to_arrow_table()
        return records, mapping
    finally:
        scratch.close()

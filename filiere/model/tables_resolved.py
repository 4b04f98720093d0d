"""Resolved entities: a mapping on top of the mentions, with the evidence for every merge.

Every derived row keeps ``source_ids``: the sources it was built from, so handling restrictions follow it.
"""

from __future__ import annotations

from filiere.model.table import C, Table

PERSONS = Table(
    "persons",
    "resolved persons",
    (
        C("person_id", "VARCHAR", "stable id (P-…), derived from the cluster's smallest mention id"),
        C("display_name", "VARCHAR", "most frequent full name among its mentions"),
        C("category", "VARCHAR", "data-subject category (victim wins over any other label)"),
        C("n_mentions", "BIGINT", ""),
        C("agencies", "VARCHAR[]", "agencies whose sources mention the person"),
        C("source_ids", "VARCHAR[]", "sources of its mentions"),
        C("run_id", "VARCHAR", "resolve run that built it"),
    ),
    primary_key=("person_id",),
    stage="resolve",
)

PERSON_MAP = Table(
    "person_map",
    "which person each person mention resolved to",
    (
        C("mention_id", "VARCHAR", ""),
        C("person_id", "VARCHAR", ""),
        C("run_id", "VARCHAR", ""),
    ),
    primary_key=("mention_id",),
    stage="resolve",
    indexes=(("person_id",),),
)

MATCH_EVIDENCE = Table(
    "match_evidence",
    "scored mention pairs that led to merges (and judged pairs), with what agreed",
    (
        C("mention_id_l", "VARCHAR", ""),
        C("mention_id_r", "VARCHAR", ""),
        C("match_weight", "DOUBLE", "log2 Bayes factor (Splink)"),
        C("match_probability", "DOUBLE", ""),
        C("features", "VARCHAR", "JSON: comparison levels that fired, name features"),
        C("decided_by", "VARCHAR", "model, judgement or rule"),
        C("run_id", "VARCHAR", ""),
    ),
    stage="resolve",
    indexes=(("mention_id_l",), ("mention_id_r",)),
)

JUDGEMENTS = Table(
    "judgements",
    "analysts' same/different decisions on mention pairs; honoured on every re-run, reversible",
    (
        C("judgement_id", "VARCHAR", ""),
        C("mention_id_a", "VARCHAR", ""),
        C("mention_id_b", "VARCHAR", ""),
        C("decision", "VARCHAR", "same or different"),
        C("reason", "VARCHAR", ""),
        C("actor", "VARCHAR", ""),
        C("decided_at", "TIMESTAMP", ""),
        C("revoked_at", "TIMESTAMP", "set when the judgement is withdrawn"),
        C("revoked_by", "VARCHAR", ""),
        C("revoke_reason", "VARCHAR", ""),
    ),
    primary_key=("judgement_id",),
    stage="resolve",
)

PHONES = Table(
    "phones",
    "one node per E.164 number",
    (
        C("phone", "VARCHAR", "E.164"),
        C("country", "VARCHAR", "ISO 3166 alpha-2 of the number's region"),
        C("n_events", "BIGINT", "calls and messages involving it"),
        C("first_seen", "TIMESTAMP", ""),
        C("last_seen", "TIMESTAMP", ""),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    primary_key=("phone",),
    stage="resolve",
)

PHONE_OWNERS = Table(
    "phone_owners",
    "which resolved person a number is attributed to, and on what evidence",
    (
        C("phone", "VARCHAR", ""),
        C("person_id", "VARCHAR", ""),
        C("evidence", "VARCHAR", "subscriber record, person record, seized device, swap link …"),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    stage="resolve",
    indexes=(("phone",), ("person_id",)),
)

PHONE_LINKS = Table(
    "phone_links",
    "scored evidence that one number replaced another (a swapped phone)",
    (
        C("phone_old", "VARCHAR", ""),
        C("phone_new", "VARCHAR", ""),
        C("score", "DOUBLE", "0..1"),
        C("evidence", "VARCHAR", "JSON: shared contacts, silence gap, overlap"),
        C("merged", "BOOLEAN", "above the merge threshold"),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    stage="resolve",
)

VEHICLES = Table(
    "vehicles",
    "one node per normalised plate",
    (
        C("plate", "VARCHAR", ""),
        C("n_mentions", "BIGINT", "registrations, sightings and crossings naming it"),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    primary_key=("plate",),
    stage="resolve",
)

ACCOUNTS = Table(
    "accounts",
    "one node per normalised account identifier",
    (
        C("account", "VARCHAR", ""),
        C("n_mentions", "BIGINT", ""),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    primary_key=("account",),
    stage="resolve",
)

RESOLVED_TABLES = (
    PERSONS, PERSON_MAP, MATCH_EVIDENCE, JUDGEMENTS, PHONES, PHONE_OWNERS, PHONE_LINKS, VEHICLES, ACCOUNTS,
)

"""Graph and analysis tables: edges, networks, members with roles, disruption plans, flags on persons."""

from __future__ import annotations

from filiere.model.table import C, Table

EDGES = Table(
    "edges",
    "person-person links aggregated from events (calls, payments, shared vehicles, co-travel, statements)",
    (
        C("person_a", "VARCHAR", "smaller person id"),
        C("person_b", "VARCHAR", "larger person id"),
        C("edge_type", "VARCHAR", "call, message, payment, vehicle, crossing, statement, contact"),
        C("weight", "DOUBLE", ""),
        C("n_events", "BIGINT", ""),
        C("first_at", "TIMESTAMP", ""),
        C("last_at", "TIMESTAMP", ""),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    stage="analyze",
    indexes=(("person_a",), ("person_b",)),
)

NETWORKS = Table(
    "networks",
    "candidate smuggling networks, ranked, with the indicators behind the score",
    (
        C("network_id", "VARCHAR", "N1, N2 … by rank"),
        C("rank", "INTEGER", ""),
        C("score", "DOUBLE", ""),
        C("n_members", "INTEGER", ""),
        C("indicators", "VARCHAR", "JSON: each indicator with its value and contribution"),
        C("explanation", "VARCHAR", "why it ranks where it does, in words"),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    primary_key=("network_id",),
    stage="analyze",
)

NETWORK_MEMBERS = Table(
    "network_members",
    "members of each network (never victims) with centralities, brokerage and a role label with reasons",
    (
        C("network_id", "VARCHAR", ""),
        C("person_id", "VARCHAR", ""),
        C("role", "VARCHAR", "organiser, broker, collector, recruiter, driver, logistics, member"),
        C("role_reasons", "VARCHAR", "JSON: the rules that fired"),
        C("key_player_rank", "INTEGER", "rank inside the network"),
        C("score", "DOUBLE", ""),
        C("degree", "DOUBLE", ""),
        C("strength", "DOUBLE", ""),
        C("betweenness", "DOUBLE", ""),
        C("eigenvector", "DOUBLE", ""),
        C("coreness", "INTEGER", ""),
        C("brokerage", "VARCHAR", "JSON: Gould-Fernandez counts"),
        C("is_broker", "BOOLEAN", "also linked into other networks"),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    stage="analyze",
    indexes=(("network_id",), ("person_id",)),
)

PLANS = Table(
    "plans",
    "disruption plans: advice to a human, with the reasons; nothing acts on a person by itself",
    (
        C("plan_id", "VARCHAR", ""),
        C("network_id", "VARCHAR", ""),
        C("strategy", "VARCHAR", ""),
        C("budget", "INTEGER", ""),
        C("targets", "VARCHAR[]", "person ids, in order"),
        C("lcc_before", "DOUBLE", "largest component size before (fraction of members)"),
        C("lcc_after", "DOUBLE", ""),
        C("efficiency_before", "DOUBLE", ""),
        C("efficiency_after", "DOUBLE", ""),
        C("lcc_after_recovery", "DOUBLE", "after the simulated re-linking"),
        C("efficiency_after_recovery", "DOUBLE", ""),
        C("reasons", "VARCHAR", "JSON"),
        C("source_ids", "VARCHAR[]", ""),
        C("created_at", "TIMESTAMP", ""),
        C("created_by", "VARCHAR", ""),
    ),
    primary_key=("plan_id",),
    stage="analyze",
)

PERSON_FLAGS = Table(
    "person_flags",
    "analysis flags on persons (e.g. probable customer: kept out of networks), with reasons; never a category change",
    (
        C("person_id", "VARCHAR", ""),
        C("flag", "VARCHAR", "probable_customer"),
        C("reasons", "VARCHAR", "JSON: the rule's conditions that held, in words"),
        C("evidence", "VARCHAR", "JSON: the counts the rule read"),
        C("network_ids", "VARCHAR[]", "networks whose members they are linked to"),
        C("source_ids", "VARCHAR[]", ""),
        C("run_id", "VARCHAR", ""),
    ),
    stage="analyze",
    indexes=(("person_id",),),
)

ANALYSIS_TABLES = (EDGES, NETWORKS, NETWORK_MEMBERS, PLANS, PERSON_FLAGS)

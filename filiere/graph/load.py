"""Load the ``edges`` table into igraph: one vertex per person (or phone actor), one edge per linked pair.

The typed edges of a pair are collapsed into one undirected edge whose ``weight`` is

    Σ over types  TYPE_WEIGHTS[type] × weight of that type

(the number of calls, messages, payments …; 1/(k−1) per shared vehicle or crossing of k persons).  Counts are
kept as they are: damping them (ln(1 + w), √w) blurred the line between a network's daily calls and the odd
call from outside it, and lowered the NMI on the simulator (docs/benchmarks.md).  Statements and contact-list
entries are assertions rather than observed interactions and count half.

Vertex attributes: ``name`` (person id or ``PH:<number>``), ``label``, ``category`` (LED category;
``phone`` for a phone actor), ``nationality`` (most frequent in the person's mentions), ``country``
(nationality, else the country of the number for a phone actor); ``unresolved`` is the category of an
id with no row in ``persons``, ``agency`` (first agency naming the person).
Edge attributes: ``weight``, ``n_events``, ``types`` (comma-separated), ``first_at``, ``last_at``.
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb
import igraph as ig
import numpy as np

from filiere.graph.build import PHONE_ACTOR_PREFIX, weight_sum

TYPE_WEIGHTS: dict[str, float] = {
    "call": 1.0, "message": 1.0, "payment": 1.0, "vehicle": 1.0, "crossing": 1.0, "statement": 0.5, "contact": 0.5,
}

WEIGHT_TRANSFORM = "e.weight"
VICTIM = "victim"
PHONE = "phone"
UNRESOLVED = "unresolved"  # an id in edges with no row in persons (structure only, never a member)


def _type_weight_sql() -> str:
    cases = " ".join(f"WHEN '{t}' THEN {w}" for t, w in TYPE_WEIGHTS.items())
    return f"CASE edge_type {cases} ELSE 1.0 END"


def load_graph(con: duckdb.DuckDBPyConnection, with_attributes: bool = True,
               edge_details: bool = False) -> ig.Graph:
    """The person graph from ``edges`` (victims included, as evidence).

    ``edge_details`` adds ``n_events``, ``types``, ``first_at`` and ``last_at`` to the edges (for export; costly
    on tens of millions of edges).
    """
    con.execute("""
        CREATE OR REPLACE TEMP TABLE g_nodes AS
        SELECT (row_number() OVER (ORDER BY id)) - 1 AS idx, id
        FROM (SELECT person_a AS id FROM edges UNION SELECT person_b FROM edges)""")
    n = int(con.execute("SELECT count(*) FROM g_nodes").fetchone()[0])
    details = (", sum(e.n_events) AS n_events, string_agg(DISTINCT e.edge_type, ',' ORDER BY e.edge_type) AS types,"
               " min(e.first_at) AS first_at, max(e.last_at) AS last_at" if edge_details else "")
    cols = con.execute(f"""
        SELECT na.idx AS a, nb.idx AS b, {weight_sum(f'{_type_weight_sql()} * {WEIGHT_TRANSFORM}')} AS weight {details}
        FROM edges e JOIN g_nodes na ON na.id = e.person_a JOIN g_nodes nb ON nb.id = e.person_b
        GROUP BY na.idx, nb.idx ORDER BY na.idx, nb.idx""").fetchnumpy()
    g = ig.Graph(n=n, edges=list(zip(cols["a"].tolist(), cols["b"].tolist(), strict=True)))
    g.es["weight"] = cols["weight"].astype(float).tolist()
    if not with_attributes:
        g.vs["name"] = [r[0] for r in con.execute("SELECT id FROM g_nodes ORDER BY idx").fetchall()]
        return g
    if edge_details:
        g.es["n_events"] = cols["n_events"].astype(np.int64).tolist()
        g.es["types"] = list(cols["types"])
        g.es["first_at"] = list(cols["first_at"])
        g.es["last_at"] = list(cols["last_at"])
    nodes = con.execute(f"""
        WITH nat AS (
            SELECT pm.person_id, mode(m.nationality) AS nationality
            FROM person_map pm JOIN person_mentions m USING (mention_id)
            WHERE m.nationality IS NOT NULL GROUP BY pm.person_id
        )
        SELECT n.id,
               CASE WHEN starts_with(n.id, '{PHONE_ACTOR_PREFIX}') THEN n.id ELSE coalesce(p.display_name, n.id) END,
               CASE WHEN starts_with(n.id, '{PHONE_ACTOR_PREFIX}') THEN '{PHONE}'
                    WHEN p.person_id IS NULL THEN '{UNRESOLVED}' ELSE coalesce(p.category, 'unknown') END,
               nat.nationality, coalesce(nat.nationality, ph.country),
               CASE WHEN len(p.agencies) > 0 THEN list_sort(p.agencies)[1] END
        FROM g_nodes n LEFT JOIN persons p ON p.person_id = n.id LEFT JOIN nat ON nat.person_id = n.id
        LEFT JOIN phones ph ON '{PHONE_ACTOR_PREFIX}' || ph.phone = n.id
        ORDER BY n.idx""").fetchall()
    for i, attr in enumerate(("name", "label", "category", "nationality", "country", "agency")):
        g.vs[attr] = [r[i] for r in nodes]
    return g


def suspect_side(g: ig.Graph, customer_side: Collection[str] = frozenset()) -> ig.Graph:
    """The graph without victims and without the persons named in ``customer_side`` (probable customers: see
    ``filiere.analyze.customers``); phone actors are kept for structure. Vertex attribute ``full_index`` maps back."""
    cats = g.vs["category"] if "category" in g.vs.attributes() else [None] * g.vcount()
    drop = set(customer_side)
    names = g.vs["name"] if drop else [None] * g.vcount()
    keep = [i for i, (c, n) in enumerate(zip(cats, names, strict=True)) if c != VICTIM and n not in drop]
    sub = g.induced_subgraph(keep)
    sub.vs["full_index"] = keep
    return sub

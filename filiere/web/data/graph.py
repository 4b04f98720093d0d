"""The link chart: neighbours of persons over visible edges (strict rule), with a guard for super-nodes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from filiere.access import Access, Scoped
from filiere.web.data.persons import cards

EDGE_TYPES = ("call", "message", "payment", "vehicle", "crossing", "statement", "contact")
DEFAULT_CAP = 25  # neighbours returned per expanded node; more are summarised, not drawn


def neighbours(db: Scoped, person_ids: list[str], types: list[str] | None = None, since: datetime | None = None,
               until: datetime | None = None, cap: int = DEFAULT_CAP) -> dict[str, Any]:
    """Edges touching the given persons, at most ``cap`` per person (the heaviest), and their end nodes."""
    filters = [Access.derived("e")]
    params: dict[str, Any] = {"ids": list(person_ids), "cap": cap}
    if types:
        filters.append("list_contains($types::VARCHAR[], e.edge_type)")
        params["types"] = list(types)
    if since:
        filters.append("e.last_at >= $since")
        params["since"] = since
    if until:
        filters.append("e.first_at <= $until")
        params["until"] = until
    where = " AND ".join(filters)
    rows = db.rows(
        f"""WITH touching AS MATERIALIZED (  -- the persons' edges first, then the access rule on those only
              SELECT e.person_a AS centre, e.person_b AS other, e.* FROM edges e
              WHERE list_contains($ids::VARCHAR[], e.person_a)
              UNION ALL
              SELECT e.person_b, e.person_a, e.* FROM edges e
              WHERE list_contains($ids::VARCHAR[], e.person_b)),
            ranked AS (
              SELECT *, row_number() OVER (PARTITION BY centre ORDER BY weight DESC, other) AS rk,
                     count(DISTINCT other) OVER (PARTITION BY centre) AS total FROM touching e WHERE {where})
            SELECT centre, other, person_a, person_b, edge_type, weight, n_events,
                   CAST(first_at AS VARCHAR) AS first_at, CAST(last_at AS VARCHAR) AS last_at, rk, total
            FROM ranked WHERE rk <= $cap ORDER BY centre, rk""",
        params,
    )
    capped: dict[str, int] = {}
    kept = []
    for r in rows:
        if r["total"] > cap:
            capped[r["centre"]] = r["total"]
        kept.append(r)
    node_ids = sorted({*person_ids, *(r["other"] for r in kept)})
    person_cards = cards(db, node_ids, with_networks=True)
    nodes = []
    for pid in node_ids:
        card = person_cards.get(pid)
        if card is None:  # an edge end the viewer may not see at all: the edge goes too
            continue
        nets = card.pop("networks")
        nodes.append({**card, "network_id": nets[0]["network_id"] if nets else None,
                      "role": nets[0]["role"] if nets else None})
    shown = {n["person_id"] for n in nodes}
    edges, seen = [], set()
    for r in kept:
        key = (r["person_a"], r["person_b"], r["edge_type"])
        if key in seen or r["person_a"] not in shown or r["person_b"] not in shown:
            continue
        seen.add(key)
        edges.append({k: r[k] for k in ("person_a", "person_b", "edge_type", "weight", "n_events", "first_at",
                                        "last_at")})
    return {"nodes": nodes, "edges": edges, "capped": capped, "cap": cap}


def edges_among(db: Scoped, person_ids: list[str]) -> list[dict[str, Any]]:
    if not person_ids:
        return []
    return db.rows(
        f"""WITH among AS MATERIALIZED (
              SELECT * FROM edges WHERE list_contains($ids::VARCHAR[], person_a)
                                    AND list_contains($ids::VARCHAR[], person_b))
            SELECT e.person_a, e.person_b, e.edge_type, e.weight, e.n_events FROM among e
            WHERE {Access.derived('e')}""",
        {"ids": list(person_ids)},
    )

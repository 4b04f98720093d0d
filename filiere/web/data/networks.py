"""Networks as the viewer may see them.

A network is listed when at least one of its sources and at least one of its member rows are visible. Its
score, indicators and explanation are shown only when *all* its sources are visible (strict rule); otherwise
the network is marked
``partial`` and only its fully visible members and edges are shown. Plans: strict rule.
"""

from __future__ import annotations

import json
from typing import Any

from filiere.access import Access, Scoped
from filiere.web.data.graph import edges_among
from filiere.web.data.persons import cards

_HAS_VISIBLE_MEMBER = f"""EXISTS (SELECT 1 FROM network_members v WHERE v.network_id = n.network_id
                                  AND {Access.derived('v')})"""


def _withhold(row: dict[str, Any], access: Access) -> dict[str, Any]:
    full = access.all_visible(row.pop("source_ids"))
    row["partial"] = not full
    if full:
        row["indicators"] = json.loads(row["indicators"]) if row.get("indicators") else {}
    else:
        row.update(score=None, indicators=None, explanation=None, n_members=None)
    return row


def listing(db: Scoped) -> list[dict[str, Any]]:
    rows = db.rows(
        f"""SELECT n.network_id, n.rank, n.score, n.n_members, n.indicators, n.explanation, n.source_ids,
                   (SELECT count(*) FROM network_members nm WHERE nm.network_id = n.network_id
                      AND {Access.derived('nm')}) AS visible_members
            FROM networks n WHERE {Access.partly('n')} AND {_HAS_VISIBLE_MEMBER} ORDER BY n.rank"""
    )
    return [_withhold(r, db.access) for r in rows]


def detail(db: Scoped, network_id: str) -> dict[str, Any] | None:
    row = db.one(
        f"""SELECT n.network_id, n.rank, n.score, n.n_members, n.indicators, n.explanation, n.source_ids
            FROM networks n WHERE n.network_id = $nid AND {Access.partly('n')} AND {_HAS_VISIBLE_MEMBER}""",
        {"nid": network_id},
    )
    if row is None:
        return None
    net = _withhold(row, db.access)
    members = db.rows(
        f"""SELECT nm.person_id, nm.role, nm.role_reasons, nm.key_player_rank, nm.score, nm.degree, nm.strength,
                   nm.betweenness, nm.eigenvector, nm.coreness, nm.is_broker
            FROM network_members nm WHERE nm.network_id = $nid AND {Access.derived('nm')}
            ORDER BY nm.key_player_rank NULLS LAST, nm.person_id""",
        {"nid": network_id},
    )
    member_cards = cards(db, [m["person_id"] for m in members])
    members = [{**m, **member_cards[m["person_id"]]} for m in members if m["person_id"] in member_cards]
    ids = [m["person_id"] for m in members]
    plans = db.rows(
        f"""SELECT p.plan_id, p.strategy, p.budget, p.targets, p.lcc_before, p.lcc_after, p.efficiency_before,
                   p.efficiency_after, p.lcc_after_recovery, p.reasons, CAST(p.created_at AS VARCHAR) AS created_at,
                   p.created_by
            FROM plans p WHERE p.network_id = $nid AND {Access.derived('p')} ORDER BY p.created_at""",
        {"nid": network_id},
    )
    return {**net, "members": members, "edges": edges_among(db, ids), "plans": plans}


def sources_of(db: Scoped, network_id: str) -> list[str]:
    """Visible sources behind a network's visible members and edges (for handling codes on exports)."""
    rows = db.rows(
        f"""SELECT DISTINCT unnest(nm.source_ids) AS sid FROM network_members nm
            WHERE nm.network_id = $nid AND {Access.derived('nm')}""",
        {"nid": network_id},
    )
    return sorted(r["sid"] for r in rows)

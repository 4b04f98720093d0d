"""Resolved entities as flat rows for export: persons (one row per mention), phones, vehicles, accounts."""

from __future__ import annotations

from collections.abc import Iterator

from filiere.errors import UsageError
from filiere.workspace import Workspace

ENTITY_QUERIES: dict[str, str] = {
    "persons": """
        SELECT s.file_name AS file, pm.source_row AS "row", pm.slot, pm.mention_id, m.person_id,
               p.display_name, p.category, p.n_mentions
        FROM person_map m JOIN person_mentions pm USING (mention_id)
        LEFT JOIN sources s ON s.source_id = pm.source_id
        LEFT JOIN persons p ON p.person_id = m.person_id
        ORDER BY file, "row", pm.slot
    """,
    "phones": """
        SELECT ph.phone, ph.country, ph.n_events, CAST(ph.first_seen AS VARCHAR) AS first_seen,
               CAST(ph.last_seen AS VARCHAR) AS last_seen,
               (SELECT string_agg(DISTINCT o.person_id, ';' ORDER BY o.person_id) FROM phone_owners o
                WHERE o.phone = ph.phone) AS person_ids,
               (SELECT string_agg(l.phone_old || '->' || l.phone_new, ';' ORDER BY l.phone_old) FROM phone_links l
                WHERE l.merged AND (l.phone_old = ph.phone OR l.phone_new = ph.phone)) AS swap_links
        FROM phones ph ORDER BY ph.phone
    """,
    "vehicles": "SELECT plate, n_mentions, array_to_string(source_ids, ';') AS source_ids FROM vehicles ORDER BY plate",
    "accounts": "SELECT account, n_mentions, array_to_string(source_ids, ';') AS source_ids FROM accounts"
                " ORDER BY account",
}


def entity_rows(ws: Workspace, entity: str, batch: int = 50_000) -> tuple[list[str], Iterator[tuple]]:
    """Column names and an iterator over the rows of one entity type."""
    if entity not in ENTITY_QUERIES:
        raise UsageError(f"unknown entity type {entity!r}; choose one of {', '.join(ENTITY_QUERIES)}")
    cur = ws.con.execute(ENTITY_QUERIES[entity])
    columns = [d[0] for d in cur.description]

    def rows() -> Iterator[tuple]:
        while chunk := cur.fetchmany(batch):
            yield from chunk

    return columns, rows()

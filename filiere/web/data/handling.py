"""Handling codes of everything an export carries: the visible sources behind its persons and links."""

from __future__ import annotations

from typing import Any

from filiere.access import Access, Scoped


def sources_of_persons(db: Scoped, person_ids: list[str]) -> list[str]:
    if not person_ids:
        return []
    rows = db.rows(
        f"""SELECT DISTINCT m.source_id FROM person_map pm JOIN person_mentions m ON m.mention_id = pm.mention_id
            WHERE list_contains($ids::VARCHAR[], pm.person_id) AND {Access.row('m')}
            UNION
            SELECT DISTINCT unnest(e.source_ids) FROM (
                SELECT source_ids FROM edges WHERE list_contains($ids::VARCHAR[], person_a)
                                               AND list_contains($ids::VARCHAR[], person_b)) e
            WHERE {Access.derived('e')}""",
        {"ids": list(person_ids)},
    )
    return sorted(r["source_id"] for r in rows)


def codes(db: Scoped, source_ids: list[str]) -> list[dict[str, Any]]:
    """One row per (agency, scheme, handling code) among these sources, with the releasable-to lists."""
    if not source_ids:
        return []
    return db.rows(
        f"""SELECT s.agency, s.grading_scheme, s.handling_code, s.partner_visibility,
                   list(DISTINCT r ORDER BY r) FILTER (WHERE r IS NOT NULL) AS releasable_to,
                   count(DISTINCT s.source_id) AS n_sources
            FROM sources s LEFT JOIN (SELECT source_id, unnest(releasable_to) AS r FROM sources) rel
                 ON rel.source_id = s.source_id
            WHERE list_contains($sids::VARCHAR[], s.source_id) AND {Access.row('s')}
            GROUP BY ALL ORDER BY s.agency, s.grading_scheme, s.handling_code""",
        {"sids": list(source_ids)},
    )


def banner(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "HANDLING: no source data"
    parts = []
    for r in rows:
        rel = f" releasable to {', '.join(r['releasable_to'])}" if r.get("releasable_to") else ""
        parts.append(f"{r['agency']} {r['grading_scheme']} {r['handling_code']}{rel}")
    return "HANDLING: " + "; ".join(parts)

"""Persons as the viewer may see them (reduced rule: recomputed from visible mentions only)."""

from __future__ import annotations

from typing import Any

from filiere.access import Access
from filiere.model.vocab import CATEGORY_PRECEDENCE
from filiere.web.data.lookup import WorkbenchDb
from filiere.web.data.provenance import SOURCE_COLUMNS


def _category(categories: list[str | None]) -> str:
    present = {c for c in categories if c}
    for c in CATEGORY_PRECEDENCE:
        if c.value in present:
            return c.value
    return "unknown"


def _display_name(names: list[dict[str, str | None]], agency: str, resolved: str | None) -> str | None:
    """The most frequent name among the visible mentions; ties go to the viewer's own agency's spelling, then
    to the spelling the resolver chose (only ever a visible name is shown), Latin script, alphabetical order."""
    counts: dict[str, int] = {}
    own: set[str] = set()
    for n in names:
        if n["name"]:
            counts[n["name"]] = counts.get(n["name"], 0) + 1
            if n["agency"] == agency:
                own.add(n["name"])
    if not counts:
        return None
    chosen = (resolved or "").casefold()
    return min(counts, key=lambda n: (-counts[n], n not in own, n.casefold() != chosen, not n.isascii(), n))


def cards(db: WorkbenchDb, person_ids: list[str], with_networks: bool = False) -> dict[str, dict[str, Any]]:
    """Name, category, agencies and mention count of each person, from the mentions the viewer may see;
    with their network memberships (strict rule) when asked. Remembered per set of visible sources."""
    found: dict[str, dict[str, Any]] = {}
    missing = []
    for pid in dict.fromkeys(person_ids):
        card = db.remembered("card", pid)
        if card is None:
            missing.append(pid)
        elif card:  # {} remembers "not visible"
            found[pid] = card
    if missing:
        computed = _compute_cards(db, missing)
        for pid in missing:
            db.remember("card", pid, computed.get(pid, {}))
        found.update(computed)
    if with_networks:
        return {pid: dict(card) for pid, card in found.items()}
    return {pid: {k: v for k, v in card.items() if k != "networks"} for pid, card in found.items()}


def _compute_cards(db: WorkbenchDb, person_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The visible mentions of each person (row rule) from the ``mentions_by_person`` lookup table, with the
    person's network memberships (strict rule); a person with no visible mention gets no card."""
    if not person_ids:
        return {}
    rows = db.rows(
        f"""WITH wanted AS (SELECT DISTINCT unnest($ids::VARCHAR[]) AS person_id),
            nets AS (
              SELECT nm.person_id, list({{'network_id': nm.network_id, 'role': nm.role,
                                           'key_player_rank': nm.key_player_rank}} ORDER BY nm.network_id) AS networks
              FROM wanted w JOIN network_members nm ON nm.person_id = w.person_id
              WHERE {Access.derived('nm')} GROUP BY nm.person_id)
            SELECT c.person_id, c.agency, c.name, c.category, c.resolved, n.networks
            FROM wanted w JOIN {db.table('mentions_by_person')} c ON c.person_id = w.person_id
            LEFT JOIN nets n ON n.person_id = c.person_id
            WHERE {Access.row('c')}""",
        {"ids": list(person_ids)},
    )
    by_person: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_person.setdefault(r["person_id"], []).append(r)
    out = {}
    for pid, mentions in by_person.items():
        first = mentions[0]
        out[pid] = {
            "person_id": pid, "name": _display_name(mentions, db.viewer.agency, first["resolved"]),
            "category": _category([m["category"] for m in mentions]), "n_mentions": len(mentions),
            "agencies": sorted({m["agency"] for m in mentions if m["agency"]}),
            "networks": first["networks"] or []}
    return out


def profile(db: WorkbenchDb, person_id: str) -> dict[str, Any] | None:
    card = cards(db, [person_id], with_networks=True).get(person_id)
    if card is None:
        return None
    mentions = db.rows(
        f"""SELECT m.mention_id, m.slot, m.record_kind, m.source_row, m.name_raw, m.given_name_raw,
                   m.family_name_raw, m.alias_raw, m.birth_date_raw, CAST(m.birth_date AS VARCHAR) AS birth_date,
                   m.nationality_raw, m.nationality,
                   m.gender, m.document_raw, m.phone_raw, m.phone, m.category_raw, m.category, m.role,
                   m.address, m.notes, {SOURCE_COLUMNS}
            FROM {db.table('mentions_by_person')} m JOIN sources s ON s.source_id = m.source_id
            WHERE m.person_id = $pid AND {Access.row('m')}
            ORDER BY s.agency, m.source_id, m.source_row""",
        {"pid": person_id},
    )
    extra = db.one(
        f"""SELECT
              (SELECT list({{'phone': o.phone, 'evidence': o.evidence}} ORDER BY o.phone) FROM phone_owners o
               WHERE o.person_id = $pid AND {Access.derived('o')}) AS phones,
              (SELECT list(DISTINCT {{'plate': v.plate, 'plate_raw': v.plate_raw, 'make': v.make, 'model': v.model,
                                      'colour': v.colour, 'source_id': s.source_id, 'agency': s.agency,
                                      'handling_code': s.handling_code}})
               FROM person_map pm JOIN vehicle_mentions v ON v.keeper_mention_id = pm.mention_id
               JOIN sources s ON s.source_id = v.source_id
               WHERE pm.person_id = $pid AND {Access.row('v')}) AS vehicles,
              (WITH touching AS MATERIALIZED (SELECT source_ids FROM edges WHERE person_a = $pid
                                               UNION ALL SELECT source_ids FROM edges WHERE person_b = $pid)
               SELECT count(*) FROM touching e WHERE {Access.derived('e')}) AS n_links""",
        {"pid": person_id},
    ) or {}
    vehicles = sorted(extra.get("vehicles") or [], key=lambda v: (v["plate"] or "", v["source_id"]))
    return {**card, "mentions": mentions, "phones": extra.get("phones") or [], "vehicles": vehicles,
            "n_links": extra.get("n_links") or 0}

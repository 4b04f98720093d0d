"""Search: names in any spelling or script, phones in any format, plates. Visible rows only."""

from __future__ import annotations

import re
from typing import Any

import duckdb

from filiere.access import Access, Scoped
from filiere.web.data.lookup import WorkbenchDb
from filiere.web.data.names import NameIndex
from filiere.web.data.persons import cards
from filiere.web.data.phones import to_e164

PLATE_RE = re.compile(r"^[A-Z0-9]{4,10}$")
MAX_RESULTS = 50
CANDIDATE_PERSONS = 10 * MAX_RESULTS  # persons ranked in Python, at most


def normalise_plate(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def search(db: WorkbenchDb, con: duckdb.DuckDBPyConnection, index: NameIndex, query: str) -> dict[str, Any]:
    q = query.strip()
    out: dict[str, Any] = {"query": q, "persons": [], "phones": [], "vehicles": []}
    if len(q) < 2:
        return out
    phone = to_e164(q)
    if phone:
        out["phones"] = _phones(db, phone)
    plate = normalise_plate(q)
    if PLATE_RE.match(plate) and any(ch.isdigit() for ch in plate):
        out["vehicles"] = _vehicles(db, plate)
    if not phone:
        out["persons"] = _persons(db, con, index, q)
    return out


def _persons(db: WorkbenchDb, con: duckdb.DuckDBPyConnection, index: NameIndex, q: str) -> list[dict[str, Any]]:
    """Persons with a visible written name that matches: same name keys (any spelling or script), or the text
    as a substring. The query reads the narrow ``search_names`` table and keeps, under the access rule, the
    ``CANDIDATE_PERSONS`` best persons (by the rank of their best key-matched name, then substring matches
    nearest in length); those are ranked by name similarity and the best ``MAX_RESULTS`` read back as cards."""
    names = index.candidates(con, q)
    rows = db.rows(
        f"""SELECT n.person_id, list(DISTINCT n.shown) AS matched_names,
                   min(coalesce(list_position($names::VARCHAR[], n.name),
                                len($names::VARCHAR[]) + 1 + abs(length(n.name) - length($lower)))) AS best
            FROM {db.table('search_names')} n
            WHERE (list_contains($names::VARCHAR[], n.name) OR contains(n.name_lower, $lower)) AND {Access.row('n')}
            GROUP BY n.person_id ORDER BY best, n.person_id LIMIT $cap""",
        {"names": names, "lower": q.lower(), "cap": CANDIDATE_PERSONS},
    )
    matched_by_person = {r["person_id"]: sorted(n for n in r["matched_names"] if n) for r in rows}
    scores = index.rank(q, sorted({n for names in matched_by_person.values() for n in names}))
    scored = [(max((scores[n] for n in matched), default=-1.0), pid, matched)
              for pid, matched in matched_by_person.items()]
    scored.sort(key=lambda x: (-x[0], x[1]))
    top = scored[:MAX_RESULTS]
    found = cards(db, [pid for _, pid, _ in top])
    return [{**found[pid], "matched_names": matched, "score": round(max(score, 0.0), 3)}
            for score, pid, matched in top if pid in found]


def _phones(db: Scoped, phone: str) -> list[dict[str, Any]]:
    from filiere.web.data.phones import known

    if not known(db, phone):
        return []
    owners = db.rows(
        f"SELECT o.person_id FROM phone_owners o WHERE o.phone = $phone AND {Access.derived('o')}",
        {"phone": phone},
    )
    owner_cards = cards(db, [o["person_id"] for o in owners])
    return [{"phone": phone, "owners": list(owner_cards.values())}]


def _vehicles(db: Scoped, plate: str) -> list[dict[str, Any]]:
    rows = db.rows(
        f"""SELECT v.plate, list(DISTINCT v.plate_raw) AS written, list(DISTINCT pm.person_id) AS keepers,
                   any_value(v.make) AS make, any_value(v.model) AS model
            FROM vehicle_mentions v LEFT JOIN person_map pm ON pm.mention_id = v.keeper_mention_id
            WHERE v.plate LIKE $plate || '%' AND {Access.row('v')} GROUP BY v.plate
            UNION ALL
            SELECT x.plate, list(DISTINCT x.plate_raw), []::VARCHAR[], NULL, NULL FROM sightings x
            WHERE x.plate LIKE $plate || '%' AND {Access.row('x')}
              AND x.plate NOT IN (SELECT plate FROM vehicle_mentions v2 WHERE {Access.row('v2')})
            GROUP BY x.plate
            LIMIT 50""",
        {"plate": plate},
    )
    for r in rows:
        ks = cards(db, [k for k in r["keepers"] if k])
        r["keepers"] = list(ks.values())
    return rows

"""Events around persons (timeline and map): calls and messages of their phones, payments, crossings,
statements and sightings of their phones and plates — visible source rows only."""

from __future__ import annotations

from typing import Any

from filiere.access import Access, Scoped

MAX_EVENTS = 1000


def around(db: Scoped, person_ids: list[str], limit: int = MAX_EVENTS) -> list[dict[str, Any]]:
    """One row per event (``person_ids``: the given persons it involves), oldest first."""
    if not person_ids:
        return []
    rows = db.rows(
        f"""WITH pm AS (SELECT mention_id, person_id FROM person_map WHERE list_contains($ids::VARCHAR[], person_id)),
            ph AS (SELECT DISTINCT o.phone, o.person_id FROM phone_owners o
                   WHERE list_contains($ids::VARCHAR[], o.person_id) AND {Access.derived('o')}),
            pl AS (SELECT DISTINCT v.plate, pm.person_id FROM vehicle_mentions v
                   JOIN pm ON v.keeper_mention_id = pm.mention_id
                   WHERE {Access.row('v')}),
            ev AS (
              SELECT 'call' AS kind, c.event_id, c.source_id, c.started_at AS ts, ph.person_id,
                     c.caller || ' → ' || c.callee || coalesce(' (' || c.duration_s || ' s)', '') AS label,
                     c.cell_lat AS lat, c.cell_lon AS lon, c.cell_id AS place
              FROM calls c JOIN ph ON ph.phone = c.caller WHERE {Access.row('c')}
              UNION ALL
              SELECT 'call', c.event_id, c.source_id, c.started_at, ph.person_id,
                     c.caller || ' → ' || c.callee || coalesce(' (' || c.duration_s || ' s)', ''),
                     c.cell_lat, c.cell_lon, c.cell_id
              FROM calls c JOIN ph ON ph.phone = c.callee WHERE {Access.row('c')}
              UNION ALL
              SELECT 'message', g.event_id, g.source_id, g.sent_at, ph.person_id,
                     g.sender || ' → ' || g.recipient || coalesce(' [' || g.channel || ']', ''), NULL, NULL, NULL
              FROM messages g JOIN ph ON ph.phone = g.sender WHERE {Access.row('g')}
              UNION ALL
              SELECT 'message', g.event_id, g.source_id, g.sent_at, ph.person_id,
                     g.sender || ' → ' || g.recipient || coalesce(' [' || g.channel || ']', ''), NULL, NULL, NULL
              FROM messages g JOIN ph ON ph.phone = g.recipient WHERE {Access.row('g')}
              UNION ALL
              SELECT 'payment', p.event_id, p.source_id, p.paid_at, pm.person_id,
                     coalesce(CAST(p.amount AS VARCHAR), '?') || ' ' || coalesce(p.currency, '') || ' via '
                       || coalesce(p.channel, '?') || coalesce(' at ' || p.place, ''), NULL, NULL, p.place
              FROM payments p JOIN pm ON pm.mention_id IN (p.payer_mention_id, p.payee_mention_id)
              WHERE {Access.row('p')}
              UNION ALL
              SELECT 'crossing', x.event_id, x.source_id, x.occurred_at, pm.person_id,
                     coalesce(x.mode, '?') || ' ' || coalesce(x.outcome, '') || coalesce(' from ' || x.place_from, ''),
                     x.lat, x.lon, x.place_from
              FROM crossings x JOIN pm ON pm.mention_id = x.traveller_mention_id WHERE {Access.row('x')}
              UNION ALL
              SELECT 'statement', t.event_id, t.source_id, t.said_at, pm.person_id,
                     coalesce(t.relation, '') || ': ' || coalesce(t.text, ''), NULL, NULL, NULL
              FROM statements t JOIN pm ON pm.mention_id IN (t.witness_mention_id, t.subject_mention_id)
              WHERE {Access.row('t')}
              UNION ALL
              SELECT 'sighting', y.event_id, y.source_id, y.seen_at, coalesce(pl.person_id, ph.person_id),
                     coalesce(y.plate_raw, y.phone) || coalesce(' at ' || y.place, ''), y.lat, y.lon, y.place
              FROM sightings y LEFT JOIN pl ON pl.plate = y.plate LEFT JOIN ph ON ph.phone = y.phone
              WHERE (pl.person_id IS NOT NULL OR ph.person_id IS NOT NULL) AND {Access.row('y')})
            SELECT ev.kind, ev.event_id, CAST(ev.ts AS VARCHAR) AS "at", ev.person_id, ev.label, ev.lat, ev.lon,
                   ev.place, s.source_id, s.agency, s.handling_code
            FROM ev JOIN sources s ON s.source_id = ev.source_id
            WHERE ev.ts IS NOT NULL ORDER BY ev.ts LIMIT $limit""",
        {"ids": list(person_ids), "limit": limit},
    )
    by_event: dict[str, dict[str, Any]] = {}
    for r in rows:
        pid = r.pop("person_id")
        event = by_event.setdefault(f"{r['kind']}:{r['event_id']}", {**r, "person_ids": []})
        if pid not in event["person_ids"]:
            event["person_ids"].append(pid)
    return list(by_event.values())


def places(db: Scoped, person_ids: list[str]) -> list[dict[str, Any]]:
    """Events with coordinates: cell sites of calls, sightings, crossing points."""
    return [e for e in around(db, person_ids) if e["lat"] is not None and e["lon"] is not None]

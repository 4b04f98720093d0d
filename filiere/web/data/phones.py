"""Phones as the viewer may see them: shown if any visible source names the number; all content from
visible rows only (subscriber records, person records, calls, messages, contact lists)."""

from __future__ import annotations

from typing import Any

import phonenumbers

from filiere.access import Access, Scoped
from filiere.web.data.persons import cards
from filiere.web.data.provenance import SOURCE_COLUMNS

DEFAULT_REGIONS = ("FR", "GB", "BE", "NL", "DE")


def to_e164(text: str, regions: tuple[str, ...] = DEFAULT_REGIONS) -> str | None:
    """A number in any usual format → E.164, or None. Tries international form first, then each region."""
    raw = text.strip()
    if sum(ch.isdigit() for ch in raw) < 6:
        return None
    for region in (None, *regions):
        try:
            num = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return None


# Visible rows naming a phone, with their source: the basis of "the viewer may know this number".
_PHONE_ROWS = f"""
SELECT x.phone, x.source_id FROM (
  SELECT phone, source_id FROM phone_mentions
  UNION ALL SELECT phone, source_id FROM person_mentions WHERE phone IS NOT NULL
  UNION ALL SELECT caller, source_id FROM calls UNION ALL SELECT callee, source_id FROM calls
  UNION ALL SELECT sender, source_id FROM messages UNION ALL SELECT recipient, source_id FROM messages
  UNION ALL SELECT contact_phone, source_id FROM contact_entries
  UNION ALL SELECT device_phone, source_id FROM contact_entries
  UNION ALL SELECT phone, source_id FROM sightings WHERE phone IS NOT NULL
) x WHERE x.phone = $phone AND {Access.row('x')}
"""


def known(db: Scoped, phone: str) -> bool:
    """Whether any visible source names the number: from the resolved ``phones`` node (its ``source_ids`` list
    every source naming it) when resolution has run, else from the source rows themselves."""
    resolved = db.scalar("SELECT EXISTS (SELECT 1 FROM phones)", public=True)  # has resolution run? (no data)
    if resolved:
        return bool(db.scalar(  # the number first (its index), then the access rule on that row only
            f"""WITH hit AS MATERIALIZED (SELECT phone, source_ids FROM phones WHERE phone = $phone)
                SELECT count(*) > 0 FROM hit p WHERE {Access.partly('p')}""", {"phone": phone}))
    return bool(db.scalar(f"SELECT count(*) > 0 FROM ({_PHONE_ROWS})", {"phone": phone}))


def profile(db: Scoped, phone: str) -> dict[str, Any] | None:
    if not known(db, phone):
        return None
    subscribers = db.rows(
        f"""SELECT p.mention_id, p.phone_raw, p.imei_raw, p.operator, p.activated_on_raw,
                   m.name_raw AS subscriber_name, m.category AS subscriber_category, {SOURCE_COLUMNS}
            FROM phone_mentions p JOIN sources s ON s.source_id = p.source_id
            LEFT JOIN person_mentions m ON m.mention_id = p.subscriber_mention_id AND {Access.row('m')}
            WHERE p.phone = $phone AND {Access.row('p')} ORDER BY s.agency""",
        {"phone": phone},
    )
    person_records = db.rows(
        f"""SELECT m.mention_id, m.name_raw, m.phone_raw, m.category, pm.person_id, {SOURCE_COLUMNS}
            FROM person_mentions m JOIN sources s ON s.source_id = m.source_id
            LEFT JOIN person_map pm ON pm.mention_id = m.mention_id
            WHERE m.phone = $phone AND {Access.row('m')} ORDER BY s.agency""",
        {"phone": phone},
    )
    owners = db.rows(
        f"SELECT o.person_id, o.evidence FROM phone_owners o WHERE o.phone = $phone AND {Access.derived('o')}",
        {"phone": phone},
    )
    owner_cards = cards(db, [o["person_id"] for o in owners])
    for o in owners:
        o["name"] = owner_cards.get(o["person_id"], {}).get("name")
    counterparts = db.rows(
        f"""SELECT other, kind, count(*) AS n, CAST(min(ts) AS VARCHAR) AS first_at, CAST(max(ts) AS VARCHAR) AS last_at
            FROM (SELECT CASE WHEN c.caller = $phone THEN c.callee ELSE c.caller END AS other, 'call' AS kind,
                         c.started_at AS ts FROM calls c
                  WHERE (c.caller = $phone OR c.callee = $phone) AND {Access.row('c')}
                  UNION ALL
                  SELECT CASE WHEN g.sender = $phone THEN g.recipient ELSE g.sender END, 'message', g.sent_at
                  FROM messages g WHERE (g.sender = $phone OR g.recipient = $phone) AND {Access.row('g')})
            GROUP BY other, kind ORDER BY n DESC LIMIT 50""",
        {"phone": phone},
    )
    return {"phone": phone, "subscribers": subscribers, "person_records": person_records, "owners": owners,
            "counterparts": counterparts,
            "n_events": sum(c["n"] for c in counterparts)}

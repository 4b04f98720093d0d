"""Who used each number: ``phone_owners`` without the subscriptions another record overrides.

``phone_owners`` (written by ``filiere resolve``) keeps every record tying a number to a person, including the
subscriber record: in whose name the line was opened.  That says who signed the contract, not who made the calls —
smugglers' lines are commonly registered in a migrant's or a stranger's name.  When another record ties the number
to someone as its *user* (a person record or statement giving it as theirs, the seized phone itself, a contact list
entry saving it under their name, or a swap link from a number they are tied to that way), the person tied to it
only by the subscription did not make its calls: the analysis leaves them out of that number's users, so its
calls, messages and camera sightings are that user's, not the subscriber's.  A number nobody is tied to as user
keeps every holder (its user is not known).

Subscriber records are not changed or hidden: ``phone_owners`` still lists them (the workbench and ``filiere
explain`` show them); only the analysis reads ``line_users`` (docs/decisions.md, "A subscription does not make
the line's calls the subscriber's").
"""

from __future__ import annotations

import duckdb

from filiere.resolve.phones import SUBSCRIBER_EVIDENCE, SUBSCRIBER_MENTION_EVIDENCE_PREFIX, SWAP_EVIDENCE_PREFIX

LINE_USERS_TABLE = "line_users"

_LINE_USERS_SQL = f"""
CREATE OR REPLACE TEMP TABLE {LINE_USERS_TABLE} AS
WITH ties AS (
    SELECT phone, person_id, evidence, source_ids FROM phone_owners
    WHERE phone IS NOT NULL AND person_id IS NOT NULL
),
used AS (  -- ties of use: anything but a subscription (the subscriber record, or a subscriber mention's own number
           -- where a layout maps one: evidence "subscriber in …") or a swap link (read below)
    SELECT DISTINCT phone, person_id FROM ties
    WHERE evidence <> '{SUBSCRIBER_EVIDENCE}' AND NOT starts_with(evidence, '{SUBSCRIBER_MENTION_EVIDENCE_PREFIX}')
      AND NOT starts_with(evidence, '{SWAP_EVIDENCE_PREFIX}')
),
partners AS (  -- the numbers each number was merged with as one line (merged swap links, both ways)
    SELECT phone_new AS phone, phone_old AS partner FROM phone_links WHERE merged
    UNION SELECT phone_old, phone_new FROM phone_links WHERE merged
),
used_by_swap AS (  -- a swap link carries the tie of the number it comes from: of use only if that one is
    SELECT DISTINCT p.phone, u.person_id FROM partners p JOIN used u ON u.phone = p.partner
),
users AS (SELECT * FROM used UNION SELECT * FROM used_by_swap),
known_user AS (SELECT DISTINCT phone FROM users)
SELECT t.phone, t.person_id, list_sort(list_distinct(flatten(list(t.source_ids)))) AS source_ids
FROM ties t
WHERE t.phone NOT IN (SELECT phone FROM known_user)
   OR EXISTS (SELECT 1 FROM users u WHERE u.phone = t.phone AND u.person_id = t.person_id)
GROUP BY t.phone, t.person_id
"""


def build_line_users(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build the temp table ``line_users`` (phone, person_id, source_ids); returns its row count."""
    con.execute(_LINE_USERS_SQL)
    return int(con.execute(f"SELECT count(*) FROM {LINE_USERS_TABLE}").fetchone()[0])

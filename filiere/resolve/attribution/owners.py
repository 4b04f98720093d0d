"""The rule joining the owner of a seized phone to the one person recorded with its number under a close name."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from filiere.resolve.attribution.runner import rule_edges, similarity_edges
from filiere.resolve.names import name_similarity

OWNER_RULE = "rule: owner of the seized phone, recorded with its number under a close name"
OWNER_MIN_SIMILARITY = 0.85


def seized_owner_matches(prepared: pa.Table, labels: np.ndarray,
                         min_similarity: float = OWNER_MIN_SIMILARITY) -> pa.Table:
    """Edges joining the owner of a seized phone to the person recorded elsewhere with that phone's number.

    The extraction of a seized phone names its owner ("Khan WAHEED"); a person record lists the same number
    under "Ouahid KAN".  The owner is the phone's user, so a person who uses that number under a close name is
    him — where Splink sees a shared number several people may hold and two spellings its levels do not join
    ("kan" and "khan" differ by more than a consonant skeleton).  Joined when the names are close
    (:func:`filiere.resolve.names.name_similarity` ≥ ``min_similarity``, best pair of their full names) and that
    person is the only other full-name user of the number other than as a subscriber or a traveller (a group of
    migrants shares one phone; a subscriber only pays for the line).  Candidates come from SQL; only their few
    names are compared in Python.  Same columns as :func:`filiere.resolve.attribution.line_attachments`
    (``line`` the number, ``shared_tokens`` ['similarity 0.88']).
    """
    rows = rule_edges(prepared, labels, ["unique_id", "alias_only", "phone", "record_kind", "name_full"], """
            WITH m AS (
                SELECT p.unique_id, p.phone, p.record_kind, p.name_full, c.cluster
                FROM prepared p JOIN clusters c USING (unique_id)
                WHERE NOT p.alias_only AND p.phone IS NOT NULL AND p.name_full IS NOT NULL
                  AND p.record_kind NOT IN ('phones', 'crossings')
            ),
            owners AS (SELECT * FROM m WHERE record_kind = 'contacts'),
            users AS (  -- full-name users of each owner's number other than the owner's own person
                SELECT o.phone, o.cluster AS owner, u.cluster AS user_cluster, min(o.unique_id) AS owner_mention,
                       min(u.unique_id) AS user_mention, list(DISTINCT o.name_full) AS owner_names,
                       list(DISTINCT u.name_full) AS user_names
                FROM owners o JOIN m u ON u.phone = o.phone AND u.cluster <> o.cluster
                GROUP BY o.phone, o.cluster, u.cluster
            ),
            single AS (SELECT phone, owner FROM users GROUP BY phone, owner HAVING count(*) = 1)
            SELECT u.* FROM users u JOIN single USING (phone, owner) ORDER BY u.owner_mention, u.user_mention
        """).to_pylist()
    chosen = []
    for row in rows:
        score = max(name_similarity(a, b) for a in row["owner_names"] for b in row["user_names"])
        if score >= min_similarity:
            chosen.append((row["owner_mention"], row["user_mention"], row["phone"], score))
    return similarity_edges(chosen)


SEIZED_TOGETHER_RULE = "rule: owner of two phones seized together (consecutive exhibit references), close names"
SEIZED_TOGETHER_MIN_SIMILARITY = 0.9
# two devices whose contact lists share more saved numbers than this are two men of one circle: a smuggler keeps a
# phone per role (the network's line, the customers' line), whose lists do not overlap — 178 of 178 one-man pairs
# of consecutive exhibits on 18 simulated worlds shared no saved number; the organiser and the driver both called
# Soran Mustafa, sealed one after the other, shared 9
SEIZED_TOGETHER_MAX_SHARED_SAVED = 2


def seized_devices_sql() -> str:
    """SQL (workspace connection) for ``source_id, device_ref, owner, device_phone, contact_phones``: each seized
    device of an extraction file with one of its owner mentions, its number and the numbers it saved."""
    return """
        SELECT source_id, device_ref, min(owner_mention_id) AS owner, any_value(device_phone) AS device_phone,
               list(DISTINCT contact_phone) FILTER (WHERE contact_phone IS NOT NULL) AS contact_phones
        FROM contact_entries WHERE device_ref IS NOT NULL AND owner_mention_id IS NOT NULL
        GROUP BY source_id, device_ref
    """


def seized_together_matches(prepared: pa.Table, labels: np.ndarray, devices: pa.Table,
                            min_similarity: float = SEIZED_TOGETHER_MIN_SIMILARITY,
                            max_shared_saved: int = SEIZED_TOGETHER_MAX_SHARED_SAVED) -> pa.Table:
    """Edges joining the owners of two devices seized together: consecutive exhibit references of one extraction
    file ("SCELLE-0031", "SCELLE-0032"; "JB/1", "JB/2") whose owners' full names are close.

    A man arrested with two phones has both sealed under consecutive references, and each extraction names him
    ("Noorullah NOORI", "Noorullah NOURI"); his second phone is often a newer number with a few contacts that
    nothing else ties to his first.  Owners of devices far apart in the numbering are other seizures: on 14
    simulated worlds all 67 pairs of close owner names (similarity ≥ 0.85) among them were two men, while 156
    of 161 consecutive pairs were one man; of the five, three have a bare given name ("Dler", "Aly") and one
    falls under 0.9, so the one left is two pilots called Karwan Rasul sealed one after the other.  Joined
    when both owners have a full name of two tokens or more, the names are close
    (:func:`filiere.resolve.names.name_similarity` ≥ ``min_similarity``), neither device saved the other's
    number (one does not save one's own other phone as a contact) and their contact lists share at most
    ``max_shared_saved`` numbers (a phone per role: two men of one network save the same members; see
    :data:`SEIZED_TOGETHER_MAX_SHARED_SAVED`); numbers that called each other
    are kept apart by the clustering anyway.  ``devices``: :func:`seized_devices_sql`.  Same columns as
    :func:`filiere.resolve.attribution.line_attachments` (``line`` NULL, ``shared_tokens`` ['similarity 0.96'])
    and ``reasons`` (the two exhibit references and owner names, shown by ``filiere explain``).
    """
    rows = rule_edges(prepared, labels, ["unique_id", "alias_only", "name_full", "name_tokens"], """
            WITH d AS (
                SELECT d.source_id, d.device_ref, d.owner, d.device_phone, coalesce(d.contact_phones, []) AS saved,
                       regexp_extract(d.device_ref, '^(.*?)(\\d+)$', 1) AS prefix,
                       TRY_CAST(regexp_extract(d.device_ref, '(\\d+)$', 1) AS BIGINT) AS number,
                       p.name_full, c.cluster
                FROM devices d JOIN prepared p ON p.unique_id = d.owner JOIN clusters c ON c.unique_id = d.owner
                WHERE NOT p.alias_only AND len(coalesce(p.name_tokens, [])) >= 2
            )
            SELECT a.owner AS owner_l, b.owner AS owner_r, a.name_full AS name_l, b.name_full AS name_r,
                   a.device_ref AS ref_l, b.device_ref AS ref_r
            FROM d a JOIN d b ON a.source_id = b.source_id AND a.prefix = b.prefix AND b.number = a.number + 1
            WHERE a.cluster <> b.cluster
              AND NOT (b.device_phone IS NOT NULL AND list_contains(a.saved, b.device_phone))
              AND NOT (a.device_phone IS NOT NULL AND list_contains(b.saved, a.device_phone))
              AND len(list_intersect(a.saved, b.saved)) <= $max_shared
            ORDER BY a.owner, b.owner
        """, params={"max_shared": max_shared_saved}, tables={"devices": devices}).to_pylist()
    chosen, reasons = [], []
    for row in rows:
        score = name_similarity(row["name_l"], row["name_r"])
        if score >= min_similarity:
            chosen.append((row["owner_l"], row["owner_r"], None, score))
            reasons.append(f"seized together: exhibits {row['ref_l']} and {row['ref_r']}, owners "
                           f"“{row['name_l']}” and “{row['name_r']}”")
    return similarity_edges(chosen, reasons=reasons)

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

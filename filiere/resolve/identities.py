"""Two identities in one person: records whose full names and birth dates both disagree are kept apart.

Resolution joins records through many small steps — a swap link between two numbers, a contact label on a line, a
nickname a witness gave — and one wrong step can join two men: two recruiters of one network, both "Hemin", whose
numbers the swap detection crossed.  The records each man gave when arrested or questioned then sit in one person:
"Hemin KAREEMI, born 23/11/1970" seven times and "Hemin RAHIMI, born 01/08/1976" seven times.  Clerks misspell
names and mistype dates, but not both at once by years: two records of one person whose names each hold a token the
other lacks (compared by consonant skeleton, so Karimi = Kareemi, and neither name within the other, so "Hemin" and
"Hemin Karimi" never conflict) *and* whose full birth dates lie more than ``min_days`` apart are two people.

:func:`identity_conflicts` finds such pairs inside the persons of a clustering; the resolve stage keeps them apart
(:func:`pairs_kept_apart`: like two holders of numbers that called each other) and clusters again, strongest links
first.  An analyst's 'same' judgement on two of the conflicting records says the man used both identities: that
person is left whole.  Only records with a day-precision birth date that is not a 1 January placeholder,
and a name of two tokens or more, take part.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa

from filiere.resolve.attribution.runner import rule_edges

IDENTITY_RULE = "rule: two identities (names and birth dates years apart), kept apart"

# three years: on eleven simulated medium worlds no two records of one person inside a resolved person were this far
# apart with names that also disagree (198 pairs of two people were); the simulator's typos move a year by one or two
MIN_DAYS_APART = 1096


def identity_conflicts(prepared: pa.Table, labels: np.ndarray, min_days: int = MIN_DAYS_APART) -> pa.Table:
    """Pairs of mentions in one cluster of ``labels`` (per row of ``prepared``) with conflicting identities:
    ``mention_l``, ``mention_r``, ``names`` (the two names), ``birth_dates`` (the two dates), ``days_apart``."""
    return rule_edges(prepared, labels,
                      ["unique_id", "alias_only", "name_full", "name_token_skeletons", "dob_day"], """
        WITH ident AS (
            SELECT p.unique_id, c.cluster, p.name_full, list_distinct(p.name_token_skeletons) AS skeletons,
                   CAST(p.dob_day AS DATE) AS dob
            FROM prepared p JOIN clusters c USING (unique_id)
            WHERE NOT coalesce(p.alias_only, false) AND p.dob_day IS NOT NULL
              AND len(list_distinct(p.name_token_skeletons)) >= 2
        ),
        spread AS (  -- persons holding dates far enough apart at all
            SELECT cluster FROM ident GROUP BY cluster HAVING datediff('day', min(dob), max(dob)) > $min_days
        )
        SELECT a.unique_id AS mention_l, b.unique_id AS mention_r, [a.name_full, b.name_full] AS names,
               [CAST(a.dob AS VARCHAR), CAST(b.dob AS VARCHAR)] AS birth_dates,
               abs(datediff('day', a.dob, b.dob)) AS days_apart
        FROM ident a JOIN ident b ON a.cluster = b.cluster AND a.unique_id < b.unique_id
        WHERE a.cluster IN (SELECT cluster FROM spread)
          AND abs(datediff('day', a.dob, b.dob)) > $min_days
          AND NOT list_has_all(a.skeletons, b.skeletons) AND NOT list_has_all(b.skeletons, a.skeletons)
        ORDER BY mention_l, mention_r
    """, params={"min_days": min_days})


def pairs_kept_apart(conflicts: pa.Table, labels: np.ndarray, index: dict[str, int],
                     same: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The conflicting pairs (as row indices, ``index``: mention id → row) to keep apart: all of them but those of a
    person (cluster of ``labels``) in which an analyst's 'same' judgement (``same``: row pairs) joined two records
    that conflict — the analyst has said that this man used both identities."""
    pairs = [(index[a], index[b]) for a, b in zip(conflicts.column("mention_l").to_pylist(),
                                                  conflicts.column("mention_r").to_pylist(), strict=True)]
    judged = {frozenset(p) for p in same}
    whole = {int(labels[a]) for a, b in pairs if frozenset((a, b)) in judged}
    return [(a, b) for a, b in pairs if int(labels[a]) not in whole]

"""Entity-resolution review queue: scored mention pairs whose two mentions the viewer may both see and
that no analyst has judged yet — first the pairs resolution kept apart although the scores would join them (a
victim's record and a suspect's, numbers that called each other, records of two identities: only an analyst may
join them), then the uncertain ones; judging writes a ``judgements`` row."""

from __future__ import annotations

from typing import Any

from filiere.access import Access, Scoped
from filiere.resolve import judgements
from filiere.web.data.names import DISPLAY_NAME


def _side(s: str) -> str:
    name = DISPLAY_NAME.replace("m.", f"m{s}.")
    return (f"m{s}.mention_id AS mention_{s}, {name} AS name_{s}, m{s}.birth_date_raw AS birth_date_{s},"
            f" m{s}.nationality_raw AS nationality_{s}, m{s}.phone_raw AS phone_{s}, m{s}.category AS category_{s},"
            f" s{s}.agency AS agency_{s}, s{s}.handling_code AS handling_code_{s},"
            f" s{s}.grading_scheme AS grading_scheme_{s}")


def queue(db: Scoped, limit: int = 100) -> list[dict[str, Any]]:
    sides = ", ".join(_side(s) for s in ("l", "r"))
    return db.rows(
        f"""SELECT e.match_probability, e.match_weight, e.features, e.decided_by, {sides}
            FROM match_evidence e
            JOIN person_mentions ml ON ml.mention_id = e.mention_id_l
            JOIN person_mentions mr ON mr.mention_id = e.mention_id_r
            JOIN sources sl ON sl.source_id = ml.source_id JOIN sources sr ON sr.source_id = mr.source_id
            WHERE {Access.row('ml')} AND {Access.row('mr')}
              AND NOT EXISTS (SELECT 1 FROM judgements j WHERE j.revoked_at IS NULL
                  AND ((j.mention_id_a = e.mention_id_l AND j.mention_id_b = e.mention_id_r)
                    OR (j.mention_id_a = e.mention_id_r AND j.mention_id_b = e.mention_id_l)))
            ORDER BY e.decided_by LIKE '%kept apart%' DESC, abs(coalesce(e.match_probability, 0.5) - 0.5),
                     e.mention_id_l, e.mention_id_r
            LIMIT $limit""",
        {"limit": limit},
    )


def both_visible(db: Scoped, mention_a: str, mention_b: str) -> bool:
    n = db.scalar(
        f"""SELECT count(DISTINCT m.mention_id) FROM person_mentions m
            WHERE m.mention_id IN ($a, $b) AND {Access.row('m')}""",
        {"a": mention_a, "b": mention_b},
    )
    return n == (1 if mention_a == mention_b else 2)


def record_judgement(ws: Any, mention_a: str, mention_b: str, decision: str, reason: str, actor: str, agency: str,
                     why: str | None) -> str:
    """Write one judgement and its log entry through ``filiere.resolve.judgements.add``; returns its id.

    The case justification is appended to the reason so the log entry carries it, with the analyst's agency."""
    full_reason = f"{reason} (case {why})" if why else reason
    return judgements.add(ws, mention_a, mention_b, decision, full_reason, actor=actor, agency=agency).judgement_id

"""Entity-resolution review queue: scored mention pairs whose two mentions the viewer may both see and
that no analyst has judged yet (uncertain ones first); judging writes a ``judgements`` row."""

from __future__ import annotations

import hashlib
import importlib
import inspect
from datetime import UTC, datetime
from typing import Any

import duckdb

from filiere import audit
from filiere.access import Access, Scoped
from filiere.model.vocab import LogAction
from filiere.web.data.persons import DISPLAY_NAME


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
            ORDER BY abs(coalesce(e.match_probability, 0.5) - 0.5), e.mention_id_l, e.mention_id_r
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


def record_judgement(con: duckdb.DuckDBPyConnection, ws: Any, mention_a: str, mention_b: str, decision: str,
                     reason: str, actor: str, agency: str, why: str | None) -> str:
    """Write one judgement and its log entry (call inside the writer's transaction); returns its id.

    Uses ``filiere.resolve.judgements.add`` when installed (it logs the alteration itself; the case
    justification is appended to the reason so that entry carries it too); otherwise inserts the row as
    declared and logs it here."""
    try:
        mod = importlib.import_module("filiere.resolve.judgements")
    except ImportError:
        mod = None
    full_reason = f"{reason} (case {why})" if why else reason
    if mod is not None and hasattr(mod, "add"):
        kwargs: dict[str, Any] = {"actor": actor}
        if "agency" in inspect.signature(mod.add).parameters:
            kwargs["agency"] = agency
        return str(mod.add(ws, mention_a, mention_b, decision, full_reason, **kwargs).judgement_id)
    a, b = sorted((mention_a, mention_b))
    now = datetime.now(UTC).replace(tzinfo=None)
    jid = "J-" + hashlib.sha256(f"{a}|{b}|{decision}|{actor}|{now.isoformat()}".encode()).hexdigest()[:16]
    con.execute("INSERT INTO judgements (judgement_id, mention_id_a, mention_id_b, decision, reason, actor,"
                " decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)", [jid, a, b, decision, full_reason, actor, now])
    audit.append(ws, LogAction.ALTERATION, f"judgement {jid}: {a} {decision} {b}", why, actor=actor, agency=agency,
                 details={"judgement_id": jid, "decision": decision, "mentions": [a, b], "reason": reason})
    return jid

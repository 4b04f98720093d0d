"""Why a person is what it is: its mentions (file, row, name as written …), the scored pairs that joined
them with the comparison levels that agreed and their weights, the phone swaps that joined its numbers into
lines (what the model and the rules compare instead of bare numbers), and the judgements that touch them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from filiere.errors import FiliereError
from filiere.workspace import Workspace


@dataclass
class Explanation:
    person: dict[str, Any]
    mentions: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    judgements: list[dict[str, Any]] = field(default_factory=list)
    swaps: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"person": self.person, "mentions": self.mentions, "evidence": self.evidence,
                "swaps": self.swaps, "judgements": self.judgements}


def _rows(ws: Workspace, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = ws.con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def explain(ws: Workspace, person_id: str) -> Explanation:
    people = _rows(ws, "SELECT person_id, display_name, category, n_mentions, agencies, source_ids, run_id"
                       " FROM persons WHERE person_id = ?", [person_id])
    if not people:
        raise FiliereError(f"no person {person_id!r} (run 'filiere resolve' first, or see 'filiere entities')")
    mentions = _rows(ws, """
        SELECT pm.mention_id, s.file_name AS file, pm.source_row AS "row", pm.slot, s.agency,
               coalesce(pm.name_raw, concat_ws(' ', pm.given_name_raw, pm.family_name_raw), pm.alias_raw) AS name,
               pm.alias_raw AS alias, CAST(pm.birth_date AS VARCHAR) AS birth_date, pm.birth_date_precision,
               pm.birth_date_placeholder, pm.nationality, pm.document, pm.phone, pm.category
        FROM person_map m JOIN person_mentions pm USING (mention_id)
        LEFT JOIN sources s ON s.source_id = pm.source_id
        WHERE m.person_id = ? ORDER BY pm.mention_id
    """, [person_id])
    evidence = _rows(ws, """
        SELECT e.mention_id_l, e.mention_id_r, round(e.match_weight, 2) AS match_weight,
               round(e.match_probability, 4) AS match_probability, e.decided_by, e.features
        FROM match_evidence e
        JOIN person_map ml ON ml.mention_id = e.mention_id_l
        JOIN person_map mr ON mr.mention_id = e.mention_id_r
        WHERE ml.person_id = ? OR mr.person_id = ?
        ORDER BY e.decided_by = 'judgement' DESC, e.match_weight DESC NULLS LAST
    """, [person_id, person_id])
    for ev in evidence:
        ev["features"] = json.loads(ev["features"]) if ev["features"] else {}
    judged = _rows(ws, """
        SELECT j.judgement_id, j.mention_id_a, j.mention_id_b, j.decision, j.reason, j.actor,
               CAST(j.decided_at AS VARCHAR) AS decided_at, CAST(j.revoked_at AS VARCHAR) AS revoked_at
        FROM judgements j
        WHERE j.mention_id_a IN (SELECT mention_id FROM person_map WHERE person_id = ?)
           OR j.mention_id_b IN (SELECT mention_id FROM person_map WHERE person_id = ?)
        ORDER BY j.decided_at
    """, [person_id, person_id])
    swaps = _rows(ws, """
        WITH mine AS (SELECT DISTINCT phone FROM phone_owners WHERE person_id = ?)
        SELECT l.phone_old, l.phone_new, round(l.score, 4) AS score, l.evidence
        FROM phone_links l
        WHERE l.merged AND (l.phone_old IN (SELECT phone FROM mine) OR l.phone_new IN (SELECT phone FROM mine))
        ORDER BY json_extract_string(l.evidence, '$.old_last_seen'), l.phone_old, l.phone_new
    """, [person_id])
    for sw in swaps:
        sw["evidence"] = json.loads(sw["evidence"]) if sw["evidence"] else {}
    return Explanation(people[0], mentions, evidence, judged, swaps)


def format_text(ex: Explanation) -> str:
    """A plain-text rendering for the terminal."""
    p = ex.person
    lines = [f"{p['person_id']}  {p['display_name'] or '(no name)'}  category={p['category']}  "
             f"mentions={p['n_mentions']}  agencies={', '.join(p['agencies'] or [])}", "", "mentions:"]
    for m in ex.mentions:
        dob = m["birth_date"] or "-"
        if m["birth_date_placeholder"]:
            dob += " (1 January placeholder)"
        lines.append(f"  {m['mention_id']}  {m['file']} row {m['row']} [{m['slot']}]  {m['name'] or '-'}"
                     f"  born {dob}  nat {m['nationality'] or '-'}  doc {m['document'] or '-'}"
                     f"  phone {m['phone'] or '-'}  ({m['category']})")
    lines += ["", "evidence:"]
    if not ex.evidence:
        lines.append("  (a single mention: nothing was merged)")
    for e in ex.evidence:
        head = f"  {e['mention_id_l']} ~ {e['mention_id_r']}  {e['decided_by']}"
        if e["match_weight"] is not None:
            head += f"  weight {e['match_weight']:+.2f}  p={e['match_probability']:.4f}"
        lines.append(head)
        if e["decided_by"] == "judgement":
            f = e["features"]
            lines.append(f"      {f.get('decision')} by {f.get('actor')} at {f.get('decided_at')}: {f.get('reason')}"
                         f" ({f.get('judgement')})")
            continue
        for comp, detail in e["features"].items():
            if isinstance(detail, dict):
                lines.append(f"      {comp:12s} {detail.get('level')}  ({detail.get('weight'):+.2f})")
            elif detail is not None:  # a rule's evidence: the line, the shared name tokens …
                shown = ", ".join(map(str, detail)) if isinstance(detail, list) else detail
                lines.append(f"      {comp.replace('_', ' '):12s} {shown}")
    if ex.swaps:
        lines += ["", "phone swaps merged (one user's numbers in turn; the model compares the lines they make):"]
        for sw in ex.swaps:
            ev = sw["evidence"]
            lines.append(f"  {sw['phone_old']} -> {sw['phone_new']}  score {sw['score']:.4f}  shared contacts "
                         f"{ev.get('shared_contacts')} (of {ev.get('contacts_old')} / {ev.get('contacts_new')})"
                         f"  silent {ev.get('silence_gap_days')} days  names tied to both: "
                         f"{ev.get('names_tied_to_both')}"
                         + (f"  used {ev['distance_km']} km apart" if ev.get("distance_km") is not None else "")
                         + (f" ({ev['distance_z']} standard errors)" if ev.get("distance_z") is not None else "")
                         + ("  one handset (IMEI)" if ev.get("same_handset") else ""))
    if ex.judgements:
        lines += ["", "judgements:"]
        for j in ex.judgements:
            state = f"revoked {j['revoked_at']}" if j["revoked_at"] else "in force"
            lines.append(f"  {j['judgement_id']} {j['mention_id_a']} {j['decision']} {j['mention_id_b']}"
                         f" by {j['actor']} ({state}): {j['reason']}")
    return "\n".join(lines)

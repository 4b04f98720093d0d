"""Every true organiser the analysis did not find, and why: where his resolved pieces were placed, with what role,
key-player rank and reasons, or which customer-side flag kept them out.

Run on an analysed workspace (after ``filiere analyze``, e.g. ``bench/graph_analyze.py workspace WS KEY``):
    .venv/bin/python bench/missed_organisers.py WORKSPACE ANSWER_KEY
"Found" is the issue's definition, as ``filiere.analyze.evaluate`` scores it: the resolved person holding most of
the organiser's mentions is labelled organiser or ranked in the top 3 key players of his network.  True organisers
no export mentions are left out, as there.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from filiere.analyze.evaluate import load_answer_key
from filiere.workspace import Workspace


def missed(ws: Workspace) -> list[dict]:
    """One entry per true organiser not found: his pieces (resolved persons most of whose mentions are his)."""
    con = ws.con
    organisers = con.execute("""
        SELECT k.person_id, k.network_id, m.resolved, nm.role, nm.key_player_rank
        FROM key_persons k JOIN key_match m ON m.truth = k.person_id
        LEFT JOIN network_members nm ON nm.person_id = m.resolved
        WHERE k.role = 'organiser' AND coalesce(k.network_id, '') <> '' ORDER BY k.network_id, k.person_id
    """).fetchall()
    out = []
    for truth, network, rep, role, rank in organisers:
        if role == "organiser" or (rank is not None and 0 < rank <= 3):
            continue
        pieces = con.execute("""
            SELECT km.resolved, km.n, nm.network_id, nm.role, nm.key_player_rank, nm.role_reasons, f.flag,
                   (SELECT list(DISTINCT m.slot) FROM person_map pm JOIN person_mentions m USING (mention_id)
                    WHERE pm.person_id = km.resolved) AS slots
            FROM key_majority km LEFT JOIN network_members nm ON nm.person_id = km.resolved
            LEFT JOIN person_flags f ON f.person_id = km.resolved
            WHERE km.truth = ? ORDER BY km.n DESC, km.resolved
        """, [truth]).fetchall()
        out.append({"truth": truth, "network": network, "representative": rep, "pieces": [
            {"person": p[0], "mentions": p[1], "network": p[2], "role": p[3], "rank": p[4],
             "decided_by": json.loads(p[5]).get("decided_by") if p[5] else None, "flag": p[6],
             "slots": sorted(p[7] or [])} for p in pieces]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workspace", type=Path)
    ap.add_argument("answer_key", type=Path)
    args = ap.parse_args()
    with Workspace.open(args.workspace) as ws:
        load_answer_key(ws, args.answer_key)
        total = ws.con.execute("""SELECT count(*) FROM key_persons k JOIN key_match m ON m.truth = k.person_id
                                  WHERE k.role = 'organiser' AND coalesce(k.network_id, '') <> ''""").fetchone()[0]
        rows = missed(ws)
    print(f"true organisers mentioned in the exports: {total}; not found: {len(rows)}")
    for row in rows:
        print(f"== {row['network']} {row['truth']} (represented by {row['representative']})")
        for p in row["pieces"]:
            where = (f"network {p['network']}, {p['role']}, key player #{p['rank']}" if p["network"]
                     else f"no network{', flagged ' + p['flag'] if p['flag'] else ''}")
            why = f" — {'; '.join(p['decided_by'])}" if p["decided_by"] else ""
            print(f"   {p['person']} {p['mentions']} mention(s) as {', '.join(p['slots'])}: {where}{why}")


if __name__ == "__main__":
    main()

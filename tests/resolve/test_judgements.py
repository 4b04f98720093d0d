"""Analysts' judgements: honoured on every re-run, reversible, stored with who/when/why."""

from __future__ import annotations

import pytest

from filiere.errors import FiliereError, UsageError
from filiere.resolve import judgements
from filiere.resolve.stage import resolve


def _person(ws, mention_id: str) -> str:
    return ws.con.execute("SELECT person_id FROM person_map WHERE mention_id = ?", [mention_id]).fetchall()[0][0]


def test_different_judgement_survives_reruns_and_revocation_restores_the_model(world) -> None:
    ws, _ = world
    resolve(ws)
    a, b = ws.con.execute("""
        SELECT mention_id_l, mention_id_r FROM match_evidence WHERE decided_by = 'model'
        ORDER BY match_probability DESC, mention_id_l LIMIT 1
    """).fetchall()[0]
    assert _person(ws, a) == _person(ws, b)

    j = judgements.add(ws, a, b, "different", "photos show two men", actor="analyst1")
    resolve(ws)
    assert _person(ws, a) != _person(ws, b)
    resolve(ws)  # and again: still apart
    assert _person(ws, a) != _person(ws, b)
    kept = ws.con.execute("SELECT decided_by FROM match_evidence WHERE mention_id_l = ? AND mention_id_r = ?"
                          " ORDER BY decided_by", [a, b]).fetchall()
    assert ("judgement",) in kept

    judgements.revoke(ws, j.judgement_id, "wrong photo", actor="analyst2")
    resolve(ws)
    assert _person(ws, a) == _person(ws, b)
    row = ws.con.execute("SELECT actor, reason, revoked_by, revoke_reason, revoked_at IS NOT NULL FROM judgements"
                         " WHERE judgement_id = ?", [j.judgement_id]).fetchall()[0]
    assert row == ("analyst1", "photos show two men", "analyst2", "wrong photo", True)


def test_same_judgement_joins_two_persons_on_every_run(world) -> None:
    ws, _ = world
    resolve(ws)
    a, b = ws.con.execute("""
        WITH firsts AS (SELECT person_id, min(mention_id) AS m FROM person_map GROUP BY person_id ORDER BY 1 LIMIT 2)
        SELECT min(m), max(m) FROM firsts
    """).fetchall()[0]
    assert _person(ws, a) != _person(ws, b)
    judgements.add(ws, a, b, "same", "same fingerprints", actor="analyst1")
    for _ in range(2):
        resolve(ws)
        assert _person(ws, a) == _person(ws, b)


def test_judgement_validation(world) -> None:
    ws, table = world
    m = table.column("mention_id").to_pylist()
    with pytest.raises(FiliereError, match="no person mention"):
        judgements.add(ws, m[0], "nope:1:person", "same", "x")
    with pytest.raises(UsageError, match="reason"):
        judgements.add(ws, m[0], m[1], "same", "")
    with pytest.raises(UsageError):
        judgements.add(ws, m[0], m[0], "same", "x")
    with pytest.raises(FiliereError, match="no judgement"):
        judgements.revoke(ws, "J-missing", "x")
    j = judgements.add(ws, m[0], m[1], "same", "x")
    judgements.revoke(ws, j.judgement_id, "y")
    with pytest.raises(FiliereError, match="already revoked"):
        judgements.revoke(ws, j.judgement_id, "y")
    assert judgements.active(ws) == []

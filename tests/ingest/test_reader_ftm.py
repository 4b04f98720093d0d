"""FollowTheMoney entity streams: each supported schema lands in its kind, references resolved."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from followthemoney import model

from filiere.ingest.loader import BadRowsError, ingest_file
from filiere.ingest.mapping import load_mapping_text

MAPPING = """
format: {type: ftm}
source:
  agency: UK-NCA
  grading: {scheme: uk3x5x2, source: "2", information: B, handling: P}
  nature: fact
  legal_basis: "DPA 2018 s.31"
  collected_on: 2026-03-01
  retention_days: 730
  phone_region: GB
"""


def _entity(schema, id_, **props):
    e = model.make_entity(schema)
    e.id = id_
    for prop, value in props.items():
        e.add(prop, value)
    return e.to_dict()


def _stream():
    return [
        _entity("Person", "p-karim", name="Karim HADDAD", birthDate="1987", nationality="iq",
                phone="+44 7911 123456", gender="male"),
        _entity("Person", "p-samir", name="Samir Abdi", nationality="er"),
        _entity("Passport", "pass-1", holder="p-samir", number="P 123-456", country="er", birthDate="1990-01-01"),
        _entity("Call", "call-1", callerNumber="+447911123456", receiverNumber="+33612345678",
                startDate="2026-03-01T10:11:12", duration="65"),
        _entity("Call", "call-2", caller="p-karim", receiverNumber="+33612345678", date="2026-03-02"),
        _entity("BankAccount", "acc-1", iban="GB33 BUKB 2020 1555 5555 55"),
        _entity("Payment", "pay-1", payer="p-karim", beneficiary="p-samir", amount="1500.50", currency="GBP",
                date="2026-03-03", payerAccount="acc-1"),
        _entity("Vehicle", "veh-1", registrationNumber="YX19 ABC", country="gb", owner="p-karim"),
        _entity("Associate", "assoc-1", person="p-karim", associate="p-samir", relationship="cousin"),
        _entity("Family", "fam-1", person="p-samir", relative="p-karim", relationship="brother-in-law"),
        _entity("Trip", "trip-1", startDate="2026-03-04", startLocation="Gravelines", endLocation="Dover",
                vehicle="veh-1", involved="p-samir"),
        _entity("Event", "ev-1", date="2026-03-05", summary="meeting at the camp", organizer="p-karim"),
        _entity("Address", "addr-1", full="Calais"),
    ]


def _write(tmp_path, entities, extra_lines=()):
    path = tmp_path / "nca.ftm.jsonl"
    lines = [json.dumps(e) for e in entities] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_every_supported_schema_lands_in_its_kind(ws, tmp_path):
    path = _write(tmp_path, _stream())
    result = ingest_file(ws, path, load_mapping_text(MAPPING, "nca_ftm.yml"))
    assert result.row_count == 13 and result.rows_loaded == 13
    assert result.tables["calls"] == 2 and result.tables["payments"] == 1 and result.tables["vehicle_mentions"] == 1
    assert result.tables["relations"] == 2 and result.tables["crossings"] == 1 and result.tables["statements"] == 1
    sid = result.source_id
    assert ws.con.execute("SELECT record_kind FROM sources").fetchone()[0] == \
        "calls,crossings,payments,persons,relations,statements,vehicles"
    calls = ws.con.execute("SELECT source_row, caller, callee, started_at, duration_s FROM calls ORDER BY 1").fetchall()
    assert calls == [(4, "+447911123456", "+33612345678", datetime(2026, 3, 1, 10, 11, 12), 65),
                     (5, "+447911123456", "+33612345678", datetime(2026, 3, 2), None)]
    pay = ws.con.execute("SELECT amount, currency, payer_account, payer_mention_id, payee_mention_id"
                         " FROM payments").fetchone()
    assert pay == (Decimal("1500.50"), "GBP", "GB33BUKB20201555555555", f"{sid}:7:payer", f"{sid}:7:payee")
    payer = ws.con.execute("SELECT local_ref, name_raw, phone, nationality FROM person_mentions"
                           " WHERE mention_id = ?", [f"{sid}:7:payer"]).fetchone()
    assert payer == ("p-karim", "Karim HADDAD", "+447911123456", "IRQ")
    persons = ws.con.execute("SELECT source_row, local_ref, name_raw, birth_date, birth_date_precision, document,"
                             " nationality FROM person_mentions WHERE slot = 'person' AND record_kind = 'persons'"
                             " ORDER BY 1").fetchall()
    assert persons == [(1, "p-karim", "Karim HADDAD", date(1987, 1, 1), "year", None, "IRQ"),
                       (2, "p-samir", "Samir Abdi", None, None, None, "ERI"),
                       (3, "p-samir", "Samir Abdi", date(1990, 1, 1), "day", "P123456", "ERI")]
    rel = ws.con.execute("SELECT relation_type, relationship FROM relations ORDER BY source_row").fetchall()
    assert rel == [("associate", "cousin"), ("family", "brother-in-law")]
    trip = ws.con.execute("SELECT plate, place_from, place_to, traveller_mention_id FROM crossings").fetchone()
    assert trip == ("YX19ABC", "Gravelines", "Dover", f"{sid}:11:traveller")
    assert ws.con.execute("SELECT relation, text FROM statements").fetchone() == ("organiser", "meeting at the camp")
    assert ws.con.execute("SELECT plate, plate_country FROM vehicle_mentions").fetchone() == ("YX19ABC", "GBR")


def test_bad_lines_are_bad_rows(ws, tmp_path):
    path = _write(tmp_path, _stream()[:2], extra_lines=["{not json", json.dumps({"schema": "Spaceship", "id": "x"})])
    with pytest.raises(BadRowsError) as err:
        ingest_file(ws, path, load_mapping_text(MAPPING, "nca_ftm.yml"))
    assert "row 3: not a FollowTheMoney entity" in str(err.value)
    assert "row 4: not a FollowTheMoney entity" in str(err.value)
    result = ingest_file(ws, path, load_mapping_text(MAPPING, "nca_ftm.yml"), max_rejects=2)
    assert (result.rows_loaded, result.rejected) == (2, 2)


def test_only_bad_lines(ws, tmp_path):
    path = _write(tmp_path, [], extra_lines=["{not json", "[]"])
    result = ingest_file(ws, path, load_mapping_text(MAPPING, "nca_ftm.yml"), max_rejects=2)
    assert (result.row_count, result.rows_loaded, result.rejected) == (2, 0, 2)
    assert ws.con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 2

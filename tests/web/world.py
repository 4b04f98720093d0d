"""A small two-agency world written straight into workspace tables, for the web tests.

It does not depend on ingest/resolve/analyze: every table the workbench reads is filled directly, with
markers that must never reach a user of the wrong agency:

* ``S-FR-SECRET`` (FR, eu4x4 H2 → owner only): the person "Zoltan SECRETOV" (``P-ZS``), his phone
  +33 6 99 99 99 99, the plate ZZ-999-ZZ, a call, a crossing and network ``N-SEC``.
* ``S-UK-COND`` (UK, uk3x5x2 C, releasable to FR only): "Jean DUPONT" (``P-JD``), visible to FR, not BE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from filiere.model.schema import table
from filiere.workspace import Workspace

FR, UK, BE = "FR-OCRIEST", "UK-NCA", "BE-FGP"

SECRET_MARKERS = ("SECRETOV", "Secretov", "33699999999", "06 99 99 99 99", "ZZ999ZZ", "ZZ-999-ZZ", "P-ZS",
                  "S-FR-SECRET", "secret_file", "N-SEC", "PL-SEC")
COND_MARKERS = ("DUPONT", "Dupont", "P-JD", "S-UK-COND", "uk_conditional")
HUB_FANOUT = 40


def insert(ws: Workspace, name: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows into a declared table; columns not given are NULL, generated columns (event_id) are
    computed by the database whatever the row says."""
    declared = table(name)
    cols = getattr(declared, "stored_column_names", declared.column_names)
    for r in rows:
        unknown = set(r) - set(declared.column_names)
        if unknown:
            raise KeyError(f"{name}: unknown columns {sorted(unknown)}")
    placeholders = ", ".join("?" for _ in cols)
    column_list = ", ".join(f'"{c}"' for c in cols)
    target = getattr(declared, "write_name", name)  # a table stored apart from its public view (calls)
    ws.con.executemany(f"INSERT INTO {target} ({column_list}) VALUES ({placeholders})",
                       [[r.get(c) for c in cols] for r in rows])


def source(sid: str, agency: str, scheme: str, grades: tuple[str, str, str], visibility: str,
           kind: str, releasable_to: list[str] | None = None, nature: str = "fact") -> dict[str, Any]:
    return {
        "source_id": sid, "file_name": f"{sid.lower().replace('-', '_')}.csv", "path": f"in/{sid}.csv",
        "content_sha256": sid, "file_format": "csv", "record_kind": kind, "mapping_name": "m.yml",
        "agency": agency, "grading_scheme": scheme, "source_grade": grades[0], "information_grade": grades[1],
        "handling_code": grades[2], "partner_visibility": visibility, "releasable_to": releasable_to or [],
        "nature": nature, "legal_basis": "CPP art. 706-73", "case_ref": "OP-CHANNEL",
        "collected_on": date(2026, 3, 1), "review_on": date(2029, 3, 1), "ingested_at": datetime(2026, 3, 2),
        "ingested_by": "test", "row_count": 10, "rows_loaded": 10, "status": "active",
    }


@dataclass
class World:
    person_names: dict[str, str] = field(default_factory=dict)
    hub: str = "P-HUB"
    open_network: str = "N-1"
    secret_network: str = "N-SEC"


def _mention(mid: str, sid: str, name: str, category: str, **extra: Any) -> dict[str, Any]:
    return {"mention_id": mid, "source_id": sid, "source_row": 1, "slot": "person", "record_kind": "persons",
            "name_raw": name, "name": name.lower(), "category_raw": category, "category": category, **extra}


def build_world(ws: Workspace) -> World:
    """Fill the workspace with the test world (one transaction)."""
    w = World()
    t0 = datetime(2026, 3, 10, 22, 0)
    with ws.transaction():
        insert(ws, "sources", [
            source("S-FR-OPEN", FR, "eu4x4", ("B", "2", "H1"), "partners", "persons"),
            source("S-FR-CALLS", FR, "eu4x4", ("A", "1", "H0"), "partners", "calls"),
            source("S-FR-SECRET", FR, "eu4x4", ("A", "1", "H2"), "owner_only", "persons", nature="assessment"),
            source("S-UK-OPEN", UK, "uk3x5x2", ("2", "B", "P"), "partners", "persons"),
            source("S-UK-COND", UK, "uk3x5x2", ("1", "A", "C"), "releasable", "persons", releasable_to=[FR]),
        ])
        ws.con.execute("UPDATE sources SET file_name = 'secret_file.csv' WHERE source_id = 'S-FR-SECRET'")
        ws.con.execute("UPDATE sources SET file_name = 'uk_conditional.csv' WHERE source_id = 'S-UK-COND'")
        mentions = [
            _mention("m-ah-fr", "S-FR-OPEN", "Mohammed AL-HASSAN", "suspect", phone_raw="06 12 34 56 78",
                     phone="+33612345678", nationality="IRQ", birth_date=date(1985, 4, 2)),
            _mention("m-ah-uk", "S-UK-OPEN", "محمد الحسن", "suspect", nationality="IRQ"),
            _mention("m-ah-sec", "S-FR-SECRET", "Mohamed SECRETOV-Hassan", "suspect"),
            _mention("m-kb", "S-FR-OPEN", "Karim BENALI", "suspect", phone_raw="+44 7700 900123",
                     phone="+447700900123"),
            _mention("m-jd", "S-UK-COND", "Jean DUPONT", "suspect"),
            _mention("m-zs", "S-FR-SECRET", "Zoltan SECRETOV", "suspect", phone_raw="06 99 99 99 99",
                     phone="+33699999999"),
            _mention("m-ay", "S-FR-OPEN", "Amina YUSUF", "victim"),
            _mention("m-ar", "S-UK-OPEN", "Ali RAHIMI", "suspect", phone_raw="07700 900456", phone="+447700900456"),
            _mention("m-hub", "S-FR-OPEN", "Hamid HAWALADAR", "suspect"),
        ]
        mentions += [_mention(f"m-c{i:02d}", "S-FR-OPEN", f"Contact NUMBER{i:02d}", "other")
                     for i in range(HUB_FANOUT)]
        insert(ws, "person_mentions", mentions)
        persons = {
            "P-AH": (["m-ah-fr", "m-ah-uk", "m-ah-sec"], "Mohammed AL-HASSAN", "suspect"),
            "P-KB": (["m-kb"], "Karim BENALI", "suspect"),
            "P-JD": (["m-jd"], "Jean DUPONT", "suspect"),
            "P-ZS": (["m-zs"], "Zoltan SECRETOV", "suspect"),
            "P-AY": (["m-ay"], "Amina YUSUF", "victim"),
            "P-AR": (["m-ar"], "Ali RAHIMI", "suspect"),
            "P-HUB": (["m-hub"], "Hamid HAWALADAR", "suspect"),
        }
        persons.update({f"P-C{i:02d}": ([f"m-c{i:02d}"], f"Contact NUMBER{i:02d}", "other")
                        for i in range(HUB_FANOUT)})
        by_mention = {m["mention_id"]: m for m in mentions}
        insert(ws, "persons", [
            {"person_id": pid, "display_name": name, "category": cat, "n_mentions": len(mids),
             "agencies": sorted({_agency(by_mention[m]["source_id"]) for m in mids}),
             "source_ids": sorted({by_mention[m]["source_id"] for m in mids}), "run_id": "r1"}
            for pid, (mids, name, cat) in persons.items()
        ])
        insert(ws, "person_map", [{"mention_id": m, "person_id": pid, "run_id": "r1"}
                                  for pid, (mids, _, _) in persons.items() for m in mids])
        w.person_names = {pid: name for pid, (_, name, _) in persons.items()}
        insert(ws, "phones", [
            {"phone": "+33612345678", "country": "FR", "n_events": 2, "source_ids": ["S-FR-OPEN", "S-FR-CALLS"]},
            {"phone": "+447700900123", "country": "GB", "n_events": 1, "source_ids": ["S-FR-OPEN", "S-FR-CALLS"]},
            {"phone": "+447700900456", "country": "GB", "n_events": 0, "source_ids": ["S-UK-OPEN"]},
            {"phone": "+33699999999", "country": "FR", "n_events": 1, "source_ids": ["S-FR-SECRET"]},
        ])
        insert(ws, "phone_owners", [
            {"phone": "+33612345678", "person_id": "P-AH", "evidence": "person record", "source_ids": ["S-FR-OPEN"]},
            {"phone": "+447700900123", "person_id": "P-KB", "evidence": "person record", "source_ids": ["S-FR-OPEN"]},
            {"phone": "+447700900456", "person_id": "P-AR", "evidence": "person record", "source_ids": ["S-UK-OPEN"]},
            {"phone": "+33699999999", "person_id": "P-ZS", "evidence": "person record",
             "source_ids": ["S-FR-SECRET"]},
        ])
        insert(ws, "phone_mentions", [
            {"mention_id": "pm-1", "source_id": "S-FR-OPEN", "source_row": 3, "subscriber_mention_id": "m-ah-fr",
             "phone_raw": "06 12 34 56 78", "phone": "+33612345678", "phone_valid": True, "operator": "Orange"},
            {"mention_id": "pm-2", "source_id": "S-FR-SECRET", "source_row": 4, "subscriber_mention_id": "m-zs",
             "phone_raw": "06 99 99 99 99", "phone": "+33699999999", "phone_valid": True, "operator": "SFR"},
        ])
        insert(ws, "calls", [
            {"event_id": "c-1", "source_id": "S-FR-CALLS", "source_row": 1, "caller": "+33612345678",
             "callee": "+447700900123", "started_at": t0, "duration_s": 60, "call_type": "voice",
             "cell_id": "CAL-01", "cell_lat": 50.95, "cell_lon": 1.86},
            {"event_id": "c-2", "source_id": "S-FR-SECRET", "source_row": 2, "caller": "+33699999999",
             "callee": "+33612345678", "started_at": t0 + timedelta(hours=1), "duration_s": 30,
             "call_type": "voice", "cell_id": "SEC-99", "cell_lat": 50.71, "cell_lon": 1.59},
        ])
        insert(ws, "payments", [
            {"event_id": "p-1", "source_id": "S-FR-OPEN", "source_row": 5, "payer_mention_id": "m-ay",
             "payee_mention_id": "m-ah-fr", "amount": 2500, "currency": "EUR", "paid_at": t0 - timedelta(days=2),
             "channel": "hawala", "place": "Calais"},
            {"event_id": "p-2", "source_id": "S-UK-OPEN", "source_row": 6, "payer_mention_id": "m-ah-uk",
             "payee_mention_id": "m-ar", "amount": 900, "currency": "GBP", "paid_at": t0 - timedelta(days=1),
             "channel": "money_transfer", "place": "London"},
        ])
        insert(ws, "crossings", [
            {"event_id": "x-1", "source_id": "S-FR-OPEN", "source_row": 7, "traveller_mention_id": "m-ay",
             "incident_ref": "INC-1", "plate": "AB123CD", "occurred_at": t0 + timedelta(hours=5),
             "mode": "small_boat", "outcome": "intercepted", "place_from": "Gravelines", "lat": 50.99, "lon": 2.12,
             "people_count": 40},
            {"event_id": "x-2", "source_id": "S-FR-SECRET", "source_row": 8, "traveller_mention_id": "m-zs",
             "incident_ref": "INC-SEC", "plate": "ZZ999ZZ", "occurred_at": t0 + timedelta(hours=6),
             "mode": "lorry", "outcome": "succeeded", "place_from": "Dunkerque", "lat": 51.03, "lon": 2.37},
        ])
        insert(ws, "vehicle_mentions", [
            {"mention_id": "vm-1", "source_id": "S-FR-OPEN", "source_row": 9, "keeper_mention_id": "m-kb",
             "plate_raw": "AB-123-CD", "plate": "AB123CD", "make": "Renault", "model": "Master"},
            {"mention_id": "vm-2", "source_id": "S-FR-SECRET", "source_row": 10, "keeper_mention_id": "m-zs",
             "plate_raw": "ZZ-999-ZZ", "plate": "ZZ999ZZ", "make": "Volvo", "model": "FH"},
        ])
        insert(ws, "vehicles", [
            {"plate": "AB123CD", "n_mentions": 2, "source_ids": ["S-FR-OPEN"]},
            {"plate": "ZZ999ZZ", "n_mentions": 2, "source_ids": ["S-FR-SECRET"]},
        ])
        insert(ws, "sightings", [
            {"event_id": "s-1", "source_id": "S-FR-OPEN", "source_row": 11, "plate_raw": "AB-123-CD",
             "plate": "AB123CD", "seen_at": t0 + timedelta(hours=3), "place": "Coquelles A16", "camera_id": "ANPR-7",
             "lat": 50.93, "lon": 1.81},
            {"event_id": "s-2", "source_id": "S-FR-SECRET", "source_row": 12, "plate_raw": "ZZ-999-ZZ",
             "plate": "ZZ999ZZ", "seen_at": t0 + timedelta(hours=4), "place": "Loon-Plage", "camera_id": "ANPR-9",
             "lat": 51.0, "lon": 2.22},
        ])
        insert(ws, "location_mentions", [
            {"mention_id": "lm-1", "source_id": "S-FR-CALLS", "source_row": 13, "location_ref": "CAL-01",
             "place": "Calais Nord", "location_kind": "cell_site", "lat": 50.95, "lon": 1.86, "country": "FRA"},
            {"mention_id": "lm-2", "source_id": "S-FR-SECRET", "source_row": 14, "location_ref": "SEC-99",
             "place": "Secret safehouse", "location_kind": "address", "lat": 50.71, "lon": 1.59, "country": "FRA"},
        ])
        edges = [
            ("P-AH", "P-KB", "call", ["S-FR-CALLS"]),
            ("P-AH", "P-AR", "payment", ["S-UK-OPEN"]),
            ("P-AH", "P-AY", "payment", ["S-FR-OPEN"]),
            ("P-AH", "P-ZS", "call", ["S-FR-SECRET", "S-FR-CALLS"]),
            ("P-JD", "P-KB", "vehicle", ["S-UK-COND"]),
            ("P-AH", "P-HUB", "payment", ["S-FR-OPEN"]),
        ]
        edges += [("P-HUB", f"P-C{i:02d}", "contact", ["S-FR-OPEN"]) for i in range(HUB_FANOUT)]
        insert(ws, "edges", [
            {"person_a": min(a, b), "person_b": max(a, b), "edge_type": et, "weight": 1.0 + i % 3, "n_events": 1,
             "first_at": t0 - timedelta(days=i % 5), "last_at": t0 + timedelta(days=i % 3), "source_ids": sids,
             "run_id": "a1"}
            for i, (a, b, et, sids) in enumerate(edges)
        ])
        open_sources = ["S-FR-OPEN", "S-FR-CALLS", "S-UK-OPEN", "S-UK-COND"]
        insert(ws, "networks", [
            {"network_id": "N-1", "rank": 1, "score": 0.82, "n_members": 4,
             "indicators": '{"hawala_payments": {"value": 2, "contribution": 0.3}}',
             "explanation": "payments and calls around one organiser", "source_ids": open_sources},
            {"network_id": "N-SEC", "rank": 2, "score": 0.4, "n_members": 2, "indicators": "{}",
             "explanation": "secret", "source_ids": ["S-FR-SECRET", "S-FR-CALLS"]},
        ])
        insert(ws, "network_members", [
            {"network_id": "N-1", "person_id": "P-AH", "role": "organiser", "key_player_rank": 1, "score": 0.9,
             "degree": 3, "betweenness": 0.7, "role_reasons": '["receives payments"]',
             "source_ids": ["S-FR-OPEN", "S-FR-CALLS", "S-UK-OPEN"]},
            {"network_id": "N-1", "person_id": "P-KB", "role": "driver", "key_player_rank": 2, "score": 0.5,
             "degree": 2, "source_ids": ["S-FR-OPEN", "S-FR-CALLS"]},
            {"network_id": "N-1", "person_id": "P-AR", "role": "collector", "key_player_rank": 3, "score": 0.4,
             "degree": 1, "source_ids": ["S-UK-OPEN"]},
            {"network_id": "N-1", "person_id": "P-JD", "role": "member", "key_player_rank": 4, "score": 0.2,
             "degree": 1, "source_ids": ["S-UK-COND"]},
            {"network_id": "N-SEC", "person_id": "P-ZS", "role": "organiser", "key_player_rank": 1, "score": 0.8,
             "degree": 1, "source_ids": ["S-FR-SECRET"]},
            {"network_id": "N-SEC", "person_id": "P-AH", "role": "member", "key_player_rank": 2, "score": 0.3,
             "degree": 1, "source_ids": ["S-FR-SECRET", "S-FR-CALLS"]},
        ])
        insert(ws, "plans", [
            {"plan_id": "PL-1", "network_id": "N-1", "strategy": "greedy_lcc", "budget": 1, "targets": ["P-AH"],
             "lcc_before": 1.0, "lcc_after": 0.5, "reasons": "{}", "source_ids": open_sources,
             "created_at": t0, "created_by": "analyze"},
            {"plan_id": "PL-SEC", "network_id": "N-SEC", "strategy": "greedy_lcc", "budget": 1, "targets": ["P-ZS"],
             "lcc_before": 1.0, "lcc_after": 0.5, "reasons": "{}", "source_ids": ["S-FR-SECRET"],
             "created_at": t0, "created_by": "analyze"},
        ])
        insert(ws, "match_evidence", [
            {"mention_id_l": "m-ah-fr", "mention_id_r": "m-ah-uk", "match_weight": 3.1, "match_probability": 0.7,
             "features": '{"name": "transliteration"}', "decided_by": "model", "run_id": "r1"},
            {"mention_id_l": "m-ah-fr", "mention_id_r": "m-ah-sec", "match_weight": None, "match_probability": None,
             "features": '{"line": null, "shared_name_tokens": ["muhammad"], "why": ["in touch with the witness"]}',
             "decided_by": "rule: named by a witness", "run_id": "r1"},
        ])
    return w


def _agency(source_id: str) -> str:
    return FR if source_id.startswith("S-FR") else UK

"""FollowTheMoney entity streams (JSON lines) → one batch per record kind, with a built-in mapping.

Each line is one entity; its line number is its ``_row``.  Entities are parsed with the ``followthemoney``
model, and references between them (a payment's payer, a passport's holder, a vehicle's owner) are
resolved inside the stream so that the person slots get the referenced person's name and FtM id
(``local_ref``).  What each schema becomes:

===================  =========================================================================
Person               persons (name, alias, first/last name, birth date, nationality, gender,
                     passport/id number, phone, notes)
Passport,            persons: a mention of the holder (holder's id and name, the document number,
Identification       the document's country as nationality, the passport's birth date and gender)
Call                 calls (caller/receiver numbers, or the phone of the referenced person)
Payment              payments (payer and beneficiary as person slots, accounts, amount, currency)
Vehicle              vehicles (registration number, country, model; owner as keeper)
Associate, Family    relations (person and associate/relative as person slots)
Trip                 crossings (start/end location, vehicle plate, first involved person as traveller)
Event                statements (summary as text, first involved person or organiser as subject)
===================  =========================================================================

Other schemata (addresses, bank accounts, companies …) are read for references only.  A line that is not
JSON, or not a valid entity, is a bad row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from followthemoney import model
from followthemoney.exc import InvalidData

from filiere.errors import InputError
from filiere.ingest.build import Batch
from filiere.ingest.mapping import parse_spec
from filiere.ingest.problems import Problem
from filiere.ingest.readers.staged import Staged
from filiere.model.kinds import KINDS, PERSON_PROPS, Kind
from filiere.model.types import PropType

ISO_DATETIMES = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m", "%Y"]

Entity = Any  # followthemoney EntityProxy
Row = dict[str, str | None]


def _first(entity: Entity, *props: str) -> str | None:
    for prop in props:
        if prop in entity.schema.properties:
            values = entity.get(prop, quiet=True)
            if values:
                return str(values[0])
    return None


class _Stream:
    """All entities of the file by id, for resolving references."""

    def __init__(self, entities: dict[str, Entity]) -> None:
        self.entities = entities

    def ref(self, entity: Entity, prop: str) -> Entity | None:
        ref_id = _first(entity, prop)
        return self.entities.get(ref_id) if ref_id else None

    def person_slot(self, slot: str, entity: Entity | None, ref_id: str | None = None) -> Row:
        if entity is None:
            return {f"{slot}.local_ref": ref_id} if ref_id else {}
        return {
            f"{slot}.local_ref": entity.id,
            f"{slot}.name": entity.caption if entity.caption != entity.schema.label else None,
            f"{slot}.phone": _first(entity, "phone"),
            f"{slot}.birth_date": _first(entity, "birthDate"),
            f"{slot}.nationality": _first(entity, "nationality", "citizenship", "country"),
        }

    def account(self, entity: Entity, prop: str) -> str | None:
        acc = self.ref(entity, prop)
        if acc is None:
            return _first(entity, prop)
        return _first(acc, "iban", "accountNumber") or acc.caption

    def place(self, entity: Entity, prop: str) -> str | None:
        loc = self.ref(entity, prop)
        return loc.caption if loc is not None else _first(entity, prop)


def _person(e: Entity, s: _Stream) -> tuple[str, Row]:
    return "persons", {
        "local_ref": e.id, "name": _first(e, "name"), "alias": _first(e, "alias", "weakAlias"),
        "given_name": _first(e, "firstName"), "family_name": _first(e, "lastName"),
        "birth_date": _first(e, "birthDate"), "nationality": _first(e, "nationality", "citizenship"),
        "gender": _first(e, "gender"), "document": _first(e, "passportNumber", "idNumber"),
        "phone": _first(e, "phone"), "notes": _first(e, "notes", "summary", "description"),
    }


def _identification(e: Entity, s: _Stream) -> tuple[str, Row]:
    holder = s.ref(e, "holder")
    given, surname = _first(e, "givenName"), _first(e, "surname")
    joined = " ".join(p for p in (given, surname) if p) or None
    return "persons", {
        "local_ref": holder.id if holder is not None else _first(e, "holder"),
        "name": holder.caption if holder is not None else joined,
        "given_name": given, "family_name": surname,
        "birth_date": _first(e, "birthDate"), "gender": _first(e, "gender"),
        "nationality": _first(e, "country"), "document": _first(e, "number", "passportNumber"),
        "notes": f"{e.schema.label} {e.id}",
    }


def _call(e: Entity, s: _Stream) -> tuple[str, Row]:
    caller, receiver = s.ref(e, "caller"), s.ref(e, "receiver")
    return "calls", {
        "caller": _first(e, "callerNumber") or (caller is not None and _first(caller, "phone")) or None,
        "callee": _first(e, "receiverNumber") or (receiver is not None and _first(receiver, "phone")) or None,
        "started_at": _first(e, "startDate", "date"), "duration_s": _first(e, "duration"),
    }


def _payment(e: Entity, s: _Stream) -> tuple[str, Row]:
    return "payments", {
        "payment_ref": _first(e, "transactionNumber", "recordId") or e.id,
        "amount": _first(e, "amount"), "currency": _first(e, "currency"),
        "paid_at": _first(e, "date", "startDate"),
        "payer_account": s.account(e, "payerAccount"), "payee_account": s.account(e, "beneficiaryAccount"),
        **s.person_slot("payer", s.ref(e, "payer"), _first(e, "payer")),
        **s.person_slot("payee", s.ref(e, "beneficiary"), _first(e, "beneficiary")),
    }


def _vehicle(e: Entity, s: _Stream) -> tuple[str, Row]:
    return "vehicles", {
        "plate": _first(e, "registrationNumber"), "plate_country": _first(e, "country"),
        "model": _first(e, "model"), "make": _first(e, "type"),
        **s.person_slot("keeper", s.ref(e, "owner"), _first(e, "owner")),
    }


def _relation(e: Entity, s: _Stream) -> tuple[str, Row]:
    other = "relative" if e.schema.name == "Family" else "associate"
    return "relations", {
        "relation_ref": e.id, "relation_type": "family" if e.schema.name == "Family" else "associate",
        "relationship": _first(e, "relationship"), "since": _first(e, "startDate", "date"),
        **s.person_slot("person", s.ref(e, "person"), _first(e, "person")),
        **s.person_slot("associate", s.ref(e, other), _first(e, other)),
    }


def _trip(e: Entity, s: _Stream) -> tuple[str, Row]:
    vehicle = s.ref(e, "vehicle")
    return "crossings", {
        "incident_ref": e.id, "occurred_at": _first(e, "startDate", "date"),
        "place_from": s.place(e, "startLocation"), "place_to": s.place(e, "endLocation"),
        "plate": _first(vehicle, "registrationNumber") if vehicle is not None else None,
        **s.person_slot("traveller", s.ref(e, "involved"), _first(e, "involved")),
    }


def _event(e: Entity, s: _Stream) -> tuple[str, Row]:
    organizer = s.ref(e, "organizer")
    subject = organizer or s.ref(e, "involved")
    return "statements", {
        "statement_ref": e.id, "said_at": _first(e, "date", "startDate"),
        "relation": "organiser" if organizer is not None else "other",
        "text": _first(e, "summary", "description", "name"),
        **s.person_slot("subject", subject, _first(e, "organizer", "involved")),
    }


CONVERTERS: dict[str, Callable[[Entity, _Stream], tuple[str, Row]]] = {
    "Person": _person, "Passport": _identification, "Identification": _identification, "Call": _call,
    "Payment": _payment, "Vehicle": _vehicle, "Associate": _relation, "Family": _relation, "Trip": _trip,
    "Event": _event,
}


def _spec_options(kind: Kind, key: str) -> dict[str, Any]:
    """The built-in mapping spec of one column of an FtM batch."""
    name = key.split(".")[-1]
    props = {p.name: p for p in (*PERSON_PROPS, *kind.props)} if ("." in key or kind.own_person) \
        else {p.name: p for p in kind.props}
    prop = props[name]
    options: dict[str, Any] = {"column": key}
    if prop.ptype is PropType.DATETIME:
        options["format"] = ISO_DATETIMES
    elif prop.ptype is PropType.ENUM and prop.vocabulary != "gender":
        options["default"] = "other"
    elif prop.ptype is PropType.MONEY:
        options["decimal"] = "."  # FtM amounts are plain numbers
    return options


def read_ftm(con: duckdb.DuckDBPyConnection, path: Path, prefix: str, phone_region: str | None
             ) -> tuple[list[Batch], int, list[Problem]]:
    file = str(path)
    problems: list[Problem] = []
    parsed: list[tuple[int, Entity]] = []
    row = 0
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row += 1
                try:
                    data = json.loads(line)
                    entity = model.get_proxy(data, cleaned=False)
                except (json.JSONDecodeError, InvalidData, TypeError, KeyError, AttributeError) as exc:
                    problems.append(Problem(row, None, line.strip()[:200], f"not a FollowTheMoney entity: {exc}"))
                    continue
                parsed.append((row, entity))
    except UnicodeDecodeError as exc:
        raise InputError(file, f"not valid UTF-8 (byte {exc.start} of the failing read); FtM streams are UTF-8"
                         ) from None
    stream = _Stream({e.id: e for _, e in parsed if e.id})
    rows_by_kind: dict[str, list[Row]] = {}
    for line_no, entity in parsed:
        convert = CONVERTERS.get(entity.schema.name)
        if convert is None:
            continue  # a supporting entity (address, account, company …), used through references
        kind, values = convert(entity, stream)
        values = {k: v for k, v in values.items() if v not in (None, "")}
        rows_by_kind.setdefault(kind, []).append({"_row": line_no, **values})
    batches: list[Batch] = []
    for i, (kind_name, rows) in enumerate(sorted(rows_by_kind.items())):
        kind = KINDS[kind_name]
        keys = sorted({k for r in rows for k in r if k != "_row"})
        table = f"{prefix}_ftm{i}"
        arrays = {"_row": pa.array([r["_row"] for r in rows], pa.int64())}
        for key in keys:
            arrays[key] = pa.array([r.get(key) for r in rows], pa.string())
        view = f"{table}_arrow"
        con.register(view, pa.table(arrays))
        try:
            con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {view}")
        finally:
            con.unregister(view)
        staged = Staged(table, keys, len(rows), [], [("TABLE", table)])
        specs = [parse_spec(kind, key, _spec_options(kind, key), file) for key in keys]
        batches.append(Batch(kind, staged, specs, phone_region, record_kind=kind_name))
    return batches, row, problems

"""A small case file written straight into the workspace tables, as ingest + resolve would leave them.

Used by the graph and analyze tests (``from graph.case import Case``) to build constructed situations.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from filiere.workspace import Workspace

T0 = datetime(2025, 6, 2, 9, 0)


class Case:
    def __init__(self, ws: Workspace, agency: str = "fr") -> None:
        self.ws = ws
        self.con = ws.con
        self._ids = itertools.count(1)
        self._numbers = itertools.count(1)
        self.agency = agency
        self.source = self.add_source(agency)

    def add_source(self, agency: str) -> str:
        sid = f"S{agency}{next(self._ids)}"
        self.con.execute("INSERT INTO sources (source_id, file_name, agency, status) VALUES (?, ?, ?, 'active')",
                         [sid, f"{sid}.csv", agency])
        return sid

    def _event_id(self) -> tuple[str, int]:
        n = next(self._ids)
        return f"{self.source}:{n}", n

    # -- persons ---------------------------------------------------------------------------------------
    def person(self, pid: str, category: str = "suspect", nationality: str | None = None,
               name: str | None = None) -> str:
        mid = self.mention(pid, "person", nationality=nationality, category=category, name=name or pid)
        self.con.execute("INSERT INTO persons (person_id, display_name, category, n_mentions, agencies, source_ids)"
                         " VALUES (?, ?, ?, 1, [?], [?])",
                         [pid, name or pid, category, self.agency, self.source])
        assert mid
        return pid

    def persons(self, *pids: str, category: str = "suspect") -> list[str]:
        return [self.person(p, category) for p in pids]

    def mention(self, pid: str, slot: str, **props: str | None) -> str:
        mid, row = self._event_id()
        mid = f"{mid}:{slot}"
        self.con.execute(
            "INSERT INTO person_mentions (mention_id, source_id, source_row, slot, name, nationality, category)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [mid, self.source, row, slot, props.get("name"), props.get("nationality"), props.get("category")])
        self.con.execute("INSERT INTO person_map (mention_id, person_id) VALUES (?, ?)", [mid, pid])
        return mid

    # -- phones and calls ------------------------------------------------------------------------------
    def phone(self, number: str, owner: str | None, country: str | None = None,
              evidence: str = "subscriber record") -> str:
        if owner is not None:
            self.con.execute("INSERT INTO phone_owners (phone, person_id, evidence, source_ids)"
                             " VALUES (?, ?, ?, [?])", [number, owner, evidence, self.source])
        self.con.execute("INSERT INTO phones (phone, country) SELECT ?, ? WHERE ? NOT IN (SELECT phone FROM phones)",
                         [number, country, number])
        return number

    def swap(self, old: str, new: str) -> None:
        """A merged swap link old → new, and the swap-link ties ``filiere resolve`` writes for it (each holder of
        one number holds the other)."""
        self.con.execute("INSERT INTO phone_links (phone_old, phone_new, score, merged, source_ids)"
                         " VALUES (?, ?, 1.0, true, [?])", [old, new, self.source])
        for frm, to, word in ((old, new, "from"), (new, old, "to")):
            self.con.execute("INSERT INTO phone_owners (phone, person_id, evidence, source_ids)"
                             " SELECT ?, person_id, ?, [?] FROM phone_owners WHERE phone = ?"
                             " AND NOT starts_with(evidence, 'swap link ')",
                             [to, f"swap link {word} {frm}", self.source, frm])

    def call(self, caller: str, callee: str, at: datetime | None = None, n: int = 1) -> None:
        for i in range(n):
            _, row = self._event_id()
            self.con.execute("INSERT INTO calls_wide (source_id, source_row, caller, callee, started_at)"
                             " VALUES (?, ?, ?, ?, ?)",
                             [self.source, row, caller, callee, (at or T0) + timedelta(hours=i)])

    def message(self, sender: str, recipient: str, at: datetime | None = None) -> None:
        _, row = self._event_id()
        self.con.execute("INSERT INTO messages (source_id, source_row, sender, recipient, sent_at)"
                         " VALUES (?, ?, ?, ?, ?)", [self.source, row, sender, recipient, at or T0])

    # -- money -----------------------------------------------------------------------------------------
    def payment(self, payer: str | None, payee: str | None, amount: float = 1000.0, at: datetime | None = None,
                payer_account: str | None = None, payee_account: str | None = None) -> None:
        _, row = self._event_id()
        payer_m = self.mention(payer, "payer") if payer else None
        payee_m = self.mention(payee, "payee") if payee else None
        self.con.execute(
            "INSERT INTO payments (source_id, source_row, payer_mention_id, payee_mention_id,"
            " payer_account, payee_account, amount, currency, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'EUR', ?)",
            [self.source, row, payer_m, payee_m, payer_account, payee_account, amount, at or T0])

    def account(self, account: str, holder: str) -> None:
        mid, row = self._event_id()
        hm = self.mention(holder, "holder")
        self.con.execute("INSERT INTO account_mentions (mention_id, source_id, source_row, holder_mention_id,"
                         " account) VALUES (?, ?, ?, ?, ?)", [mid, self.source, row, hm, account])

    # -- vehicles, crossings, sightings ------------------------------------------------------------------
    def vehicle(self, plate: str, keeper: str) -> None:
        mid, row = self._event_id()
        km = self.mention(keeper, "keeper")
        self.con.execute("INSERT INTO vehicle_mentions (mention_id, source_id, source_row, keeper_mention_id, plate)"
                         " VALUES (?, ?, ?, ?, ?)", [mid, self.source, row, km, plate])

    def crossing(self, incident: str, travellers: list[str], plate: str | None = None,
                 at: datetime | None = None, outcome: str = "intercepted") -> None:
        for t in travellers:
            _, row = self._event_id()
            tm = self.mention(t, "traveller")
            self.con.execute(
                "INSERT INTO crossings (source_id, source_row, traveller_mention_id, incident_ref, plate,"
                " occurred_at, mode, outcome) VALUES (?, ?, ?, ?, ?, ?, 'small_boat', ?)",
                [self.source, row, tm, incident, plate, at or T0, outcome])

    def sighting(self, place: str, at: datetime, plate: str | None = None, phone: str | None = None) -> None:
        _, row = self._event_id()
        self.con.execute("INSERT INTO sightings (source_id, source_row, plate, phone, seen_at, place)"
                         " VALUES (?, ?, ?, ?, ?, ?)", [self.source, row, plate, phone, at, place])

    # -- statements and seized phones ------------------------------------------------------------------
    def statement(self, witness: str, subject: str, relation: str = "other", at: datetime | None = None) -> None:
        eid, row = self._event_id()
        wm = self.mention(witness, "witness")
        sm = self.mention(subject, "subject")
        self.con.execute(
            "INSERT INTO statements (source_id, source_row, witness_mention_id, subject_mention_id,"
            " statement_ref, said_at, relation) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [self.source, row, wm, sm, eid, at or T0, relation])

    def contact(self, owner: str | None, contact_phone: str, device_phone: str | None = None,
                contact: str | None = None) -> None:
        _, row = self._event_id()
        om = self.mention(owner, "owner") if owner else None
        cm = self.mention(contact, "contact") if contact else None
        self.con.execute(
            "INSERT INTO contact_entries (source_id, source_row, owner_mention_id, contact_mention_id,"
            " device_phone, contact_phone) VALUES (?, ?, ?, ?, ?, ?)",
            [self.source, row, om, cm, device_phone, contact_phone])

    # -- convenience -----------------------------------------------------------------------------------
    def phones_for(self, *pids: str) -> dict[str, str]:
        """Give each person one number (+3360000xxxx) and return person → number."""
        out = {}
        for p in pids:
            number = f"+3360{next(self._numbers):07d}"
            out[p] = self.phone(number, p, "FR")
        return out

    def edges(self, edge_type: str | None = None) -> dict[tuple[str, str], tuple]:
        sql = "SELECT person_a, person_b, edge_type, weight, n_events, first_at, last_at, source_ids FROM edges"
        rows = self.con.execute(sql + (" WHERE edge_type = ?" if edge_type else ""),
                                [edge_type] if edge_type else []).fetchall()
        return {(r[0], r[1]): r for r in rows}


def two_networks(case: Case) -> dict[str, list[str]]:
    """Two smuggling cells linked by one broker, with victims who call, pay, travel and testify.

    Returns the true membership: {"A": [...], "B": [...]} (victims listed under "victims").
    """
    truth: dict[str, list[str]] = {"victims": []}
    for cell, country in (("A", "IRQ"), ("B", "FRA")):
        org, lt1, lt2, rec, drv, col, log = (f"{cell}_{r}" for r in ("org", "lt1", "lt2", "rec", "drv", "col", "log"))
        for p in (org, lt1, lt2, rec, drv, col, log):
            case.person(p, "suspect", nationality=country)
        ph = case.phones_for(org, lt1, lt2, rec, drv, col, log)
        for a, b, n in ((org, lt1, 6), (org, lt2, 5), (lt1, lt2, 4), (lt1, rec, 6), (lt2, rec, 3), (lt1, drv, 5),
                        (lt2, drv, 2), (org, col, 3), (col, org, 2), (lt2, log, 4), (org, log, 2), (rec, drv, 2)):
            case.call(ph[a], ph[b], n=n)
        burner = f"+4477009007{len(truth)}"  # a number nobody is known to own, called by two lieutenants
        case.call(ph[lt1], burner, n=2)
        case.call(ph[lt2], burner, n=2)
        case.vehicle(f"{cell}VAN1", log)
        case.vehicle(f"{cell}CAR1", drv)
        victims = [case.person(f"{cell}_v{i}", "victim", nationality="AFG") for i in range(6)]
        truth["victims"] += victims
        vph = case.phones_for(*victims)
        for v in victims:
            case.call(vph[v], ph[rec], n=2)
            case.payment(v, col, 1500.0)
        case.payment(victims[0], org, 3000.0)
        case.payment(col, org, 5000.0)
        case.crossing(f"INC-{cell}", [drv, *victims[:4]], plate=f"{cell}CAR1")
        case.statement(victims[1], rec, "recruiter")
        truth[cell] = [org, lt1, lt2, rec, drv, col, log]
    # a broker between the two cells, and a victim in touch with both recruiters
    case.person("BR", "suspect", nationality="TUR")
    bph = case.phones_for("BR")["BR"]
    case.call(bph, case.con.execute("SELECT phone FROM phone_owners WHERE person_id='A_lt1'").fetchone()[0], n=1)
    case.call(bph, case.con.execute("SELECT phone FROM phone_owners WHERE person_id='B_lt1'").fetchone()[0], n=1)
    shared = case.person("X_v", "victim")
    xph = case.phones_for(shared)[shared]
    for r in ("A_rec", "B_rec"):
        case.call(xph, case.con.execute("SELECT phone FROM phone_owners WHERE person_id=?", [r]).fetchone()[0], n=4)
    truth["victims"].append(shared)
    return truth

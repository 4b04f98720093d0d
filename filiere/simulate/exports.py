"""What each agency holds: builds the in-memory exports (all kinds but calls) from the world and activity."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from filiere.model.kinds import KINDS, PERSON_PROPS
from filiere.model.types import PropType
from filiere.simulate.agencies import AgencyStyle
from filiere.simulate.evidence import CAMERAS, Read, seized_contacts, seized_messages
from filiere.simulate.journeys import Activity
from filiere.simulate.layouts import Layout
from filiere.simulate.names import canonical, spell
from filiere.simulate.phones import country_of, fmt
from filiere.simulate.plates import plate_variant
from filiere.simulate.render import Written, phone_as_written, write_person
from filiere.simulate.streams import stream
from filiere.simulate.world import BEACHES, LORRY_SITES, Person, World
from filiere.simulate.writer import Export

_PERSON_TYPES = {p.name: p.ptype for p in PERSON_PROPS}
STREETS = ("rue de la Mer", "rue Royale", "avenue Foch", "rue du Port", "boulevard Jacquard", "rue des Pêcheurs",
           "quai de la Citadelle", "rue de Dunkerque", "route de Gravelines")
CASE_REF = "OP-MANCHE"
OPERATORS = {"FR": ("Orange", "SFR", "Bouygues Telecom", "Free Mobile", "Lycamobile"),
             "GB": ("EE", "Vodafone UK", "O2", "Three", "Lebara", "Lycamobile UK"),
             "BE": ("Proximus", "Orange Belgium", "Telenet")}


def _ptype(kind: str, key: str) -> tuple[PropType, str | None]:
    k = KINDS[kind]
    if "." in key:
        return _PERSON_TYPES[key.split(".", 1)[1]], None
    if k.own_person and key in _PERSON_TYPES:
        return _PERSON_TYPES[key], None
    prop = k.prop(key)
    return prop.ptype, prop.vocabulary


def date_pattern(fmt: str) -> str:
    """A regular expression whose one group matches a date written with strftime ``fmt`` inside other text."""
    digits = {"%d": r"\d{2}", "%m": r"\d{2}", "%Y": r"\d{4}"}
    parts = re.split(r"(%[dmY])", fmt)
    return "(" + "".join(digits.get(p) or re.escape(p) for p in parts) + ")"


def new_export(style: AgencyStyle, layout: Layout, kind: str) -> Export:
    """An empty export with its mapping, from the agency's layout."""
    columns: list[str] = []
    properties: dict[str, dict[str, Any]] = {}
    words = layout.get("words", {})
    for key, col in layout["columns"].items():
        if col not in columns:
            columns.append(col)
        prop_key = key[len("person."):] if key.startswith("person.") else key
        ptype, _vocabulary = _ptype(kind, prop_key)
        spec: dict[str, Any] = {"column": col}
        name = prop_key.split(".")[-1]
        if ptype is PropType.DATE:
            spec["format"] = [style.date_fmt]
        elif name == "recorded_at":  # the day written in the notes ("Arrested 20/12/2025")
            spec.update({"extract": date_pattern(style.date_fmt), "format": [style.date_fmt]})
        elif ptype is PropType.DATETIME:
            spec["format"] = [layout.get("datetime_fmt", style.datetime_fmt)]
        elif ptype is PropType.CATEGORY:
            spec["map"] = {w: c for c, w in style.categories.items()}
        elif ptype is PropType.ENUM and name == "gender":
            spec["map"] = {w: g for g, w in style.gender_words.items()}
        elif ptype is PropType.ENUM and name == "relation":
            spec["map"] = {w: r for r, w in style.relation_words.items()}
        elif ptype is PropType.ENUM:
            spec["map"] = {w: v for v, w in words[name].items()}
        elif ptype in (PropType.MONEY, PropType.FLOAT) and "decimal" in layout:
            spec["decimal"] = layout["decimal"]
        properties[prop_key] = spec
    grading = layout["grading"]
    source: dict[str, Any] = {
        "agency": layout["unit"],
        "grading": {"scheme": layout.get("scheme", "eu4x4"), "source": grading[0], "information": grading[1],
                    "handling": grading[2]},
    }
    if "releasable_to" in layout:
        source["releasable_to"] = list(layout["releasable_to"])
    source.update({"nature": layout["nature"], "legal_basis": layout["legal_basis"], "case_ref": CASE_REF,
                   "retention_days": 1825 if layout["nature"] == "fact" else 1095, "phone_region": style.country})
    return Export(name=layout["file"], kind=kind, style=style, source=source, columns=columns,
                  properties=properties, delimiter=layout["delimiter"], encoding=layout["encoding"],
                  lineterminator=layout.get("lineterminator", "\n"), file_type=layout.get("type", "csv"))


class Builder:
    """Fills one agency's exports; ``values`` helpers turn properties into the layout's columns."""

    def __init__(self, world: World, act: Activity, style: AgencyStyle, layouts: dict[str, Layout],
                 reads: list[Read]) -> None:
        self.world, self.act, self.style, self.layouts, self.reads = world, act, style, layouts, reads
        self.group_line = {m: g.line for g in act.groups for m in g.members}
        self.edges = world.edges.arrays()

    # -- helpers -----------------------------------------------------------------------------------------
    def ts(self, t: int, layout: Layout) -> str:
        when = datetime.combine(self.world.start, datetime.min.time()) + timedelta(seconds=int(t))
        return when.strftime(layout.get("datetime_fmt", self.style.datetime_fmt))

    def phone_of(self, person: Person, t: int) -> int:
        line = self.group_line.get(person.index, person.lines[0] if person.lines else -1)
        return self.world.phone_at(line, t) if line >= 0 else -1

    def person_cells(self, layout: Layout, slot: str, w: Written, category: str = "",
                     local_ref: str = "") -> dict[str, str]:
        out: dict[str, str] = {}
        for key, col in layout["columns"].items():
            if not key.startswith(slot + "."):
                continue
            prop = key.split(".", 1)[1]
            value = {"name": w.full, "given_name": w.given, "family_name": w.family, "alias": w.alias,
                     "birth_date": w.birth_date, "nationality": w.nationality, "gender": w.gender,
                     "document": w.document, "phone": w.phone, "local_ref": local_ref,
                     "category": self.style.categories.get(category, "") if category else ""}[prop]
            out[col] = value
        return out

    def cells(self, layout: Layout, **by_prop: str) -> dict[str, str]:
        return {layout["columns"][k]: v for k, v in by_prop.items() if k in layout["columns"]}

    def num(self, value: float, layout: Layout, digits: int = 5) -> str:
        s = f"{value:.{digits}f}"
        return s.replace(".", ",") if layout.get("decimal") == "," else s

    def export(self, kind: str, key: str | None = None) -> tuple[Export, Layout] | None:
        layout = self.layouts.get(key or kind)
        if layout is None:
            return None
        return new_export(self.style, layout, layout.get("kind", kind)), layout

    def rng(self, what: str) -> np.random.Generator:
        return stream(self.world.seed, "export", self.style.code, what)

    # -- person records ----------------------------------------------------------------------------------
    def persons(self) -> Export | None:
        made = self.export("persons")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("persons")
        code = self.style.code
        year = self.world.start.year
        entries: list[tuple[int, int, str, str, str]] = []  # (t, person, category, role, notes)
        for a in self.act.arrests:
            if a.agency == code:
                p = self.world.persons[a.person]
                entries.append((a.t, a.person, "suspect", self.style.relation_words.get(p.role, p.role), ""))
        seen_refs: set[str] = set()
        for s in self.act.statements:
            if s.agency == code and s.ref not in seen_refs:
                seen_refs.add(s.ref)
                entries.append((s.t, s.witness, "victim", "", ""))
        for agency, person, t, _incident in self.act.witnesses:
            if agency == code:
                entries.append((t, person, "other", "", ""))
        entries.sort()
        dup = [e for e in entries if rng.random() < 0.05]  # the same person recorded twice
        entries = sorted(entries + dup)
        for n, (t, pidx, category, role, notes) in enumerate(entries, start=1):
            p = self.world.persons[pidx]
            ph = self.phone_of(p, t)
            give_phone = ph >= 0 and rng.random() < (0.9 if category == "suspect" else 0.65)
            w = write_person(p, self.style, rng, phone=self.world.phone_e164[ph] if give_phone else "",
                             with_document=0.8 if category == "suspect" else 0.35,
                             birth_missing=0.05 if category == "suspect" else 0.15,
                             alias_rate=0.7 if category == "suspect" else 0.0)
            values = self.person_cells(lay, "person", w, category, f"{code.upper()}-{year}-{n:05d}")
            address = ""
            if category == "other" and p.area:
                street = STREETS[int(rng.integers(len(STREETS)))]
                address = f"{int(rng.integers(1, 120))} {street}, {p.area}"
            day = self.world.day(t).strftime(self.style.date_fmt)
            notes = {("fr", "suspect"): f"Interpellé le {day}", ("fr", "victim"): f"Entendu(e) le {day}",
                     ("uk", "suspect"): f"Arrested {day}", ("uk", "victim"): f"Interviewed {day}",
                     ("be", "suspect"): f"Aangehouden op {day}"}.get((code, category), notes)
            values.update(self.cells(lay, role=role, address=address, notes=notes))
            exp.add(values, {"person": pidx}, {"person_id": p.pid, "category": category})
        return exp

    # -- crossings ---------------------------------------------------------------------------------------
    def crossings(self) -> Export | None:
        made = self.export("crossings")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("crossings")
        code = self.style.code
        for c in self.act.crossings:
            if c.recorder != code:
                continue
            place = BEACHES.get(c.place) or LORRY_SITES[c.place]
            plate = ""
            if c.mode == "lorry" and c.vehicle >= 0:
                plate = plate_variant(self.world.vehicles[c.vehicle].plate, rng)
            ref = f"{code.upper()}-{self.world.day(c.t).year}-{c.iid + 1:05d}"
            for pidx in c.recorded:
                p = self.world.persons[pidx]
                category = "suspect" if pidx == c.pilot else "victim"
                ph = self.phone_of(p, c.t)
                phone = self.world.phone_e164[ph] if ph >= 0 and rng.random() < 0.3 else ""
                w = write_person(p, self.style, rng, phone=phone, with_document=0.0, birth_missing=0.3,
                                 alias_rate=0.0)
                values = self.cells(lay, incident_ref=ref, occurred_at=self.ts(c.t, lay), place_from=c.place,
                                    mode=lay["words"]["mode"][c.mode], outcome=lay["words"]["outcome"][c.outcome],
                                    people_count=str(len(c.travellers) + (1 if c.pilot >= 0 else 0)), plate=plate,
                                    lat=self.num(place[1], lay, 3), lon=self.num(place[2], lay, 3))
                values.update(self.person_cells(lay, "traveller", w, category))
                exp.add(values, {"traveller": pidx}, {"incident": c.iid, "network_id": f"N{c.network + 1:02d}",
                                                      "traveller_id": p.pid})
        return exp

    # -- statements --------------------------------------------------------------------------------------
    def statements(self) -> Export | None:
        made = self.export("statements")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("statements")
        for s in self.act.statements:
            if s.agency != self.style.code:
                continue
            witness = self.world.persons[s.witness]
            subject = self.world.persons[s.subject]
            w = write_person(witness, self.style, rng, birth_missing=0.2, alias_rate=0.0, with_document=0.0)
            known_as = subject.nick if s.by_nick else spell(subject.name.given, subject.name.origin, rng, 0.6)
            phone = fmt(self.world.phone_e164[s.subject_phone], ("national", "intl", "national_compact")[
                int(rng.integers(3))], self.style.country) if s.subject_phone >= 0 else ""
            subj = Written(alias=known_as, phone=phone)
            role = self.style.relation_words[s.relation]
            if self.style.code == "fr":
                text = f"L'auditionné(e) désigne « {known_as} » comme {role}" + (f", joignable au {phone}" if phone
                                                                                 else "") + "."
            elif self.style.code == "uk":
                text = f"Witness states that '{known_as}' acted as {role.lower()}" + (
                    f", contactable on {phone}" if phone else "") + "."
            else:
                text = f"Getuige verklaart dat '{known_as}' optrad als {role}."
            values = self.cells(lay, statement_ref=s.ref, said_at=self.ts(s.t, lay), relation=role, text=text)
            values.update(self.person_cells(lay, "witness", w, "victim"))
            values.update(self.person_cells(lay, "subject", subj, "suspect"))
            exp.add(values, {"witness": s.witness, "subject": s.subject},
                    {"witness_id": witness.pid, "subject_id": subject.pid, "relation": s.relation,
                     "incident": s.incident})
        return exp

    # -- payments ----------------------------------------------------------------------------------------
    def transfers(self, key: str) -> Export | None:
        """Money-transfer records reported by the financial intelligence unit (receiver in its country)."""
        made = self.export("payments", key)
        if made is None:
            return None
        exp, lay = made
        rng = self.rng(key)
        for pay in self.act.payments:
            payee = self.world.persons[pay.payee]
            if pay.channel != "money_transfer" or payee.home != self.style.country:
                continue
            payer = self.world.persons[pay.payer]
            ph = self.phone_of(payer, pay.t)
            wp = write_person(payer, self.style, rng, phone=self.world.phone_e164[ph] if ph >= 0 else "",
                              with_document=0.0, alias_rate=0.0)
            we = write_person(payee, self.style, rng, with_document=0.9, birth_missing=0.05, alias_rate=0.0)
            amount = f"{pay.amount:,.2f}"
            if lay.get("decimal") == ",":
                amount = amount.replace(",", " ").replace(".", ",")
            values = self.cells(lay, payment_ref=f"{key.upper()[:3]}{pay.pay_id + 1:07d}",
                                paid_at=self.ts(pay.t, lay), amount=amount, currency=pay.currency,
                                channel=lay["words"]["channel"]["money_transfer"],
                                place=f"MT agent {payee.area or 'centre'}")
            values.update(self.person_cells(lay, "payer", wp))
            values.update(self.person_cells(lay, "payee", we))
            exp.add(values, {"payer": pay.payer, "payee": pay.payee},
                    {"payment_id": pay.pay_id, "payer_id": payer.pid, "payee_id": payee.pid,
                     "network_id": f"N{pay.network + 1:02d}", "group": pay.group})
        return exp

    def hawala_ledger(self) -> Export | None:
        """Transcription of ledgers seized from hawaladars based in the agency's country."""
        made = self.export("payments")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("hawala")
        symbols = {"GBP": "£", "USD": "$", "EUR": "€"}
        for pay in self.act.payments:
            if pay.channel != "hawala" or self.world.persons[pay.agent].home != self.style.country:
                continue
            payer, payee = self.world.persons[pay.payer], self.world.persons[pay.payee]
            agent = self.world.persons[pay.agent]
            wp = write_person(payer, self.style, rng, alias_rate=0.0)
            if rng.random() < 0.4:
                wp.family = ""  # first name only in the book
            ph = self.phone_of(payer, pay.t)
            wp.phone = phone_as_written(self.world.phone_e164[ph], self.style, rng) if (
                ph >= 0 and rng.random() < 0.5) else ""
            pph = self.phone_of(payee, pay.t)
            known_as = payee.nick or canonical(payee.name.given, payee.name.origin)
            we = Written(alias=known_as, phone=phone_as_written(self.world.phone_e164[pph], self.style, rng)
                         if pph >= 0 and rng.random() < 0.4 else "")
            values = self.cells(lay, payment_ref=f"{pay.pay_id + 1}", paid_at=self.ts(pay.t, lay),
                                amount=f"{symbols[pay.currency]}{pay.amount:,}", agent=agent.nick or
                                canonical(agent.name.given, agent.name.origin))
            values.update(self.person_cells(lay, "payer", wp))
            values.update(self.person_cells(lay, "payee", we))
            exp.add(values, {"payer": pay.payer, "payee": pay.payee},
                    {"payment_id": pay.pay_id, "payer_id": payer.pid, "payee_id": payee.pid,
                     "hawaladar_id": agent.pid, "network_id": f"N{pay.network + 1:02d}", "group": pay.group})
        return exp

    # -- phones: subscriber records ----------------------------------------------------------------------
    def subscribers(self) -> Export | None:
        made = self.export("phones")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("subscribers")
        country = self.style.country
        w = self.world
        wanted: set[int] = set()
        for a in self.act.arrests:
            for line in w.persons[a.person].lines:
                wanted.update(w.phones_of_line(line))
        for s in self.act.statements:
            if s.subject_phone >= 0:
                wanted.add(s.subject_phone)
        for net in w.networks:
            for members in net["members"].values():
                for pidx in members:
                    for line in w.persons[pidx].lines:
                        if rng.random() < 0.3:
                            wanted.update(w.phones_of_line(line))
        wanted = {ph for ph in wanted if country_of(w.phone_e164[ph]) == country}
        # numbers in touch with those, as requisitions widen (includes migrants' and residents' numbers)
        lines = {w.phone_line[ph] for ph in wanted}
        e = self.edges
        near = np.isin(e["a"], np.fromiter(lines, dtype=np.int64, count=len(lines)))
        others = np.unique(e["b"][near])
        for line in others.tolist()[: 4 * len(wanted) + 10]:
            if rng.random() < 0.25:
                wanted.update(ph for ph in w.phones_of_line(line) if country_of(w.phone_e164[ph]) == country)
        # straw subscribers: migrants (their papers are used to register SIMs) and residents of the country
        pool = [p.index for p in w.persons if p.role == "migrant" or (p.role == "resident" and p.home == country)]
        for ph in sorted(wanted):
            user = w.persons[w.line_owner[w.phone_line[ph]]]
            smuggler = user.network >= 0 or user.role == "broker"
            r = rng.random()
            if (smuggler and r < 0.5) or (not smuggler and r < 0.1):
                subscriber = w.persons[pool[int(rng.integers(len(pool)))]]  # registered in someone else's name
            else:
                subscriber = user
            ws = write_person(subscriber, self.style, rng, with_document=0.0, birth_missing=0.3, alias_rate=0.0)
            values = self.cells(lay, phone=fmt(w.phone_e164[ph], ("national", "msisdn", "e164")[int(rng.integers(3))],
                                               country),
                                operator=OPERATORS[country][int(rng.integers(len(OPERATORS[country])))],
                                activated_on=w.day(w.phone_start[ph]).strftime(self.style.date_fmt),
                                imei=f"35{int(rng.integers(10**12, 10**13)):013d}")
            values.update(self.person_cells(lay, "subscriber", ws))
            exp.add(values, {"subscriber": subscriber.index},
                    {"phone": w.phone_e164[ph], "user_id": user.pid, "subscriber_id": subscriber.pid})
        return exp

    # -- seized phones -----------------------------------------------------------------------------------
    def contacts(self) -> Export | None:
        made = self.export("contacts")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("contacts")
        w = self.world
        n = 0
        for a in self.act.arrests:
            if a.agency != self.style.code:
                continue
            owner = w.persons[a.person]
            devices = a.seized_phones or [self.phone_of(owner, a.t)]
            for ph in devices:
                if ph < 0 or rng.random() < 0.3:
                    continue  # not every device is seized or can be read
                n += 1
                ref = f"{'SCELLE' if self.style.code == 'fr' else 'EXH'}-{n:04d}"
                device = fmt(w.phone_e164[ph], "intl", self.style.country)
                wo = write_person(owner, self.style, rng, alias_rate=0.0, with_document=0.0)
                for entry in seized_contacts(w, ph, a.t, rng, self.edges):
                    values = self.cells(lay, device_ref=ref, device_phone=device, contact_label=entry.label,
                                        contact_phone=fmt(w.phone_e164[entry.phone], ("e164", "national", "intl")[
                                            int(rng.integers(3))], self.style.country))
                    values.update(self.person_cells(lay, "owner", Written(given=wo.given, family=wo.family,
                                                                          phone=device)))
                    exp.add(values, {"owner": owner.index, "contact": entry.person},
                            {"device_phone": w.phone_e164[ph], "owner_id": owner.pid,
                             "contact_phone": w.phone_e164[entry.phone], "contact_id": w.persons[entry.person].pid})
        return exp

    def messages(self) -> Export | None:
        """Chats extracted from the phones seized at this agency's arrests."""
        made = self.export("messages")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("messages")
        w = self.world
        channels = ("whatsapp", "whatsapp", "whatsapp", "sms", "telegram")
        for a in self.act.arrests:
            if a.agency != self.style.code:
                continue
            owner = w.persons[a.person]
            net = w.networks[owner.network] if owner.network >= 0 else None
            hawaladars = net["members"].get("hawaladar", []) if net else []
            hawala = w.persons[hawaladars[0]].nick if hawaladars and w.persons[hawaladars[0]].nick else "Haji"
            context = {"beach": net["beaches"][0].split(" (")[0] if net else "Calais", "hawala": hawala,
                       "price": f"{net['price'] if net else 2000}"}
            for ph in a.seized_phones:
                if ph < 0 or rng.random() < 0.3:
                    continue
                channel = channels[int(rng.integers(len(channels)))]
                for m in seized_messages(w, ph, a.t, rng, self.edges, context):
                    values = self.cells(lay, sender=fmt(w.phone_e164[m.sender], "e164", self.style.country),
                                        recipient=fmt(w.phone_e164[m.recipient], "e164", self.style.country),
                                        sent_at=self.ts(m.t, lay), channel=lay["words"]["channel"][channel],
                                        text=m.text)
                    exp.add(values, {}, {"device_phone": w.phone_e164[ph], "sender_id": w.persons[m.sender_person].pid,
                                         "recipient_id": w.persons[m.recipient_person].pid})
        return exp

    # -- vehicles and sightings --------------------------------------------------------------------------
    def sightings(self) -> Export | None:
        made = self.export("sightings")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("sightings")
        for r in self.reads:
            cam = CAMERAS[r.camera]
            if cam[0] != self.style.country:
                continue
            v = self.world.vehicles[r.vehicle]
            values = self.cells(lay, plate=plate_variant(v.plate, rng), seen_at=self.ts(r.t, lay), place=cam[1],
                                camera_id=r.camera, lat=self.num(cam[2], lay, 4), lon=self.num(cam[3], lay, 4))
            exp.add(values, {}, {"vehicle_id": v.vid, "user_id": self.world.persons[v.user].pid})
        return exp

    def vehicles(self) -> Export | None:
        made = self.export("vehicles")
        if made is None:
            return None
        exp, lay = made
        rng = self.rng("vehicles")
        seen = sorted({r.vehicle for r in self.reads if CAMERAS[r.camera][0] == self.style.country})
        for vidx in seen:
            v = self.world.vehicles[vidx]
            if v.country != self.style.country or (v.network < 0 and rng.random() > 0.2):
                continue
            keeper = self.world.persons[v.keeper]
            wk = write_person(keeper, self.style, rng, alias_rate=0.0, with_document=0.0, birth_missing=0.02)
            colour = v.colour if self.style.code == "fr" else {
                "blanc": "White", "gris": "Grey", "noir": "Black", "bleu": "Blue", "rouge": "Red",
                "argent": "Silver"}[v.colour]
            values = self.cells(lay, plate=v.plate, make=v.make.upper(), model=v.model, colour=colour)
            values.update(self.person_cells(lay, "keeper", wk))
            exp.add(values, {"keeper": v.keeper}, {"vehicle_id": v.vid, "keeper_id": keeper.pid,
                                                   "user_id": self.world.persons[v.user].pid})
        return exp

    def all(self) -> list[Export]:
        built = [self.persons(), self.subscribers(), self.contacts(), self.messages(), self.crossings(),
                 self.statements()]
        if "transfers" in self.layouts:  # a seized hawala ledger and the FIU's money-transfer reports
            built += [self.hawala_ledger(), self.transfers("transfers")]
        else:
            built.append(self.transfers("payments"))
        built += [self.sightings(), self.vehicles()]
        return [b for b in built if b is not None]

"""Evidence derived from the world and the activity: camera reads, subscriber checks, seized contact lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from filiere.simulate.journeys import Activity
from filiere.simulate.names import contact_label
from filiere.simulate.streams import stream
from filiere.simulate.world import BEACHES, LORRY_SITES, World

# camera id -> (country, place, lat, lon)
CAMERAS: dict[str, tuple[str, str, float, float]] = {
    "LAPI-A16-CALAIS-SUD": ("FR", "A16 sortie 43 Calais", 50.928, 1.872),
    "LAPI-A16-MARCK": ("FR", "A16 Marck", 50.953, 1.948),
    "LAPI-A16-GRAVELINES": ("FR", "A16 Gravelines", 50.982, 2.112),
    "LAPI-A16-BOULOGNE": ("FR", "A16 Boulogne-sur-Mer nord", 50.747, 1.640),
    "LAPI-A26-NORDAUSQUES": ("FR", "A26 Nordausques", 50.817, 2.079),
    "LAPI-RN1-ETAPLES": ("FR", "D940 Étaples", 50.516, 1.640),
    "ANPR-M20-J11": ("GB", "M20 J11 Hythe", 51.087, 1.047),
    "ANPR-A20-DOVER": ("GB", "A20 Dover Western Heights", 51.118, 1.300),
    "ANPR-M2-J7": ("GB", "M2 J7 Brenley Corner", 51.301, 0.948),
    "ANPR-A2-CANTERBURY": ("GB", "A2 Canterbury", 51.262, 1.093),
    "ANPR-E40-ADINKERKE": ("BE", "E40 Adinkerke", 51.068, 2.598),
    "ANPR-N34-DEPANNE": ("BE", "N34 De Panne", 51.098, 2.590),
}
_BY_COUNTRY = {c: [k for k, v in CAMERAS.items() if v[0] == c] for c in ("FR", "GB", "BE")}


@dataclass(frozen=True)
class Read:
    t: int
    vehicle: int
    camera: str


def camera_reads(world: World, act: Activity) -> list[Read]:
    """Plate reads: drivers' vehicles on launch nights and routinely, lorries on their way, and traffic."""
    rng = stream(world.seed, "anpr")
    reads: list[Read] = []
    for c in act.crossings:
        if c.vehicle < 0:
            continue
        if c.mode == "small_boat":
            country = BEACHES[c.place][0]
            for _ in range(int(rng.integers(1, 3))):
                cams = _BY_COUNTRY[country]
                when = c.t - int(rng.integers(600, 3 * 3600))
                reads.append(Read(when, c.vehicle, cams[int(rng.integers(len(cams)))]))
        else:
            country = LORRY_SITES[c.place][0]
            cams = _BY_COUNTRY[country]
            reads.append(Read(c.t - int(rng.integers(600, 2 * 3600)), c.vehicle, cams[int(rng.integers(len(cams)))]))
            if c.outcome == "succeeded":
                uk = _BY_COUNTRY["GB"]
                reads.append(Read(c.t + int(rng.integers(2 * 3600, 5 * 3600)), c.vehicle,
                                  uk[int(rng.integers(len(uk)))]))
    for v in world.vehicles:
        if v.network < 0 or v.country not in _BY_COUNTRY:
            continue
        n = int(rng.poisson(0.15 * world.size.days))
        cams = _BY_COUNTRY[v.country]
        for _ in range(n):
            reads.append(Read(int(rng.integers(0, world.horizon)), v.index, cams[int(rng.integers(len(cams)))]))
    background = [v.index for v in world.vehicles if v.network < 0]
    n = max(0, world.size.anpr_reads - len(reads))
    if background and n:
        which = rng.integers(0, len(background), size=n)
        times = rng.integers(0, world.horizon, size=n)
        pick = rng.random(n)
        for k in range(n):
            v = world.vehicles[background[int(which[k])]]
            country = v.country if v.country in _BY_COUNTRY else ("FR" if pick[k] < 0.6 else "GB")
            if v.kind == "lorry":
                country = "FR" if pick[k] < 0.5 else "GB"
            cams = _BY_COUNTRY[country]
            reads.append(Read(int(times[k]), v.index, cams[int(pick[k] * 1e6) % len(cams)]))
    reads = [r for r in reads if 0 <= r.t < world.horizon]
    reads.sort(key=lambda r: (r.t, r.vehicle, r.camera))
    return reads


@dataclass(frozen=True)
class ContactEntry:
    phone: int  # phone index saved
    person: int  # who used it
    label: str


def seized_contacts(world: World, device_phone: int, until: int, rng: np.random.Generator,
                    edges: dict[str, np.ndarray], limit: int = 150) -> list[ContactEntry]:
    """The contact list of a seized device: every number its line was in touch with before ``until``."""
    line = world.phone_line[device_phone]
    mask = ((edges["a"] == line) | (edges["b"] == line)) & (edges["t0"] < until)
    partners = np.where(edges["a"][mask] == line, edges["b"][mask], edges["a"][mask])
    t0s, t1s = edges["t0"][mask], np.minimum(edges["t1"][mask], until)
    out: list[ContactEntry] = []
    seen: set[int] = set()
    for partner, t0, t1 in zip(partners.tolist(), t0s.tolist(), t1s.tolist(), strict=True):
        for ph in world.phones_of_line(partner):
            if ph in seen or world.phone_start[ph] >= t1 or world.phone_end[ph] <= t0:
                continue
            seen.add(ph)
            user = world.persons[world.line_owner[partner]]
            out.append(ContactEntry(ph, user.index, contact_label(user.name, user.nick, rng)))
            if len(out) >= limit:
                return out
    return out


@dataclass(frozen=True)
class Message:
    t: int
    sender: int  # phone index
    recipient: int
    sender_person: int
    recipient_person: int
    text: str


CUSTOMER_TEXTS = ("Boat tonight, be ready 1am at {beach}", "Send the money to {hawala} first",
                  "How many people with you?", "Price is {price}, guarantee with hawala", "Tomorrow maybe, weather bad",
                  "Go to the bus stop, taxi come", "Where are you brother?", "No police now, come quick")
NETWORK_TEXTS = ("Engine is ready", "{n} people for tomorrow", "Police at {beach}, stop", "Need new SIM",
                 "Money received from {hawala}", "Car is in the garage", "Call me on the other number", "ok")

PRIVATE_TEXTS = ("Salam, how are you?", "Call mum tonight", "ok", "I send you photos", "When do you come?",
                 "Happy birthday brother", "Did you eat?", "I am at work, later")


def seized_messages(world: World, device_phone: int, until: int, rng: np.random.Generator,
                    edges: dict[str, np.ndarray], context: dict[str, str], limit: int = 300) -> list[Message]:
    """Chat messages found on a seized device: with each contact its line was in touch with while it was used."""
    line = world.phone_line[device_phone]
    owner = world.line_owner[line]
    lo, hi = world.phone_start[device_phone], min(world.phone_end[device_phone], until)
    mask = ((edges["a"] == line) | (edges["b"] == line)) & (edges["t0"] < hi) & (edges["t1"] > lo)
    partners = np.where(edges["a"][mask] == line, edges["b"][mask], edges["a"][mask])
    t0s = np.maximum(edges["t0"][mask], lo)
    t1s = np.minimum(edges["t1"][mask], hi)
    out: list[Message] = []
    for partner, t0, t1 in zip(partners.tolist(), t0s.tolist(), t1s.tolist(), strict=True):
        user = world.line_owner[partner]
        who = world.persons[user]
        if who.role == "migrant":
            texts = CUSTOMER_TEXTS
        elif who.network >= 0 or who.role == "broker":
            texts = NETWORK_TEXTS
        else:
            texts = PRIVATE_TEXTS
        for _ in range(min(int(rng.poisson(3)), 10)):
            t = int(rng.integers(t0, max(t0 + 1, t1)))
            other = world.phone_at(partner, t)
            text = texts[int(rng.integers(len(texts)))].format(n=int(rng.integers(10, 60)), **context)
            if rng.random() < 0.5:
                out.append(Message(t, device_phone, other, owner, user, text))
            else:
                out.append(Message(t, other, device_phone, user, owner, text))
        if len(out) >= limit:
            break
    out.sort(key=lambda m: (m.t, m.sender, m.recipient))
    return out

"""Populating the world: networks and their members, the background population, private circles, vehicles.

Each builder draws from its own seeded stream (:mod:`.streams`), so the order in which they run decides only
the person and line indices, never the draws of another builder.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from filiere.simulate.config import SizeConfig
from filiere.simulate.names import ORIGINS, nickname
from filiere.simulate.phones import ISO3_TO_PHONE_COUNTRY
from filiere.simulate.plates import draw_plate
from filiere.simulate.streams import stream
from filiere.simulate.world import (
    AREAS,
    BEACHES,
    CAMP_AREAS,
    DAY,
    NETWORK_TIES,
    ROLE_COUNTS,
    ROLES,
    Membership,
    Person,
    Vehicle,
    World,
    network_line,
)


def _pick(rng: np.random.Generator, weighted: tuple[tuple[str, float], ...]) -> str:
    values = [v for v, _ in weighted]
    w = np.array([x for _, x in weighted], dtype=float)
    return values[int(rng.choice(len(values), p=w / w.sum()))]


def _area_in(rng: np.random.Generator, country: str, prefer: tuple[str, ...] = ()) -> str:
    if prefer and rng.random() < 0.8:
        return prefer[int(rng.integers(len(prefer)))]
    areas = [a for a, (c, _, _) in AREAS.items() if c == country]
    return areas[int(rng.integers(len(areas)))] if areas else ""


def _smuggler_origin(rng: np.random.Generator, network_origin: str) -> str:
    return network_origin if rng.random() < 0.8 else list(ORIGINS)[int(rng.integers(len(ORIGINS)))]


def build_networks(world: World) -> None:
    """Networks, their members, shared brokers and hawaladars, movers, and their phone lines and ties."""
    rng = stream(world.seed, "networks")
    n = world.size.networks
    horizon = world.horizon
    # Kurdish networks dominate the small-boat business in public reporting; others run lorry places.
    origins = ["kurdish_iraq", "kurdish_iraq", "kurdish_iran", "afghan", "eritrean", "arab_sudan", "persian"]
    beaches = [b for b, (c, _, _) in BEACHES.items() if c == "FR"]
    for nid in range(n):
        origin = origins[nid % len(origins)]
        mode = "lorry" if (nid % 4 == 1) else "small_boat"
        nb = [beaches[int(i)] for i in rng.choice(len(beaches), size=2, replace=False)]
        if nid % 5 == 2:
            nb.append("De Panne")
        world.networks.append({"id": nid, "code": f"N{nid + 1:02d}", "origin": origin, "mode": mode,
                               "beaches": tuple(nb),
                               "price": (int(rng.integers(15, 31)) * 100 if mode == "small_boat"
                                         else int(rng.integers(40, 101)) * 100),
                               "members": {}})
    for net in world.networks:
        for role, (lo, hi) in ROLE_COUNTS.items():
            count = int(rng.integers(lo, hi + 1))
            # one ledger the NCA can seize, one collector TRACFIN can see
            home = {("hawaladar", 0): "GB", ("collector", 1): "FR"}.get((role, net["id"]))
            if role == "hawaladar" and net["id"] > 0 and rng.random() < 0.3:
                # uses another network's hawaladar (hawala bankers serve several networks)
                other = world.networks[int(rng.integers(net["id"]))]
                net["members"].setdefault(role, []).extend(other["members"]["hawaladar"])
                for p in other["members"]["hawaladar"]:
                    world.memberships.append(Membership(p, net["id"], role, 0, world.size.days))
                continue
            for _ in range(count):
                _add_member(world, rng, net, role, home)
    # brokers and suppliers (boats, engines) shared between networks
    n_brokers = max(2, n // 3)
    for _ in range(n_brokers):
        home = _pick(rng, ROLES["broker"][1])
        p = world.add_person(rng, _smuggler_origin(rng, "kurdish_iraq"), "broker", "suspect", home,
                             _area_in(rng, home))
        p.nick = nickname(p.name, rng)
        world.add_line(rng, p, home, 0, horizon)
        served = rng.choice(n, size=min(n, int(rng.integers(2, 4))), replace=False)
        for nid in sorted(int(x) for x in served):
            world.networks[nid]["members"].setdefault("broker", []).append(p.index)
            world.memberships.append(Membership(p.index, nid, "broker", 0, world.size.days))
    # some members change network during the period
    movers = []
    for net in world.networks:
        for role in ("recruiter", "driver", "pilot"):
            for pidx in list(net["members"].get(role, [])):
                if n > 1 and rng.random() < 0.08:
                    movers.append((pidx, net["id"], role))
    for pidx, old, role in movers:
        new = int(rng.integers(n - 1))
        new = new + 1 if new >= old else new
        day = int(rng.integers(world.size.days // 4, 3 * world.size.days // 4))
        for m in world.memberships:
            if m.person == pidx and m.network == old:
                m.end_day = day
        world.memberships.append(Membership(pidx, new, role, day, world.size.days))
        world.networks[new]["members"].setdefault(role, []).append(pidx)
        world.persons[pidx].network = new


def _add_member(world: World, rng: np.random.Generator, net: dict, role: str, home: str | None = None) -> Person:
    category, homes, n_lines, rotate = ROLES[role]
    home = home or _pick(rng, homes)
    area = _area_in(rng, home, CAMP_AREAS if role in ("recruiter", "pilot") and home == "FR" else ())
    origin = _smuggler_origin(rng, net["origin"])
    p = world.add_person(rng, origin, role, category, home, area, network=net["id"])
    if rng.random() < 0.8:
        p.nick = nickname(p.name, rng)
    horizon = world.horizon
    for k in range(n_lines):
        if k == 1 and rng.random() < 0.3 and role not in ("recruiter",):
            continue
        country = home
        if role == "organiser" and k == 1:
            country = "GB" if rng.random() < 0.5 else "FR"
        if home == "BE" and rng.random() < 0.3:
            country = "FR"
        world.add_line(rng, p, country, 0, horizon, rotate)
    net["members"].setdefault(role, []).append(p.index)
    world.memberships.append(Membership(p.index, net["id"], role, 0, world.size.days))
    return p


def network_ties(world: World, ends: dict[int, int]) -> None:
    """Calls inside each network while both members belong to it (and until either is arrested)."""
    rng = stream(world.seed, "ties")
    for net in world.networks:
        nid = net["id"]
        spans = {m.person: (m.start_day * DAY, min(m.end_day * DAY, ends.get(m.person, world.horizon)))
                 for m in world.memberships if m.network == nid}
        for ra, rb, rate in (*NETWORK_TIES, ("broker", "organiser", 0.15), ("broker", "logistics", 0.3)):
            for a in net["members"].get(ra, []):
                for b in net["members"].get(rb, []):
                    if a >= b and ra == rb:
                        continue
                    t0 = max(spans[a][0], spans[b][0])
                    t1 = min(spans[a][1], spans[b][1])
                    r = rate * float(rng.uniform(0.5, 1.5))
                    world.edges.add(network_line(world.persons[a]), network_line(world.persons[b]), r, t0, t1)


def build_background(world: World) -> None:
    """Residents, lorry drivers and aid workers with their own call circles (the haystack)."""
    rng = stream(world.seed, "background")
    n = world.size.background
    horizon = world.horizon
    kinds = rng.choice(5, size=n, p=[0.55, 0.25, 0.1, 0.07, 0.03])  # FR res, GB res, BE res, lorry, aid
    first = len(world.persons)
    first_line = len(world.line_owner)
    for i in range(n):
        k = int(kinds[i])
        if k == 3:
            origin = ("pl", "ro", "gb")[int(rng.integers(3))]
            home = {"pl": "PL", "ro": "RO", "gb": "GB"}[origin]
            p = world.add_person(rng, origin, "lorry_driver", "other", home, "")
        elif k == 4:
            origin, home = (("fr", "FR"), ("gb", "GB"))[int(rng.integers(2))]
            p = world.add_person(rng, origin, "aid_worker", "other", home, _area_in(rng, "FR", CAMP_AREAS))
        else:
            origin, home = (("fr", "FR"), ("gb", "GB"), ("be", "BE"))[k]
            p = world.add_person(rng, origin, "resident", "other", home, _area_in(rng, home))
        world.add_line(rng, p, home, 0, horizon)
    # circles: mostly within the same area, some anywhere
    lines = np.arange(first_line, first_line + n, dtype=np.int64)
    areas = np.array([world.persons[first + i].area for i in range(n)])
    order = np.argsort(areas, kind="stable")
    degree = rng.poisson(3, size=n) + 1
    src = np.repeat(np.arange(n), degree)
    local = rng.random(src.size) < 0.8
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    sorted_areas = areas[order]
    starts = np.searchsorted(sorted_areas, sorted_areas, side="left")
    ends = np.searchsorted(sorted_areas, sorted_areas, side="right")
    s_pos = pos[src]
    lo, hi = starts[s_pos], ends[s_pos]
    local_pick = order[lo + (rng.random(src.size) * (hi - lo)).astype(np.int64)]
    any_pick = rng.integers(0, n, size=src.size)
    dst = np.where(local, local_pick, any_pick)
    rate = rng.gamma(1.5, 0.25, size=src.size)
    world.edges.extend(lines[src], lines[dst], rate, np.zeros(src.size, dtype=np.int64),
                       np.full(src.size, horizon, dtype=np.int64))
    world.background_range = (first, first + n)


def smuggler_private_circles(world: World) -> None:
    """Smugglers also call family and friends: ties into the background population."""
    rng = stream(world.seed, "private-circles")
    b0, b1 = world.background_range
    residents = [i for i in range(b0, b1) if world.persons[i].role == "resident"]
    for p in world.persons[:b0]:
        if p.role == "migrant" or not p.lines:
            continue
        for _ in range(int(rng.integers(2, 7))):
            q = world.persons[residents[int(rng.integers(len(residents)))]]
            world.edges.add(network_line(p), q.lines[0], float(rng.uniform(0.1, 0.5)), 0, world.horizon)
        if p.home in ("FR", "BE", "GB") and p.name.origin in ORIGINS:
            fam = world.add_person(rng, p.name.origin, "family", "other",
                                   ISO3_TO_PHONE_COUNTRY[ORIGINS[p.name.origin][2]], "")
            world.add_line(rng, fam, fam.home, 0, world.horizon)
            world.edges.add(network_line(p), fam.lines[0], float(rng.uniform(0.2, 0.6)), 0, world.horizon)


VEHICLE_MODELS = {
    "van": (("Renault", "Trafic"), ("Peugeot", "Boxer"), ("Ford", "Transit"), ("Citroën", "Jumper"),
            ("Volkswagen", "Transporter")),
    "car": (("Peugeot", "308"), ("Renault", "Clio"), ("Volkswagen", "Golf"), ("BMW", "320d"),
            ("Audi", "A4"), ("Ford", "Focus"), ("Vauxhall", "Astra"), ("Toyota", "Yaris")),
    "lorry": (("Volvo", "FH"), ("Scania", "R450"), ("DAF", "XF"), ("Mercedes-Benz", "Actros"), ("MAN", "TGX")),
}
COLOURS = ("blanc", "gris", "noir", "bleu", "rouge", "argent")


def build_vehicles(world: World) -> None:
    """Drivers' cars and vans (some registered to someone else), residents' cars, lorries."""
    rng = stream(world.seed, "vehicles")
    b0, b1 = world.background_range
    residents = {c: [i for i in range(b0, b1) if world.persons[i].role == "resident" and world.persons[i].home == c]
                 for c in ("FR", "GB", "BE")}

    def add(kind: str, country: str, keeper: int, user: int, network: int) -> None:
        make, model = VEHICLE_MODELS[kind][int(rng.integers(len(VEHICLE_MODELS[kind])))]
        world.vehicles.append(Vehicle(len(world.vehicles), draw_plate(rng, country), country, kind, make, model,
                                      COLOURS[int(rng.integers(len(COLOURS)))], keeper, user, network))

    for net in world.networks:
        for role in ("driver", "lieutenant", "logistics"):
            for pidx in net["members"].get(role, []):
                p = world.persons[pidx]
                if p.home not in ("FR", "GB", "BE") or (role != "driver" and rng.random() < 0.5):
                    continue
                for _ in range(int(rng.integers(1, 3)) if role == "driver" else 1):
                    keeper = pidx
                    if rng.random() < 0.4 and residents[p.home]:  # registered to a straw keeper
                        pool = residents[p.home]
                        keeper = pool[int(rng.integers(len(pool)))]
                    add("van" if role == "driver" and rng.random() < 0.6 else "car", p.home, keeper, pidx, net["id"])
    for i in range(b0, b1):
        p = world.persons[i]
        if p.role == "lorry_driver":
            add("lorry", p.home, i, i, -1)
        elif p.role == "resident" and rng.random() < 0.1:
            add("car", p.home, i, i, -1)


def build_world(size: SizeConfig, seed: int, start: date) -> World:
    world = World(size=size, seed=seed, start=start)
    build_networks(world)
    build_background(world)
    return world

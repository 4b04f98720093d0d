"""Migrants' journeys and what they leave behind: recruitment calls, payments, crossings, arrests, interviews.

Migrants are victims (LED category ``victim``); they are never network members.  They arrive near the coast
in small groups sharing a phone, are recruited by a network's recruiter, pay (themselves or their family
abroad) through a hawaladar or a money-transfer agent, and wait for a launch.  Launches take the waiting
groups; failed attempts send them back to wait.  Outcomes decide which agency records them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from filiere.simulate.names import ORIGINS
from filiere.simulate.phones import ISO3_TO_PHONE_COUNTRY
from filiere.simulate.population import build_vehicles, network_ties, smuggler_private_circles
from filiere.simulate.streams import stream
from filiere.simulate.world import (
    BEACHES,
    CAMP_AREAS,
    DAY,
    LORRY_SITES,
    World,
    customer_line,
    network_line,
)

BOAT_OUTCOMES = (("succeeded", 0.55), ("intercepted", 0.25), ("rescued", 0.12), ("aborted", 0.08))
LORRY_OUTCOMES = (("succeeded", 0.25), ("intercepted", 0.60), ("aborted", 0.15))
MAX_ATTEMPTS = 5


@dataclass(slots=True)
class Group:
    gid: int
    members: list[int]
    network: int
    recruiter: int
    arrival: int  # seconds
    leave: int
    line: int
    family: int  # person index of the family member abroad, -1 if none
    done: bool = False
    attempts: int = 0


@dataclass(slots=True)
class Crossing:
    iid: int
    network: int
    mode: str
    t: int
    place: str
    outcome: str
    travellers: list[int]
    pilot: int
    driver: int
    vehicle: int  # -1 when none
    recorder: str  # fr | uk | be | "" (not recorded)
    recorded: list[int] = field(default_factory=list)  # travellers whose identity was taken


@dataclass(slots=True)
class Payment:
    pay_id: int
    t: int
    payer: int
    payee: int
    agent: int  # hawaladar (person) for hawala; -1 for money transfer
    amount: int
    currency: str
    channel: str  # hawala | money_transfer
    network: int
    group: int
    released: int  # seconds when a held hawala payment was released, -1 if not


@dataclass(slots=True)
class Statement:
    ref: str
    agency: str
    t: int
    witness: int
    subject: int
    relation: str
    subject_phone: int  # phone index the witness gives, -1 if none
    by_nick: bool
    incident: int


@dataclass(slots=True)
class Arrest:
    person: int
    agency: str
    t: int
    seized_phones: list[int]  # phone indices seized (devices)


@dataclass
class Activity:
    groups: list[Group] = field(default_factory=list)
    crossings: list[Crossing] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    arrests: list[Arrest] = field(default_factory=list)
    witnesses: list[tuple[str, int, int, int]] = field(default_factory=list)  # (agency, person, t, incident)


def _choose(rng: np.random.Generator, options: tuple[tuple[str, float], ...]) -> str:
    w = np.array([p for _, p in options])
    return options[int(rng.choice(len(options), p=w / w.sum()))][0]


def _agency_of(country: str) -> str:
    return {"FR": "fr", "GB": "uk", "BE": "be"}.get(country, "")


def make_groups(world: World, act: Activity) -> None:
    rng = stream(world.seed, "migrants")
    horizon = world.horizon
    origins = list(ORIGINS)
    shares = np.array([ORIGINS[o][3] for o in origins])
    made = 0
    while made < world.size.migrants:
        size = int(rng.choice([1, 2, 3, 4, 5], p=[0.45, 0.25, 0.15, 0.1, 0.05]))
        origin = origins[int(rng.choice(len(origins), p=shares / shares.sum()))]
        # networks recruit mostly among their own community, not only
        same = [n for n in world.networks if n["origin"] == origin]
        net = (same[int(rng.integers(len(same)))] if same and rng.random() < 0.6
               else world.networks[int(rng.integers(len(world.networks)))])
        arrival = int(rng.integers(0, max(1, world.size.days - 20))) * DAY + int(rng.integers(0, DAY))
        recruiters = [p for p in net["members"]["recruiter"]
                      if any(m.person == p and m.network == net["id"] and m.start_day * DAY <= arrival < m.end_day * DAY
                             for m in world.memberships)] or net["members"]["recruiter"]
        recruiter = recruiters[int(rng.integers(len(recruiters)))]
        area = CAMP_AREAS[int(rng.integers(len(CAMP_AREAS)))]
        members = [world.add_person(rng, origin, "migrant", "victim", "FR", area, adult=(k == 0 or rng.random() > 0.1))
                   for k in range(size)]
        leader = members[0]
        country = _choose(rng, (("FR", 0.55), ("GB", 0.2), (ISO3_TO_PHONE_COUNTRY[ORIGINS[origin][2]], 0.25)))
        gid = len(act.groups)
        line = world.add_line(rng, leader, country, arrival, horizon, (0, 0),
                              users=tuple(m.index for m in members), area=area)
        family = -1
        if rng.random() < 0.75:
            fam_country = ISO3_TO_PHONE_COUNTRY[ORIGINS[origin][2]] if rng.random() < 0.7 else (
                "DE" if rng.random() < 0.5 else "GB")
            fam = world.add_person(rng, origin, "family", "other", fam_country, "")
            world.add_line(rng, fam, fam_country, 0, horizon)
            family = fam.index
        for m in members[1:]:
            if rng.random() < 0.3:
                world.add_line(rng, m, "FR", arrival, horizon, (0, 0), area=area)
        act.groups.append(Group(gid, [m.index for m in members], net["id"], recruiter, arrival, horizon, line,
                                family))
        made += size


def run_launches(world: World, act: Activity) -> None:
    rng = stream(world.seed, "launches")
    days = world.size.days
    small_world = world.size.migrants < 1000
    min_boat = 12 if small_world else 30
    ready: dict[int, int] = {g.gid: g.arrival + int(rng.integers(2, 10)) * DAY for g in act.groups}
    arrested: set[int] = set()
    by_net: dict[int, list[Group]] = {n["id"]: [] for n in world.networks}
    for g in act.groups:
        by_net[g.network].append(g)
    lorries = [v for v in world.vehicles if v.kind == "lorry"]
    vehicle_of: dict[int, int] = {}
    for v in world.vehicles:
        vehicle_of.setdefault(v.user, v.index)
    spans = {(m.person, m.network): (m.start_day * DAY, m.end_day * DAY) for m in world.memberships}

    def active(person: int, network: int, t: int) -> bool:
        """Still a member of that network at time t (members who moved on are not used any more)."""
        start, end = spans[(person, network)]
        return start <= t < end

    b0, b1 = world.background_range
    local_witnesses = {a: [i for i in range(b0, b1, max(1, (b1 - b0) // 2000))
                           if world.persons[i].role in ("resident", "aid_worker")
                           and _agency_of(world.persons[i].home) == a] for a in ("fr", "uk", "be")}
    for d in range(days):
        for net in world.networks:
            pending = by_net[net["id"]] = [g for g in by_net[net["id"]] if not g.done]
            waiting = [g for g in pending if ready[g.gid] <= d * DAY]
            people = sum(len(g.members) for g in waiting)
            boat = net["mode"] == "small_boat"
            if boat and (people < min_boat or rng.random() > 0.35):
                continue
            if not boat and (people < 1 or rng.random() > 0.5):
                continue
            capacity = int(rng.integers(40, 71)) if boat else int(rng.integers(2, 9))
            taken: list[Group] = []
            count = 0
            for g in waiting:
                if count + len(g.members) > capacity and taken:
                    break
                taken.append(g)
                count += len(g.members)
            t = d * DAY + int(rng.integers(0, 6 * 3600))  # launches at night
            outcome = _choose(rng, BOAT_OUTCOMES if boat else LORRY_OUTCOMES)
            pilots = [p for p in net["members"].get("pilot", []) if p not in arrested and active(p, net["id"], t)]
            drivers = [p for p in net["members"].get("driver", []) if active(p, net["id"], t)]
            pilot = pilots[int(rng.integers(len(pilots)))] if boat and pilots else -1
            driver = drivers[int(rng.integers(len(drivers)))] if drivers else -1
            if boat:
                place = net["beaches"][int(rng.integers(len(net["beaches"])))]
                country = BEACHES[place][0]
                vehicle = vehicle_of.get(driver, -1)
                recorder = {"succeeded": "uk"}.get(outcome, _agency_of(country))
                share = {"succeeded": 1.0, "intercepted": 0.6, "rescued": 0.8, "aborted": 0.4}[outcome]
            else:
                sites = [s for s in LORRY_SITES if LORRY_SITES[s][0] == "FR" or "De Panne" in net["beaches"]]
                place = sites[int(rng.integers(len(sites)))]
                lorry = lorries[int(rng.integers(len(lorries)))] if lorries else None
                vehicle = lorry.index if lorry else -1
                if outcome == "aborted":
                    recorder = _agency_of(LORRY_SITES[place][0])
                else:
                    recorder = "uk" if (outcome == "intercepted" or rng.random() < 0.5) else ""
                share = 1.0
                if lorry is not None and rng.random() < 0.5 and recorder:
                    act.witnesses.append((recorder, lorry.user, t + 3600, len(act.crossings)))
            travellers = [m for g in taken for m in g.members]
            recorded = [m for m in travellers if recorder and rng.random() < share]
            if boat and pilot >= 0 and recorder:
                recorded.append(pilot)
            cr = Crossing(len(act.crossings), net["id"], "small_boat" if boat else "lorry", t, place, outcome,
                          travellers, pilot, driver, vehicle, recorder, recorded)
            act.crossings.append(cr)
            if boat and outcome == "succeeded" and pilot >= 0 and rng.random() < 0.3:
                arrested.add(pilot)
                act.arrests.append(Arrest(pilot, "uk", t + 4 * 3600, []))
            if recorder and rng.random() < 0.3:
                locals_ = local_witnesses[recorder]
                if locals_:
                    act.witnesses.append((recorder, locals_[int(rng.integers(len(locals_)))], t + 7200, cr.iid))
            # calls around the launch: driver with the group leaders, driver with pilot
            for g in taken:
                g.attempts += 1
                if driver >= 0:
                    world.edges.add(network_line(world.persons[driver]), g.line, 3.0, t - DAY, t)
                if outcome == "succeeded" or g.attempts >= MAX_ATTEMPTS:
                    g.done = True
                    g.leave = t + 2 * DAY
                else:
                    ready[g.gid] = t + int(rng.integers(3, 11)) * DAY
            if pilot >= 0 and driver >= 0:
                world.edges.add(network_line(world.persons[pilot]), network_line(world.persons[driver]), 2.0,
                                t - 2 * DAY, t)
            _interviews(world, act, cr, taken, rng)


def _interviews(world: World, act: Activity, cr: Crossing, taken: list[Group], rng: np.random.Generator) -> None:
    """Some recorded travellers are interviewed; they name recruiters, drivers, pilots and collectors."""
    if not cr.recorder:
        return
    net = world.networks[cr.network]
    by_member = {m: g for g in taken for m in g.members}
    for m in cr.recorded:
        g = by_member.get(m)
        if g is None or rng.random() > 0.25:
            continue
        ref = f"{cr.recorder.upper()}-ST-{len(act.statements) + 1:06d}"
        said = cr.t + int(rng.integers(2, 30)) * 3600
        subjects: list[tuple[int, str]] = [(g.recruiter, "recruiter")]
        if cr.driver >= 0 and rng.random() < 0.4:
            subjects.append((cr.driver, "driver"))
        if cr.pilot >= 0 and rng.random() < 0.2:
            subjects.append((cr.pilot, "pilot"))
        collectors = net["members"].get("collector", [])
        if collectors and rng.random() < 0.15:
            subjects.append((collectors[int(rng.integers(len(collectors)))], "collector"))
        for subject, relation in subjects:
            sp = world.persons[subject]
            line = customer_line(sp) if relation == "recruiter" else network_line(sp)
            phone = world.phone_at(line, g.arrival + DAY) if rng.random() < 0.6 else -1
            act.statements.append(Statement(ref, cr.recorder, said, m, subject,
                                            relation, phone, bool(sp.nick) and rng.random() < 0.75, cr.iid))


def recruitment_and_payments(world: World, act: Activity) -> None:
    rng = stream(world.seed, "payments")
    aid = [p.index for p in world.persons if p.role == "aid_worker"]
    for g in act.groups:
        net = world.networks[g.network]
        rec = world.persons[g.recruiter]
        world.edges.add(customer_line(rec), g.line, float(rng.uniform(0.8, 2.5)), g.arrival, g.leave)
        if g.family >= 0:
            world.edges.add(g.line, world.persons[g.family].lines[0], float(rng.uniform(0.3, 1.0)),
                            g.arrival, g.leave + 10 * DAY)
        if aid and rng.random() < 0.3:
            a = world.persons[aid[int(rng.integers(len(aid)))]]
            world.edges.add(a.lines[0], g.line, float(rng.uniform(0.1, 0.4)), g.arrival, g.leave)
        for m in g.members[1:]:
            for ln in world.persons[m].lines:
                world.edges.add(ln, g.line, 1.0, g.arrival, g.leave)
        # payment
        price = net["price"]
        amount = int(round(price * len(g.members) * float(rng.uniform(0.85, 1.1)), -2))
        t = g.arrival + int(rng.integers(1, 6)) * DAY + int(rng.integers(0, DAY))
        payer = g.family if (g.family >= 0 and rng.random() < 0.45) else g.members[0]
        if rng.random() < 0.65:
            hawaladars = net["members"]["hawaladar"]
            agent = hawaladars[int(rng.integers(len(hawaladars)))]
            payees = net["members"].get("collector", []) + net["members"]["organiser"]
            payee = payees[int(rng.integers(len(payees)))]
            currency = "USD" if world.persons[payer].home == "IQ" else ("GBP" if rng.random() < 0.6 else "EUR")
            released = g.leave if g.done and g.attempts > 0 else -1
            act.payments.append(Payment(len(act.payments), t, payer, payee, agent, amount, currency, "hawala",
                                        g.network, g.gid, released))
        else:
            collectors = net["members"].get("collector", []) or net["members"]["organiser"]
            payee = collectors[int(rng.integers(len(collectors)))]
            parts = int(rng.integers(1, 4))  # structuring below reporting thresholds
            for k in range(parts):
                cur = "GBP" if world.persons[payee].home == "GB" else "EUR"
                act.payments.append(Payment(len(act.payments), t + k * int(rng.integers(1, 3)) * DAY, payer, payee,
                                            -1, int(round(amount / parts, -1)), cur, "money_transfer", g.network,
                                            g.gid, -1))


def action_day_arrests(world: World, act: Activity) -> None:
    """The joint action day near the end of the period: each agency arrests part of the members at home."""
    rng = stream(world.seed, "arrests")
    t = (world.size.days - 3) * DAY + 6 * 3600
    already = {a.person for a in act.arrests}
    seen: set[int] = set()
    for net in world.networks:
        for role in sorted(net["members"]):
            for pidx in net["members"][role]:
                if pidx in seen or pidx in already:
                    continue
                seen.add(pidx)
                p = world.persons[pidx]
                agency = _agency_of(p.home)
                if not agency or rng.random() > 0.4:
                    continue
                act.arrests.append(Arrest(pidx, agency, t + int(rng.integers(0, 4 * 3600)), []))
    for a in act.arrests:
        p = world.persons[a.person]
        a.seized_phones = [world.phone_at(line, a.t) for line in p.lines]


def simulate_activity(world: World) -> Activity:
    act = Activity()
    make_groups(world, act)
    smuggler_private_circles(world)
    build_vehicles(world)
    world.finish()
    run_launches(world, act)
    recruitment_and_payments(world, act)
    action_day_arrests(world, act)
    arrested = {a.person: a.t for a in act.arrests}
    network_ties(world, arrested)
    world.edges.stop_lines({line: t for p, t in arrested.items() for line in world.persons[p].lines})
    return act

"""The answer key: the truth behind every export, in plain CSV so any tool can be scored against it.

Files (all UTF-8, comma-separated, one header row) — documented in ``docs/simulator.md``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from filiere.simulate.journeys import Activity
from filiere.simulate.world import DAY, World


def _write(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)
            n += 1
    return n


def net_id(n: int) -> str:
    return f"N{n + 1:02d}" if n >= 0 else ""


def write_world_key(key: Path, world: World, act: Activity) -> None:
    from filiere.simulate.names import canonical

    _write(key / "persons.csv",
           ["person_id", "network_id", "role", "category", "name", "nickname", "nationality", "birth_date",
            "birth_year_only", "documents", "home_country"],
           ([p.pid, net_id(p.network), p.role, p.category,
             f"{canonical(p.name.given, p.name.origin)} {canonical(p.name.family, p.name.origin)}", p.nick,
             p.nationality, p.birth.isoformat(), int(p.birth_year_only), "|".join(p.documents), p.home]
            for p in world.persons))
    members: dict[int, set[int]] = {}
    for m in world.memberships:
        members.setdefault(m.network, set()).add(m.person)
    _write(key / "networks.csv", ["network_id", "origin", "mode", "price_per_place", "members", "beaches"],
           ([net_id(n["id"]), n["origin"], n["mode"], n["price"], len(members.get(n["id"], ())),
             "|".join(n["beaches"])] for n in world.networks))
    _write(key / "network_members.csv", ["network_id", "person_id", "role", "from", "to"],
           ([net_id(m.network), world.persons[m.person].pid, m.role, world.day(m.start_day * DAY).isoformat(),
             world.day(m.end_day * DAY).isoformat()]
            for m in sorted(world.memberships, key=lambda m: (m.network, m.person, m.start_day))))
    _write(key / "phones.csv", ["phone_e164", "person_id", "first_used", "last_used", "line_id", "shared"],
           ([world.phone_e164[ph], world.persons[u].pid, world.day(world.phone_start[ph]).isoformat(),
             world.day(max(world.phone_start[ph], world.phone_end[ph] - 1)).isoformat(), world.phone_line[ph],
             int(len(world.line_users[world.phone_line[ph]]) > 1)]
            for ph in range(len(world.phone_e164)) for u in world.line_users[world.phone_line[ph]]))
    _write(key / "vehicles.csv",
           ["vehicle_id", "plate", "country", "kind", "make", "model", "colour", "keeper_id", "user_id",
            "network_id"],
           ([v.vid, v.plate, v.country, v.kind, v.make, v.model, v.colour, world.persons[v.keeper].pid,
             world.persons[v.user].pid, net_id(v.network)] for v in world.vehicles))
    _write(key / "crossings.csv",
           ["incident_id", "network_id", "mode", "outcome", "occurred_at", "place", "travellers", "pilot_id",
            "driver_id", "recorded_by"],
           ([c.iid, net_id(c.network), c.mode, c.outcome, world.day(c.t).isoformat(), c.place, len(c.travellers),
             world.persons[c.pilot].pid if c.pilot >= 0 else "", world.persons[c.driver].pid if c.driver >= 0 else "",
             c.recorder] for c in act.crossings))
    _write(key / "groups.csv", ["group_id", "network_id", "recruiter_id", "members", "arrival", "attempts",
                                "crossed"],
           ([g.gid, net_id(g.network), world.persons[g.recruiter].pid,
             "|".join(world.persons[m].pid for m in g.members), world.day(g.arrival).isoformat(), g.attempts,
             int(g.done and g.attempts > 0)] for g in act.groups))


def write_export_key(key: Path, files: list[dict[str, Any]], mentions: list[tuple[str, int, str, str]],
                     dirty: list[tuple[str, int, str, str]]) -> None:
    _write(key / "files.csv", ["file", "agency", "kind", "rows", "clean_rows", "dirty_rows", "mapping"],
           ([f["file"], f["agency"], f["kind"], f["rows"], f["rows"] - f["dirty"], f["dirty"], f["mapping"]]
            for f in files))
    _write(key / "mentions.csv", ["file", "row", "slot", "person_id"], mentions)
    _write(key / "dirty_rows.csv", ["file", "row", "field", "reason"], dirty)


def write_events(key: Path, file: str, events: list[dict[str, Any]]) -> None:
    if not events:
        header = ["row"]
    else:
        header = list(events[0])
    _write(key / "events" / file, header, ([e.get(h, "") for h in header] for e in events))

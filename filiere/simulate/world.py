"""The world: people, smuggling networks and their roles, phone lines with burner rotation, vehicles.

Persons are indexed 0..n-1 (``person_id`` = ``P`` + 6 digits).  A person uses one or more *lines*: a line is
a use of a phone (a smuggler's "customer phone", a migrant group's shared phone) that lasts the whole time
the person plays that part; burner rotation gives a line several numbers in turn, the new number taking
over the old one's contacts the day the old one goes silent.  Call relationships (:class:`Edges`) link lines,
so a contact follows a smuggler from number to number, as in real call data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from filiere.simulate.config import SizeConfig
from filiere.simulate.names import FEMALE_NAMES, ORIGINS, TrueName, draw_true_name
from filiere.simulate.phones import NumberPool

DAY = 86_400

# role -> (LED category, home countries (weights), lines, (min, max) days between burner changes; 0 = never)
ROLES: dict[str, tuple[str, tuple[tuple[str, float], ...], int, tuple[int, int]]] = {
    "organiser": ("suspect", (("IQ", 0.35), ("DE", 0.25), ("GB", 0.2), ("TR", 0.1), ("BE", 0.1)), 2, (60, 200)),
    "lieutenant": ("suspect", (("FR", 0.75), ("BE", 0.25)), 2, (30, 90)),
    "recruiter": ("suspect", (("FR", 0.9), ("BE", 0.1)), 2, (14, 45)),
    "driver": ("suspect", (("FR", 0.7), ("BE", 0.2), ("GB", 0.1)), 1, (20, 60)),
    "pilot": ("suspect", (("FR", 1.0),), 1, (20, 60)),
    "collector": ("suspect", (("GB", 0.6), ("FR", 0.3), ("BE", 0.1)), 2, (60, 150)),
    "hawaladar": ("suspect", (("GB", 0.45), ("DE", 0.2), ("IQ", 0.2), ("TR", 0.15)), 1, (0, 0)),
    "logistics": ("suspect", (("DE", 0.4), ("FR", 0.3), ("BE", 0.3)), 1, (60, 200)),
    "broker": ("suspect", (("DE", 0.4), ("TR", 0.3), ("BE", 0.3)), 1, (0, 0)),
}
# (min, max) members per network for each role
ROLE_COUNTS: dict[str, tuple[int, int]] = {
    "organiser": (1, 2), "lieutenant": (2, 3), "recruiter": (4, 8), "driver": (2, 4), "pilot": (2, 4),
    "collector": (1, 2), "hawaladar": (1, 1), "logistics": (1, 2),
}
# call rates (calls/day) between roles inside a network
NETWORK_TIES: tuple[tuple[str, str, float], ...] = (
    ("organiser", "lieutenant", 1.0), ("organiser", "hawaladar", 0.3), ("organiser", "collector", 0.4),
    ("organiser", "logistics", 0.2), ("lieutenant", "lieutenant", 0.5), ("lieutenant", "recruiter", 1.2),
    ("lieutenant", "driver", 0.8), ("lieutenant", "pilot", 0.4), ("lieutenant", "logistics", 0.6),
    ("recruiter", "recruiter", 0.3), ("recruiter", "driver", 0.5), ("driver", "pilot", 0.3),
    ("collector", "hawaladar", 0.5),
)

# where people live; each area has cell sites (for CDRs) and sometimes ANPR cameras
AREAS: dict[str, tuple[str, float, float]] = {
    # name -> (ISO2, lat, lon)
    "Calais": ("FR", 50.951, 1.858), "Grande-Synthe": ("FR", 51.014, 2.302), "Loon-Plage": ("FR", 51.000, 2.218),
    "Dunkerque": ("FR", 51.034, 2.377), "Gravelines": ("FR", 50.986, 2.128), "Boulogne-sur-Mer": ("FR", 50.726, 1.613),
    "Wimereux": ("FR", 50.769, 1.611), "Berck": ("FR", 50.408, 1.592), "Lille": ("FR", 50.629, 3.057),
    "Dover": ("GB", 51.127, 1.313), "Folkestone": ("GB", 51.081, 1.166), "Ashford": ("GB", 51.146, 0.875),
    "Canterbury": ("GB", 51.280, 1.079), "London": ("GB", 51.507, -0.128), "Birmingham": ("GB", 52.486, -1.890),
    "De Panne": ("BE", 51.099, 2.591), "Brugge": ("BE", 51.209, 3.225), "Bruxelles": ("BE", 50.850, 4.352),
}
CAMP_AREAS = ("Calais", "Grande-Synthe", "Loon-Plage")
BEACHES: dict[str, tuple[str, float, float]] = {
    "Gravelines (plage du Platier d'Oye)": ("FR", 51.004, 2.047), "Wimereux": ("FR", 50.773, 1.604),
    "Équihen-Plage": ("FR", 50.676, 1.571), "Hardelot": ("FR", 50.634, 1.576), "Le Portel": ("FR", 50.706, 1.567),
    "Berck-sur-Mer": ("FR", 50.400, 1.560), "Sangatte": ("FR", 50.946, 1.752), "Dunkerque (Malo-les-Bains)":
    ("FR", 51.052, 2.410), "De Panne": ("BE", 51.103, 2.580),
}
LORRY_SITES: dict[str, tuple[str, float, float]] = {
    "Port de Calais": ("FR", 50.966, 1.866), "Coquelles (tunnel)": ("FR", 50.922, 1.810),
    "Aire de la Capelle (A16)": ("FR", 50.950, 1.920), "Port de Dunkerque": ("FR", 51.010, 2.200),
    "Zeebrugge": ("BE", 51.333, 3.200),
}


@dataclass(slots=True)
class Person:
    index: int
    name: TrueName
    gender: str
    birth: date
    birth_year_only: bool  # the person does not know (or does not give) day and month
    nationality: str  # ISO3
    documents: tuple[str, ...]
    role: str
    category: str  # LED: suspect | victim | other
    network: int  # primary network, -1 for none
    home: str  # ISO2 of where they live or operate
    area: str  # key of AREAS, or "" when abroad
    nick: str = ""
    lines: list[int] = field(default_factory=list)

    @property
    def pid(self) -> str:
        return f"P{self.index:06d}"


@dataclass(slots=True)
class Membership:
    person: int
    network: int
    role: str
    start_day: int
    end_day: int


@dataclass(slots=True)
class Vehicle:
    index: int
    plate: str
    country: str
    kind: str  # car | van | lorry
    make: str
    model: str
    colour: str
    keeper: int  # registered keeper (person index)
    user: int  # who drives it
    network: int

    @property
    def vid(self) -> str:
        return f"V{self.index:05d}"


class Edges:
    """Call relationships between lines: rate (calls/day) over [t0, t1) seconds."""

    def __init__(self) -> None:
        self.a: list[int] = []
        self.b: list[int] = []
        self.rate: list[float] = []
        self.t0: list[int] = []
        self.t1: list[int] = []

    def add(self, a: int, b: int, rate: float, t0: int, t1: int) -> None:
        if a != b and t1 > t0 and rate > 0:
            self.a.append(a)
            self.b.append(b)
            self.rate.append(rate)
            self.t0.append(t0)
            self.t1.append(t1)

    def extend(self, a: np.ndarray, b: np.ndarray, rate: np.ndarray, t0: np.ndarray, t1: np.ndarray) -> None:
        keep = (a != b) & (t1 > t0) & (rate > 0)
        self.a.extend(a[keep].tolist())
        self.b.extend(b[keep].tolist())
        self.rate.extend(rate[keep].tolist())
        self.t0.extend(t0[keep].tolist())
        self.t1.extend(t1[keep].tolist())

    def stop_lines(self, ends: dict[int, int]) -> None:
        """No calls on these lines after the given times (their user was arrested)."""
        for k, (a, b) in enumerate(zip(self.a, self.b, strict=True)):
            end = min(ends.get(a, self.t1[k]), ends.get(b, self.t1[k]))
            if end < self.t1[k]:
                self.t1[k] = max(self.t0[k], end)

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "a": np.asarray(self.a, dtype=np.int64), "b": np.asarray(self.b, dtype=np.int64),
            "rate": np.asarray(self.rate, dtype=np.float64), "t0": np.asarray(self.t0, dtype=np.int64),
            "t1": np.asarray(self.t1, dtype=np.int64),
        }


@dataclass
class World:
    size: SizeConfig
    seed: int
    start: date
    persons: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    networks: list[dict] = field(default_factory=list)
    # lines
    line_owner: list[int] = field(default_factory=list)  # person index (the leader for a shared line)
    line_users: list[tuple[int, ...]] = field(default_factory=list)
    line_area: list[str] = field(default_factory=list)
    # phones (one number during one interval of one line)
    phone_e164: list[str] = field(default_factory=list)
    phone_line: list[int] = field(default_factory=list)
    phone_start: list[int] = field(default_factory=list)  # seconds from start
    phone_end: list[int] = field(default_factory=list)
    vehicles: list[Vehicle] = field(default_factory=list)
    edges: Edges = field(default_factory=Edges)
    pool: NumberPool = field(default_factory=NumberPool)
    background_range: tuple[int, int] = (0, 0)  # person indices of the background population
    line_phones: list[list[int]] = field(default_factory=list)  # per line, its phones in order (see finish)

    @property
    def horizon(self) -> int:
        return self.size.days * DAY

    def day(self, seconds: int) -> date:
        return self.start + timedelta(seconds=int(seconds))

    # --- building blocks -------------------------------------------------------------------------------
    def add_person(self, rng: np.random.Generator, origin: str, role: str, category: str, home: str, area: str,
                   network: int = -1, nationality: str | None = None, adult: bool = True) -> Person:
        name = draw_true_name(rng, origin)
        lo, hi = {"migrant": (18, 41), "resident": (18, 76), "family": (18, 70)}.get(role, (20, 56))
        age = int(rng.integers(lo, hi)) if adult else int(rng.integers(14, 18))
        birth = self.start - timedelta(days=age * 365 + int(rng.integers(0, 365)))
        year_only = origin in ORIGINS and role == "migrant" and rng.random() < 0.3
        if nationality is None:
            nationality = ORIGINS[origin][2] if origin in ORIGINS else {
                "fr": "FRA", "gb": "GBR", "be": "BEL", "pl": "POL", "ro": "ROU"}[origin]
        docs: tuple[str, ...] = ()
        doc_rate = 0.35 if role == "migrant" else 0.9
        if rng.random() < doc_rate:
            docs = (f"{'ABCDEFGHKLMNPRSTZ'[rng.integers(17)]}{int(rng.integers(10**7, 10**8))}",)
            if rng.random() < 0.15:
                docs += (f"{int(rng.integers(10**9, 10**10))}",)
        # plain (European) names carry their gender; most people crossing are adult men (Home Office figures)
        gender = "female" if (origin not in ORIGINS and name.given in FEMALE_NAMES) else "male"
        p = Person(len(self.persons), name, gender, birth, year_only, nationality, docs, role, category,
                   network, home, area)
        self.persons.append(p)
        return p

    def add_line(self, rng: np.random.Generator, owner: Person, country: str, t0: int, t1: int,
                 rotate: tuple[int, int] = (0, 0), users: tuple[int, ...] = (), area: str = "") -> int:
        """A line of ``owner`` active over [t0, t1), with a new number every ``rotate`` days (burners)."""
        line = len(self.line_owner)
        self.line_owner.append(owner.index)
        self.line_users.append(users or (owner.index,))
        self.line_area.append(area or owner.area)
        owner.lines.append(line)
        t = t0
        while t < t1:
            if rotate[1] > 0:
                span = int(rng.integers(rotate[0], rotate[1] + 1)) * DAY + int(rng.integers(0, DAY))
            else:
                span = t1 - t
            end = min(t1, t + span)
            self.phone_e164.append(self.pool.draw(rng, country))
            self.phone_line.append(line)
            self.phone_start.append(t)
            self.phone_end.append(end)
            t = end
        return line

    def phones_of_line(self, line: int) -> list[int]:
        return self.line_phones[line]

    def phone_at(self, line: int, t: int) -> int:
        """The number a line used at time ``t`` (the last one before or the first one after)."""
        phones = self.line_phones[line]
        for ph in phones:
            if self.phone_start[ph] <= t < self.phone_end[ph]:
                return ph
        return phones[-1] if t >= self.phone_end[phones[-1]] else phones[0]

    def finish(self) -> None:
        index: list[list[int]] = [[] for _ in self.line_owner]
        for ph, line in enumerate(self.phone_line):
            index[line].append(ph)
        self.line_phones = index


def network_line(p: Person) -> int:
    """A smuggler's line for the network (the first); customers get the second when there is one."""
    return p.lines[0]


def customer_line(p: Person) -> int:
    return p.lines[1] if len(p.lines) > 1 else p.lines[0]

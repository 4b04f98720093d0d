"""Candidate networks scored by explainable indicators, ranked, with a sentence saying why.

Indicators (each measured in SQL over the workspace for the network's members, expects temp tables
``a_members(person_id, network_key)`` and ``a_customers(person_id, flag)``):

* ``money_from_victims`` — total paid to members by victims and by probable customers (persons flagged on the
  customer side, ``filiere.analyze.customers``; how many of each paid is kept apart);
* ``crossings`` — distinct crossing incidents linked to the network: a member travelled on it (driver, pilot),
  a member's vehicle was on it, or a victim in contact with a member travelled on it;
* ``international_reach`` — distinct countries (members' nationalities and their numbers' countries) plus
  distinct agencies whose records name members, minus one (a purely local, single-agency group scores 0);
* ``role_diversity`` — distinct role labels among members other than "member";
* ``activity_days`` — days between the first and last event touching a member.

Score = Σ weight × ln(1 + value) / ln(1 + largest value among the candidates), weights ``INDICATOR_WEIGHTS``;
each indicator's value, normalised value, weight and contribution are stored in ``networks.indicators``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import duckdb
import pycountry

INDICATOR_WEIGHTS: dict[str, float] = {
    "money_from_victims": 0.30,
    "crossings": 0.25,
    "international_reach": 0.15,
    "role_diversity": 0.15,
    "activity_days": 0.15,
}


@dataclass
class NetworkFacts:
    key: int
    members: int = 0
    money_from_victims: float = 0.0
    victims_paying: int = 0
    money_from_customers: float = 0.0
    customers_paying: int = 0
    victim_contacts: int = 0
    crossings: int = 0
    countries: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    first_at: object = None
    last_at: object = None
    roles: dict[str, int] = field(default_factory=dict)
    unattributed_numbers: int = 0
    source_ids: list[str] = field(default_factory=list)

    @property
    def values(self) -> dict[str, float]:
        days = (self.last_at - self.first_at).days if self.first_at and self.last_at else 0
        return {
            "money_from_victims": self.money_from_victims + self.money_from_customers,
            "crossings": float(self.crossings),
            "international_reach": float(max(0, len(self.countries) + len(self.agencies) - 2)),
            "role_diversity": float(len([r for r in self.roles if r != "member"])),
            "activity_days": float(days),
        }


_FACTS_SQL = """
WITH m AS (SELECT person_id, network_key FROM a_members),
cat AS (SELECT person_id, category FROM persons),
vpay AS (
    SELECT m.network_key, sum(p.amount) AS amount, count(DISTINCT x.person_id) AS victims
    FROM payments p JOIN person_map x ON x.mention_id = p.payer_mention_id
    JOIN person_map y ON y.mention_id = p.payee_mention_id
    JOIN cat ON cat.person_id = x.person_id AND cat.category = 'victim'
    JOIN m ON m.person_id = y.person_id GROUP BY m.network_key
),
cpay AS (
    SELECT m.network_key, sum(p.amount) AS amount, count(DISTINCT x.person_id) AS customers
    FROM payments p JOIN person_map x ON x.mention_id = p.payer_mention_id
    JOIN person_map y ON y.mention_id = p.payee_mention_id
    JOIN a_customers c ON c.person_id = x.person_id AND c.flag = 'probable_customer'
    JOIN m ON m.person_id = y.person_id GROUP BY m.network_key
),
touch AS (
    SELECT m.network_key, e.person_b AS other, e.edge_type, e.first_at, e.last_at
    FROM edges e JOIN m ON m.person_id = e.person_a
    UNION ALL
    SELECT m.network_key, e.person_a, e.edge_type, e.first_at, e.last_at FROM edges e JOIN m ON m.person_id = e.person_b
),
vcon AS (
    SELECT network_key, count(DISTINCT other) AS n FROM touch JOIN cat ON cat.person_id = touch.other
    WHERE cat.category = 'victim' GROUP BY network_key
),
span AS (SELECT network_key, min(first_at) AS first_at, max(last_at) AS last_at FROM touch GROUP BY network_key),
ph AS (SELECT network_key, count(DISTINCT other) AS n FROM touch WHERE starts_with(other, 'PH:') GROUP BY network_key),
traveller AS (
    SELECT pm.person_id, c.incident_ref FROM crossings c JOIN person_map pm ON pm.mention_id = c.traveller_mention_id
    WHERE c.incident_ref IS NOT NULL
),
member_plates AS (
    SELECT m.network_key, v.plate FROM vehicle_mentions v JOIN person_map pm ON pm.mention_id = v.keeper_mention_id
    JOIN m ON m.person_id = pm.person_id WHERE v.plate IS NOT NULL
),
linked AS (
    SELECT m.network_key, t.incident_ref FROM traveller t JOIN m USING (person_id)
    UNION
    SELECT mp.network_key, c.incident_ref FROM crossings c JOIN member_plates mp ON mp.plate = c.plate
    WHERE c.incident_ref IS NOT NULL
    UNION
    SELECT touch.network_key, t.incident_ref FROM touch JOIN cat ON cat.person_id = touch.other
    JOIN traveller t ON t.person_id = touch.other
    WHERE cat.category = 'victim' AND touch.edge_type IN ('call', 'message', 'payment', 'statement', 'contact')
),
xing AS (SELECT network_key, count(DISTINCT incident_ref) AS n FROM linked GROUP BY network_key),
nat AS (
    SELECT m.network_key, list(DISTINCT pmn.nationality) AS nats FROM m JOIN person_map pm USING (person_id)
    JOIN person_mentions pmn ON pmn.mention_id = pm.mention_id WHERE pmn.nationality IS NOT NULL
    GROUP BY m.network_key
),
phc AS (
    SELECT m.network_key, list(DISTINCT p.country) AS countries FROM m JOIN line_users po USING (person_id)
    JOIN phones p ON p.phone = po.phone WHERE p.country IS NOT NULL GROUP BY m.network_key
),
ag AS (
    SELECT m.network_key, list_sort(list_distinct(flatten(list(p.agencies)))) AS agencies,
           list_sort(list_distinct(flatten(list(p.source_ids)))) AS source_ids, count(*) AS members
    FROM m JOIN persons p USING (person_id) GROUP BY m.network_key
)
SELECT ag.network_key, ag.members, coalesce(vpay.amount, 0), coalesce(vpay.victims, 0), coalesce(vcon.n, 0),
       coalesce(xing.n, 0), nat.nats, phc.countries, ag.agencies, span.first_at, span.last_at, coalesce(ph.n, 0),
       ag.source_ids, coalesce(cpay.amount, 0), coalesce(cpay.customers, 0)
FROM ag LEFT JOIN vpay USING (network_key) LEFT JOIN cpay USING (network_key) LEFT JOIN vcon USING (network_key)
LEFT JOIN xing USING (network_key)
LEFT JOIN nat USING (network_key) LEFT JOIN phc USING (network_key) LEFT JOIN span USING (network_key)
LEFT JOIN ph USING (network_key)
"""


def _alpha2(code: str) -> str:
    if len(code) == 3:
        c = pycountry.countries.get(alpha_3=code.upper())
        return c.alpha_2 if c else code.upper()
    return code.upper()


def network_facts(con: duckdb.DuckDBPyConnection) -> dict[int, NetworkFacts]:
    out: dict[int, NetworkFacts] = {}
    for r in con.execute(_FACTS_SQL).fetchall():
        countries = sorted({_alpha2(c) for c in (r[6] or []) + (r[7] or []) if c})
        out[int(r[0])] = NetworkFacts(
            key=int(r[0]), members=int(r[1]), money_from_victims=float(r[2]), victims_paying=int(r[3]),
            victim_contacts=int(r[4]), crossings=int(r[5]), countries=countries, agencies=list(r[8] or []),
            first_at=r[9], last_at=r[10], unattributed_numbers=int(r[11]), source_ids=list(r[12] or []),
            money_from_customers=float(r[13]), customers_paying=int(r[14]),
        )
    return out


@dataclass
class Scored:
    facts: NetworkFacts
    score: float
    indicators: dict


def score_networks(facts: dict[int, NetworkFacts]) -> list[Scored]:
    """Score every candidate; best first (ties broken by size, then key)."""
    values = {k: f.values for k, f in facts.items()}
    top = {name: max((v[name] for v in values.values()), default=0.0) for name in INDICATOR_WEIGHTS}
    scored = []
    for k, f in facts.items():
        ind: dict[str, dict] = {}
        total = 0.0
        for name, weight in INDICATOR_WEIGHTS.items():
            value = values[k][name]
            norm = math.log1p(value) / math.log1p(top[name]) if top[name] > 0 else 0.0
            ind[name] = {"value": round(value, 2), "normalised": round(norm, 4), "weight": weight,
                         "contribution": round(weight * norm, 4)}
            total += weight * norm
        scored.append(Scored(f, round(total, 4), ind))
    scored.sort(key=lambda s: (-s.score, -s.facts.members, s.facts.key))
    return scored


def _money(x: float) -> str:
    return f"{x:,.0f}"


def explain(network_id: str, rank: int, n: int, s: Scored, links: dict[str, dict]) -> str:
    f = s.facts
    parts = [f"{f.members} members"]
    if f.money_from_victims:
        parts.append(f"{f.victims_paying} victim(s) paid {_money(f.money_from_victims)} to its members")
    if f.money_from_customers:
        parts.append(f"{f.customers_paying} probable customer(s) paid {_money(f.money_from_customers)}")
    if f.victim_contacts:
        parts.append(f"in contact with {f.victim_contacts} victim(s)")
    parts.append(f"linked to {f.crossings} crossing(s)" if f.crossings else "no crossing linked")
    if f.countries or f.agencies:
        parts.append(f"reach across {len(f.countries)} countr{'y' if len(f.countries) == 1 else 'ies'}"
                     f" ({', '.join(f.countries)}) and {len(f.agencies)} agenc{'y' if len(f.agencies) == 1 else 'ies'}")
    roles = [r for r in f.roles if r != "member"]
    if roles:
        parts.append(f"roles: {', '.join(sorted(roles))}")
    days = int(s.indicators["activity_days"]["value"])
    if days:
        parts.append(f"active over {days} days")
    top = max(s.indicators.items(), key=lambda kv: kv[1]["contribution"])[0].replace("_", " ")
    text = (f"{network_id} ranks {rank} of {n} (score {s.score:.2f}, mostly from {top}): " + "; ".join(parts) + ".")
    if links:
        text += " Linked to " + ", ".join(
            f"{other} ({v['links']} link(s) via {', '.join(v['via'][:3])})" for other, v in sorted(links.items())) + "."
    if f.unattributed_numbers:
        text += f" {f.unattributed_numbers} number(s) in contact with members have no known owner."
    return text

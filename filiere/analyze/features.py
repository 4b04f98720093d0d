"""What the records say each candidate member did, counted in SQL: the facts the role rules read.

Expects a temp table ``a_members(person_id, network_key)`` and a filled ``edges`` table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from filiere.graph.build import SIGHTING_WINDOW_MIN

STATED_RELATIONS = ("organiser", "recruiter", "driver", "pilot", "collector", "logistics")


@dataclass
class PersonFacts:
    victim_payments_in: int = 0  # payments received from victims
    victims_paying: int = 0  # distinct victims who paid the person
    money_in_from_victims: float = 0.0
    victim_contacts: int = 0  # distinct victims linked by calls, messages or contact lists
    crossings_travelled: int = 0  # crossing incidents where the person travelled (not as a victim)
    crossing_vehicles: int = 0  # the person's vehicles (keeper, sighting) seen on a crossing
    vehicles: int = 0  # plates kept
    accounts: int = 0  # accounts held
    payments_out: int = 0  # payments made to non-victims
    payments_in_other: int = 0  # payments received from non-victims (members, other persons)
    stated: dict[str, int] = field(default_factory=dict)  # statements naming the person, by relation

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


_SQL = f"""
WITH m AS (SELECT DISTINCT person_id FROM a_members),
cat AS (SELECT person_id, category FROM persons),
pay AS (
    SELECT y.person_id AS payee, x.person_id AS payer, p.amount
    FROM payments p JOIN person_map x ON x.mention_id = p.payer_mention_id
    JOIN person_map y ON y.mention_id = p.payee_mention_id
),
vpay AS (
    SELECT payee AS person_id, count(*) AS n, count(DISTINCT payer) AS victims, sum(amount) AS amount
    FROM pay JOIN cat ON cat.person_id = pay.payer WHERE cat.category = 'victim' GROUP BY payee
),
inpay AS (
    SELECT payee AS person_id, count(*) AS n FROM pay LEFT JOIN cat ON cat.person_id = pay.payer
    WHERE coalesce(cat.category, 'unknown') <> 'victim' GROUP BY payee
),
outpay AS (
    SELECT payer AS person_id, count(*) AS n FROM pay LEFT JOIN cat ON cat.person_id = pay.payee
    WHERE coalesce(cat.category, 'unknown') <> 'victim' GROUP BY payer
),
victims AS (SELECT person_id FROM cat WHERE category = 'victim'),
vcon AS (
    SELECT person_id, count(DISTINCT other) AS n FROM (
        SELECT e.person_a AS person_id, e.person_b AS other FROM edges e
        WHERE e.edge_type IN ('call', 'message', 'contact') AND e.person_b IN (SELECT person_id FROM victims)
          AND e.person_a IN (SELECT person_id FROM m)
        UNION ALL
        SELECT e.person_b, e.person_a FROM edges e
        WHERE e.edge_type IN ('call', 'message', 'contact') AND e.person_a IN (SELECT person_id FROM victims)
          AND e.person_b IN (SELECT person_id FROM m)) GROUP BY person_id
),
travel AS (
    SELECT pm.person_id, count(DISTINCT c.incident_ref) AS n FROM crossings c
    JOIN person_map pm ON pm.mention_id = c.traveller_mention_id GROUP BY pm.person_id
),
plates AS (
    SELECT pm.person_id, v.plate FROM vehicle_mentions v JOIN person_map pm ON pm.mention_id = v.keeper_mention_id
    WHERE v.plate IS NOT NULL
    UNION
    SELECT po.person_id, sp.plate FROM sightings sp JOIN sightings sf
        ON coalesce(sf.camera_id, sf.place) = coalesce(sp.camera_id, sp.place)
       AND sf.seen_at BETWEEN sp.seen_at - INTERVAL {SIGHTING_WINDOW_MIN} MINUTE
                          AND sp.seen_at + INTERVAL {SIGHTING_WINDOW_MIN} MINUTE
    JOIN phone_owners po ON po.phone = sf.phone
    WHERE sp.plate IS NOT NULL AND sf.phone IS NOT NULL
),
kept AS (
    SELECT pm.person_id, count(DISTINCT v.plate) AS n FROM vehicle_mentions v
    JOIN person_map pm ON pm.mention_id = v.keeper_mention_id GROUP BY pm.person_id
),
xveh AS (
    SELECT plates.person_id, count(DISTINCT plates.plate) AS n FROM plates
    WHERE plates.plate IN (SELECT plate FROM crossings WHERE plate IS NOT NULL) GROUP BY plates.person_id
),
acc AS (
    SELECT pm.person_id, count(DISTINCT a.account) AS n FROM account_mentions a
    JOIN person_map pm ON pm.mention_id = a.holder_mention_id GROUP BY pm.person_id
),
stated AS (
    SELECT person_id, map_from_entries(list({{'k': relation, 'v': n}})) AS rel FROM (
        SELECT pm.person_id, s.relation, count(*) AS n FROM statements s
        JOIN person_map pm ON pm.mention_id = s.subject_mention_id
        WHERE s.relation IS NOT NULL GROUP BY pm.person_id, s.relation) GROUP BY person_id
)
SELECT m.person_id, coalesce(vpay.n, 0), coalesce(vpay.victims, 0), coalesce(vpay.amount, 0),
       coalesce(vcon.n, 0), coalesce(travel.n, 0), coalesce(xveh.n, 0), coalesce(kept.n, 0), coalesce(acc.n, 0),
       coalesce(outpay.n, 0), coalesce(inpay.n, 0), stated.rel
FROM m LEFT JOIN vpay USING (person_id) LEFT JOIN vcon USING (person_id) LEFT JOIN travel USING (person_id)
LEFT JOIN xveh USING (person_id) LEFT JOIN kept USING (person_id) LEFT JOIN acc USING (person_id)
LEFT JOIN outpay USING (person_id) LEFT JOIN inpay USING (person_id) LEFT JOIN stated USING (person_id)
"""


def person_facts(con: duckdb.DuckDBPyConnection) -> dict[str, PersonFacts]:
    out: dict[str, PersonFacts] = {}
    for r in con.execute(_SQL).fetchall():
        out[r[0]] = PersonFacts(
            victim_payments_in=int(r[1]), victims_paying=int(r[2]), money_in_from_victims=float(r[3]),
            victim_contacts=int(r[4]), crossings_travelled=int(r[5]), crossing_vehicles=int(r[6]),
            vehicles=int(r[7]), accounts=int(r[8]), payments_out=int(r[9]), payments_in_other=int(r[10]),
            stated=dict(r[11] or {}),
        )
    return out

"""What the records say each candidate member did, counted in SQL: the facts the role rules read.

Expects temp tables ``a_members(person_id, network_key)`` and ``a_customers(person_id, flag)`` (persons flagged on
the customer side, ``filiere.analyze.customers``) and a filled ``edges`` table.  Money and contacts from probable
customers are counted apart from those from persons categorised victim: the flag is an assessment, not a category.
(A nominal subscriber's links are those of the number's other users, so they count for nothing here.)
"""

from __future__ import annotations

from collections import defaultdict
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
    payments_out: int = 0  # payments made to persons neither victims nor probable customers
    payments_in_other: int = 0  # payments received from non-victims outside the customer side (members, others)
    customer_payments_in: int = 0  # payments received from persons flagged on the customer side
    customers_paying: int = 0
    customer_contacts: int = 0  # distinct persons flagged on the customer side linked by calls, messages, contacts
    stated: dict[str, int] = field(default_factory=dict)  # statements naming the person, by relation

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


_SQL = f"""
WITH m AS (SELECT DISTINCT person_id FROM a_members),
cat AS (SELECT person_id, CASE WHEN category = 'victim' THEN 'victim'
                 WHEN person_id IN (SELECT person_id FROM a_customers WHERE flag = 'probable_customer')
                      THEN 'customer'
                 ELSE coalesce(category, 'unknown') END AS category FROM persons),
pay AS (
    SELECT y.person_id AS payee, x.person_id AS payer, p.amount
    FROM payments p JOIN person_map x ON x.mention_id = p.payer_mention_id
    JOIN person_map y ON y.mention_id = p.payee_mention_id
),
vpay AS (
    SELECT payee AS person_id, count(*) AS n, count(DISTINCT payer) AS victims, sum(amount) AS amount
    FROM pay JOIN cat ON cat.person_id = pay.payer WHERE cat.category = 'victim' GROUP BY payee
),
cpay AS (
    SELECT payee AS person_id, count(*) AS n, count(DISTINCT payer) AS customers
    FROM pay JOIN cat ON cat.person_id = pay.payer WHERE cat.category = 'customer' GROUP BY payee
),
inpay AS (
    SELECT payee AS person_id, count(*) AS n FROM pay LEFT JOIN cat ON cat.person_id = pay.payer
    WHERE coalesce(cat.category, 'unknown') NOT IN ('victim', 'customer') GROUP BY payee
),
outpay AS (
    SELECT payer AS person_id, count(*) AS n FROM pay LEFT JOIN cat ON cat.person_id = pay.payee
    WHERE coalesce(cat.category, 'unknown') NOT IN ('victim', 'customer') GROUP BY payer
),
side AS (SELECT person_id, category FROM cat WHERE category IN ('victim', 'customer')),
touch AS (
    SELECT e.person_a AS person_id, side.category, e.person_b AS other
    FROM edges e JOIN side ON side.person_id = e.person_b
    WHERE e.edge_type IN ('call', 'message', 'contact') AND e.person_a IN (SELECT person_id FROM m)
    UNION ALL
    SELECT e.person_b, side.category, e.person_a FROM edges e JOIN side ON side.person_id = e.person_a
    WHERE e.edge_type IN ('call', 'message', 'contact') AND e.person_b IN (SELECT person_id FROM m)
),
vcon AS (
    SELECT person_id, count(DISTINCT other) FILTER (WHERE category = 'victim') AS n,
           count(DISTINCT other) FILTER (WHERE category = 'customer') AS customers FROM touch GROUP BY person_id
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
    JOIN line_users po ON po.phone = sf.phone
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
       coalesce(outpay.n, 0), coalesce(inpay.n, 0), stated.rel, coalesce(cpay.n, 0), coalesce(cpay.customers, 0),
       coalesce(vcon.customers, 0)
FROM m LEFT JOIN vpay USING (person_id) LEFT JOIN cpay USING (person_id) LEFT JOIN vcon USING (person_id)
LEFT JOIN travel USING (person_id)
LEFT JOIN xveh USING (person_id) LEFT JOIN kept USING (person_id) LEFT JOIN acc USING (person_id)
LEFT JOIN outpay USING (person_id) LEFT JOIN inpay USING (person_id) LEFT JOIN stated USING (person_id)
WHERE vpay.person_id IS NOT NULL OR cpay.person_id IS NOT NULL OR vcon.person_id IS NOT NULL
   OR travel.person_id IS NOT NULL OR xveh.person_id IS NOT NULL OR kept.person_id IS NOT NULL
   OR acc.person_id IS NOT NULL OR outpay.person_id IS NOT NULL OR inpay.person_id IS NOT NULL
   OR stated.person_id IS NOT NULL
"""


def person_facts(con: duckdb.DuckDBPyConnection) -> dict[str, PersonFacts]:
    """Facts of every person in ``a_members``.  Only persons with at least one fact are read (on a large graph most
    candidates of the communities have none); any other person gets empty facts on lookup."""
    out: dict[str, PersonFacts] = defaultdict(PersonFacts)
    for r in con.execute(_SQL).fetchall():
        out[r[0]] = PersonFacts(
            victim_payments_in=int(r[1]), victims_paying=int(r[2]), money_in_from_victims=float(r[3]),
            victim_contacts=int(r[4]), crossings_travelled=int(r[5]), crossing_vehicles=int(r[6]),
            vehicles=int(r[7]), accounts=int(r[8]), payments_out=int(r[9]), payments_in_other=int(r[10]),
            stated=dict(r[11] or {}), customer_payments_in=int(r[12]), customers_paying=int(r[13]),
            customer_contacts=int(r[14]),
        )
    return out

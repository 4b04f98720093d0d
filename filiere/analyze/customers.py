"""The customer side: persons whose records show a migrant's or a migrant's family's side of smuggling, or only
lend their name to a number, rather than a smuggler's — kept out of networks, roles and plans, and flagged with
the reasons so the analyst sees them.

Resolution cannot always join every record of a migrant: a money transfer's payer row, an entry in a smuggler's
seized contact list or a telephone subscriber record may stay a person of their own, with no record saying
*victim*.  Linked to the smugglers they paid or called, such a person would join their community and take a role.
The rules below read only how the person is known and what the numbers they used did (``line_users``: a number
registered in their name that another record shows someone else using is not theirs to call from, see
``filiere.graph.line_users``; the nominal-subscriber rule reads the subscriptions themselves); they never change
the recorded category (LED art. 6: the category stays what the records say; the flag is separate, with its
reasons, and an analyst who records a category for the person — suspect, say — overrides it).

Both rules apply only to persons whose recorded category is neither suspect, convicted nor victim (a victim is kept
out anyway; a suspect is a suspect) and who are **known only through customer-compatible records**
(``CUSTOMER_SLOTS``): the payer of a money transfer, an entry in someone's contact list, the subscriber of a number.
Any record of their own involvement — receiving money, owning a seized phone, keeping a vehicle, travelling on a
crossing as a non-victim, being the subject of a witness statement, a police person record, holding an account —
rules both flags out.

``probable_customer``
    a customer's footprint: their numbers were in contact with at most ``max_numbers`` distinct numbers (a
    migrant calls a recruiter, a hawaladar, family; a smuggler's phone reaches dozens) — by default the bound is
    read from the data: the 99th percentile of the numbers reached by the persons the records call victims
    (their footprint in this case's data, which grows with its period and coverage) **or** they use a number
    also used by a person categorised victim (a travel group's shared phone) **or** they paid a collection point
    (a payee paid by at least ``collection_point_payers`` different persons: a collector, a hawaladar, a smuggler
    taking fares — people pay a collection point, they do not run it) **or** they call like a customer: at least
    ``customer_line_share`` of the numbers theirs reached are lines migrants call (lines at least
    ``customer_line_victims`` recorded victims' numbers reached, as a recruiter's customer phone is) and none is a
    suspect's line that no victim's number reached (a member calls the other members' own lines); **and** they
    are saved in the contact lists of at most ``max_contact_lists`` seized phones (a migrant is known to their
    recruiter, perhaps a driver; a network member is saved by several members) — ``payer_max_contact_lists`` when
    they are known as the payer of money transfers or call like a customer (a customer deals with several of a
    network's hands; on nine simulated worlds no person known only this way and saved in four or more seized
    phones who paid anything was a network member, while migrants who paid were saved in four; over fourteen
    worlds and a large one, six persons saved in four to six phones call like customers: five migrants and a
    recruiter's fragment).  **Except** a person whose numbers reached at least ``member_lines`` suspects' lines
    that no victim's number reached, held by at least that many different suspects (or ``member_lines_of_two``
    such lines of two suspects: members change numbers too), and who paid no collection
    point (paying the fares is a customer's act, whatever lines their numbers reached): members call each other's
    own lines, and an organiser abroad, known only as an entry in one or two of his lieutenants' seized phones,
    has a customer's footprint (a handful of numbers) but a member's pattern.  Over sixteen simulated medium
    worlds, the persons this exception keeps from the flag are 11 organisers and 119 other network members (63 of
    them recruiters' fragments) against 20 residents, 11 migrants' relatives and no migrant; a migrant's number may
    reach three lines of *one* recruiter (who changes his customer numbers), hence the count of suspects (three
    lines of two suspects let a migrant in on two of those worlds); on an unseen world a migrant holding a
    smuggler's lines registered in his name (subscriber records resolved into him) reached four suspects' lines,
    but had paid a collector, hence the payment guard.  **Read again** (``member_side_lines``,
    :func:`member_side_callers`): a probable customer whose numbers reached three lines no victim's number reached,
    held by three persons on the member side — not recorded victims, not flagged by the first reading, whatever
    their recorded category (the lieutenants an organiser abroad calls are often known only from contact lists) —
    and who paid no collection point, is not flagged either.
``nominal_subscriber``
    known only as the registered subscriber of numbers: a subscriber record says in whose name a line was opened,
    not who used it (smugglers' lines are commonly registered in a migrant's or a stranger's name), so the line's
    calls are not evidence against them.  Either every one of their numbers is also attributed to someone else
    (that user carries the calls), or they are the subscriber of a single line of their own (apart from such
    shared ones) that no other record ties to anyone: the line's user is unknown, so the line stays in the graph's
    structure, as an unattributed number does, but its subscriber is never a member (``filiere.analyze.discover``).
    The same holds when the only other record is that number saved under a name in at most
    ``nominal_max_contact_lists`` seized phone(s): a saved contact says by what name someone knew the number, not
    who made its calls (a smuggler saving his customer's number under the customer's name).
    Several lines of their own registered in one name, with nothing else known, is not flagged: opening lines for
    others is itself a service to a network, for the analyst to weigh.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import pyarrow as pa

from filiere.graph.line_users import build_line_users

CUSTOMER_SLOTS = ("payer", "contact", "subscriber")
NEVER_FLAGGED_CATEGORIES = ("suspect", "convicted", "victim")
PROBABLE_CUSTOMER = "probable_customer"
NOMINAL_SUBSCRIBER = "nominal_subscriber"


@dataclass(frozen=True)
class CustomerRules:
    # distinct numbers a customer's numbers were in contact with, at most; None: the footprint of the persons this
    # workspace records as victims (``victim_quantile`` of the numbers theirs reached), else ``fallback_numbers``
    max_numbers: int | None = None
    victim_quantile: float = 0.99
    min_victims: int = 500  # fewer recorded victims with numbers than this (a 99th percentile of fewer is
    # little more than their maximum): the fallback bound
    fallback_numbers: int = 10
    max_contact_lists: int = 3  # seized phones whose contact lists save a customer, at most
    # ... for a person known as the payer of money transfers: a customer dealt with several of a network's hands
    # (recruiter, driver, collector, pilot), each of whom may save the number
    payer_max_contact_lists: int = 6
    nominal_max_contact_lists: int = 1  # a nominal subscriber may also be saved for their line in this many phones
    collection_point_payers: int = 3  # a payee paid by at least this many distinct persons is a collection point
    # a line at least this many recorded victims' numbers were in contact with is a line migrants call (a
    # recruiter's customer phone); a person whose calls go mostly (``customer_line_share``) to such lines and never
    # to a suspect's line no victim calls calls like a customer
    customer_line_victims: int = 3
    customer_line_share: float = 0.6
    # a person whose numbers reached at least this many suspects' lines that no victim's number reached (lines only
    # members call) talks like a member — an organiser abroad known only from his members' contact lists — and is
    # never flagged probable customer; None: no such exception
    member_lines: int | None = 3
    # ... or this many such lines held by two suspects (a member calling two others' lines, each changing number)
    member_lines_of_two: int | None = 4
    # ... or, read again after the rules above, their numbers reached at least this many lines of at least
    # ``member_side_holders`` different persons on the member side — no holder a recorded victim or flagged by the
    # first reading, whatever their recorded category — each line reached by at most ``member_side_max_victims``
    # recorded victims' numbers; None: no such second reading
    member_side_lines: int | None = 3
    member_side_holders: int = 3
    member_side_max_victims: int = 0


# The numbers the rules read the contacts of (the persons recorded as victims' and the candidates'), each with every
# other number it called, was called by or messaged with: read once per run by both the victims' footprint and the
# candidates' reach.  Only those numbers: on a graph of a million persons most numbers are neither.
def _number_contacts_sql() -> str:
    return f"""
CREATE OR REPLACE TEMP TABLE a_number_contacts AS
WITH {_passive_ctes()},
read_numbers AS (
    SELECT DISTINCT po.phone FROM phone_owners po LEFT JOIN persons p USING (person_id)
    WHERE po.phone IS NOT NULL AND (p.category = 'victim' OR po.person_id IN (SELECT person_id FROM passive))
)
SELECT DISTINCT ev.phone, ev.other FROM (
    SELECT caller AS phone, callee AS other FROM calls UNION ALL SELECT callee, caller FROM calls
    UNION ALL SELECT sender, recipient FROM messages UNION ALL SELECT recipient, sender FROM messages) ev
WHERE ev.other IS NOT NULL AND ev.other <> ev.phone AND ev.phone IN (SELECT phone FROM read_numbers)
"""


# Every number recorded victims' numbers were in contact with, and how many of them: read by both readings (lines
# migrants call, lines no migrant calls).  A victim's numbers here are the ones they used (``line_users``): a
# smuggler's line registered in a migrant's name does not make the smuggler's contacts lines migrants call.
_VICTIMS_REACHED_SQL = """
CREATE OR REPLACE TEMP TABLE a_victims_reached AS
SELECT nc.other AS phone, count(DISTINCT nc.phone) AS victims FROM a_number_contacts nc
WHERE nc.phone IN (SELECT lu.phone FROM line_users lu JOIN persons p USING (person_id) WHERE p.category = 'victim')
GROUP BY nc.other
"""


# The customer footprint: how many numbers the numbers tied to each recorded victim reached.  Every tie counts here,
# subscriptions included (``phone_owners``, not ``line_users``): the bound calibrates how far a migrant's records
# reach in this case's data, and read on used lines only it fell (11 → 8 numbers on one simulated world) below the
# reach of migrants known only from contact lists, who then went unflagged into networks (15 more over 43 worlds;
# docs/decisions.md, "A subscription does not make the line's calls the subscriber's").
_VICTIMS_FOOTPRINT_SQL = """
WITH own AS (
    SELECT DISTINCT po.person_id, po.phone FROM phone_owners po JOIN persons p USING (person_id)
    WHERE p.category = 'victim' AND po.phone IS NOT NULL
),
reach AS (
    SELECT own.person_id, count(DISTINCT nc.other) AS n FROM own JOIN a_number_contacts nc USING (phone)
    GROUP BY own.person_id
)
SELECT count(*), quantile_cont(n, $q) FROM reach
"""


def _number_contacts(con: duckdb.DuckDBPyConnection, rebuild: bool) -> None:
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'a_number_contacts'"
                         ).fetchone()[0]
    if rebuild or not exists:
        build_line_users(con)
        con.execute(_number_contacts_sql())
        con.execute(_VICTIMS_REACHED_SQL)


def footprint_bound(con: duckdb.DuckDBPyConnection, rules: CustomerRules) -> tuple[int, str]:
    """The bound on numbers reached, and where it comes from (for the reasons)."""
    if rules.max_numbers is not None:
        return rules.max_numbers, "a set bound"
    _number_contacts(con, rebuild=False)  # built by customer_side for this run; alone, built here
    n, q = con.execute(_VICTIMS_FOOTPRINT_SQL, {"q": rules.victim_quantile}).fetchone()
    if n and n >= rules.min_victims and q is not None:
        return max(1, round(q)), (f"the footprint of {rules.victim_quantile:.0%} of the {n} persons recorded as "
                                  "victims here")
    return rules.fallback_numbers, "too few recorded victims with numbers: the default bound"


@dataclass
class CustomerFlag:
    person_id: str
    flag: str
    reasons: list[str]
    known_as: dict[str, int]  # record slot → mentions
    numbers_reached: int
    contact_lists: int
    shares_number_with_victims: int
    numbers_held: int
    numbers_used_by_others: int
    payments_made: int
    collection_points_paid: int  # distinct collection points (payees of many payers) they paid
    source_ids: list[str]
    customer_lines_called: int = 0  # numbers they reached that many recorded victims' numbers reached too
    quiet_suspect_lines_called: int = 0  # numbers they reached held by suspects and reached by no victim's number
    quiet_suspects_called: int = 0  # the suspects holding those numbers
    numbers_not_used: int = 0  # numbers tied to them only by a subscription that a record shows another using

    @property
    def own_lines(self) -> int:
        """Numbers attributed to them and to nobody else."""
        return self.numbers_held - self.numbers_used_by_others

    @property
    def evidence(self) -> dict:
        return {"known_as": self.known_as, "numbers_reached": self.numbers_reached,
                "contact_lists": self.contact_lists, "shares_number_with_victims": self.shares_number_with_victims,
                "numbers_held": self.numbers_held, "numbers_used_by_others": self.numbers_used_by_others,
                "payments_made": self.payments_made, "collection_points_paid": self.collection_points_paid,
                "customer_lines_called": self.customer_lines_called,
                "quiet_suspect_lines_called": self.quiet_suspect_lines_called,
                "quiet_suspects_called": self.quiet_suspects_called, "numbers_not_used": self.numbers_not_used}


def _passive_ctes() -> str:
    """CTEs ``cand`` (persons who may be flagged: ``person_id``, ``source_ids``), ``known`` and ``passive`` (those
    known only through customer-compatible records: ``person_id``, ``known_as`` slot → mentions)."""
    slot_list = ", ".join(f"'{s}'" for s in CUSTOMER_SLOTS)
    cat_list = ", ".join(f"'{c}'" for c in NEVER_FLAGGED_CATEGORIES)
    return f"""cand AS (
    SELECT person_id, source_ids FROM persons WHERE coalesce(category, 'unknown') NOT IN ({cat_list})
),
known AS (
    SELECT pm.person_id, m.slot, count(*) AS n
    FROM person_map pm JOIN person_mentions m USING (mention_id)
    WHERE pm.person_id IN (SELECT person_id FROM cand) GROUP BY pm.person_id, m.slot
),
passive AS (
    SELECT person_id, map_from_entries(list({{'k': slot, 'v': n}} ORDER BY slot)) AS known_as
    FROM known GROUP BY person_id HAVING bool_and(slot IN ({slot_list}))
)"""


def _sql() -> str:
    return f"""
WITH {_passive_ctes()},
own_all AS (  -- every number tied to them, subscriptions included (what the nominal-subscriber rule reads)
    SELECT DISTINCT po.person_id, po.phone FROM phone_owners po
    WHERE po.phone IS NOT NULL AND po.person_id IN (SELECT person_id FROM passive)
),
own AS (  -- the numbers they used (``line_users``): what their calls are read from
    SELECT DISTINCT lu.person_id, lu.phone FROM line_users lu WHERE lu.person_id IN (SELECT person_id FROM passive)
),
reach AS (
    SELECT own.person_id, count(DISTINCT nc.other) AS numbers FROM own JOIN a_number_contacts nc USING (phone)
    GROUP BY own.person_id
),
co AS (
    SELECT own_all.person_id, own_all.phone, count(DISTINCT po.person_id) AS others,
           count(DISTINCT po.person_id) FILTER (WHERE v.category = 'victim') AS victims
    FROM own_all LEFT JOIN phone_owners po ON po.phone = own_all.phone AND po.person_id <> own_all.person_id
    LEFT JOIN persons v ON v.person_id = po.person_id GROUP BY own_all.person_id, own_all.phone
),
held AS (
    SELECT person_id, count(*) AS numbers, count(*) FILTER (WHERE others > 0) AS used_by_others,
           sum(victims) AS victims FROM co GROUP BY person_id
),
listed AS (
    SELECT pm.person_id, count(DISTINCT coalesce(ce.device_phone, ce.device_ref, ce.owner_mention_id)) AS lists
    FROM contact_entries ce JOIN person_map pm ON pm.mention_id = ce.contact_mention_id
    WHERE pm.person_id IN (SELECT person_id FROM passive) GROUP BY pm.person_id
),
pay AS (
    SELECT x.person_id AS payer, y.person_id AS payee FROM payments p
    JOIN person_map x ON x.mention_id = p.payer_mention_id JOIN person_map y ON y.mention_id = p.payee_mention_id
),
collection AS (SELECT payee FROM pay GROUP BY payee HAVING count(DISTINCT payer) >= $collection_point_payers),
paid AS (
    SELECT pay.payer AS person_id, count(*) AS n, count(DISTINCT pay.payee) FILTER (WHERE c.payee IS NOT NULL) AS points
    FROM pay LEFT JOIN collection c ON c.payee = pay.payee
    WHERE pay.payer IN (SELECT person_id FROM passive) GROUP BY pay.payer
),
held_by AS (  -- whether a victim, a suspect uses each attributed number
    SELECT lu.phone, bool_or(p.category = 'victim') AS victim,
           bool_or(p.category IN ('suspect', 'convicted')) AS suspect
    FROM line_users lu JOIN persons p USING (person_id) GROUP BY lu.phone
),
partners AS (  -- lines migrants call; suspects' lines no victim reached, and the suspects holding them
    SELECT own.person_id,
           count(DISTINCT nc.other) FILTER (WHERE vr.victims >= $customer_line_victims) AS customer_lines,
           count(DISTINCT nc.other) FILTER (WHERE vr.phone IS NULL AND h.suspect) AS quiet_suspect_lines,
           count(DISTINCT po.person_id) FILTER (WHERE vr.phone IS NULL AND s.category IN ('suspect', 'convicted'))
               AS quiet_suspects
    FROM own JOIN a_number_contacts nc USING (phone)
    LEFT JOIN a_victims_reached vr ON vr.phone = nc.other LEFT JOIN held_by h ON h.phone = nc.other
    LEFT JOIN line_users po ON po.phone = nc.other AND po.person_id <> own.person_id
    LEFT JOIN persons s ON s.person_id = po.person_id
    GROUP BY own.person_id
),
not_used AS (  -- numbers tied to them that they did not use (``line_users`` left the subscription out)
    SELECT a.person_id, count(*) AS n FROM own_all a LEFT JOIN own o ON o.person_id = a.person_id AND o.phone = a.phone
    WHERE o.phone IS NULL GROUP BY a.person_id
)
SELECT passive.person_id, passive.known_as, coalesce(reach.numbers, 0), coalesce(listed.lists, 0),
       coalesce(held.victims, 0), coalesce(held.numbers, 0), coalesce(held.used_by_others, 0), coalesce(paid.n, 0),
       coalesce(paid.points, 0), cand.source_ids, coalesce(partners.customer_lines, 0),
       coalesce(partners.quiet_suspect_lines, 0), coalesce(partners.quiet_suspects, 0), coalesce(not_used.n, 0)
FROM passive JOIN cand USING (person_id) LEFT JOIN reach USING (person_id) LEFT JOIN held USING (person_id)
LEFT JOIN listed USING (person_id) LEFT JOIN paid USING (person_id) LEFT JOIN partners USING (person_id)
LEFT JOIN not_used USING (person_id)
ORDER BY passive.person_id"""


_KNOWN_AS_WORDS = {"payer": "payer of {n} money transfer(s)", "contact": "{n} entry(ies) in seized contact lists",
                   "subscriber": "subscriber of {n} number(s)"}


def _known_as_text(known_as: dict[str, int]) -> str:
    return ", ".join(_KNOWN_AS_WORDS.get(k, k + " ({n})").format(n=v) for k, v in sorted(known_as.items()))


def _decide(f: CustomerFlag, rules: CustomerRules, bound: int, bound_why: str) -> CustomerFlag | None:
    """Fill the flag and its reasons when a rule holds; None otherwise."""
    known = (f"known only as {_known_as_text(f.known_as)}: no record of their own involvement (receiving money, "
             "a seized phone, a vehicle, a crossing as non-victim, a statement or person record about them)")
    subscribed_only = set(f.known_as) == {"subscriber"}
    # the subscriber of one line, also saved under a name for that same number in a seized phone or so: whoever
    # saved it knew the number by that name, which says no more than the subscription about who used the line
    saved_for_it = (set(f.known_as) == {"subscriber", "contact"} and f.numbers_held <= 1
                    and f.contact_lists <= rules.nominal_max_contact_lists)
    if (subscribed_only or saved_for_it) and f.own_lines <= 1:
        f.flag = NOMINAL_SUBSCRIBER
        if saved_for_it:
            why = (f"subscriber of one line, saved under a name for that same number in {f.contact_lists} seized "
                   f"phone(s) (at most {rules.nominal_max_contact_lists}) and nothing else: a subscriber record says "
                   "in whose name a line was opened, a saved contact by what name someone knew the number — "
                   "neither says who made the line's calls (smugglers' lines are commonly registered in a "
                   "migrant's or a stranger's name); the line stays in the graph as a line of unknown user")
        elif f.numbers_held and not f.own_lines:
            why = (f"each of the {f.numbers_held} number(s) registered in their name is also attributed to "
                   "someone else: the subscriber record says in whose name the line was opened, not who used it")
        else:
            why = ("subscriber of one line that no other record ties to anyone: a subscriber record says in whose "
                   "name a line was opened, not who used it (smugglers' lines are commonly registered in a "
                   "migrant's or a stranger's name), so the line's calls are not evidence against them; the line "
                   "stays in the graph as a line of unknown user")
        f.reasons = [known, why]
        return f
    if calls_like_a_member(f, rules):
        return None
    small = f.numbers_reached <= bound
    customer_calls = calls_like_a_customer(f, rules)
    lists_bound = (rules.payer_max_contact_lists if f.payments_made or customer_calls
                   else rules.max_contact_lists)
    if ((small or customer_calls or f.shares_number_with_victims or f.collection_points_paid)
            and f.contact_lists <= lists_bound):
        f.flag = PROBABLE_CUSTOMER
        f.reasons = [known]
        if small:
            f.reasons.append(f"their numbers were in contact with {f.numbers_reached} number(s) (at most "
                             f"{bound}, {bound_why}: a customer's footprint, not a smuggler's)")
        if f.numbers_not_used:
            f.reasons.append(f"{f.numbers_not_used} number(s) registered in their name are used by someone else "
                             "(another record ties them to their user): those numbers' calls are not read as theirs")
        if customer_calls:
            f.reasons.append(f"{f.customer_lines_called} of the {f.numbers_reached} number(s) theirs were in contact "
                             f"with are lines migrants call (reached by at least {rules.customer_line_victims} "
                             "recorded victims' numbers, as a recruiter's customer phone is), and none is a "
                             "suspect's line no victim reaches: they call like a customer, not like a member")
        if f.shares_number_with_victims:
            f.reasons.append(f"uses a number also used by {f.shares_number_with_victims} person(s) categorised victim")
        if f.collection_points_paid:
            f.reasons.append(f"paid {f.collection_points_paid} collection point(s) (a payee paid by at least "
                             f"{rules.collection_point_payers} different persons), as customers do")
        f.reasons.append(f"saved in the contact lists of {f.contact_lists} seized phone(s) (at most {lists_bound}"
                         + (" for a person who paid money or calls like a customer: a customer deals with several of"
                            " a network's hands" if lists_bound == rules.payer_max_contact_lists else "")
                         + ": a network member is saved by several members)")
        return f
    return None


def calls_like_a_member(f: CustomerFlag, rules: CustomerRules) -> bool:
    """Their numbers reached ``member_lines`` suspects' lines no victim reached, of as many suspects (or
    ``member_lines_of_two`` such lines of two suspects), and they paid no collection point."""
    if f.collection_points_paid or rules.member_lines is None:
        return False
    lines, suspects = f.quiet_suspect_lines_called, f.quiet_suspects_called
    return ((lines >= rules.member_lines and suspects >= rules.member_lines)
            or (rules.member_lines_of_two is not None and suspects >= 2 and lines >= rules.member_lines_of_two))


def calls_like_a_customer(f: CustomerFlag, rules: CustomerRules) -> bool:
    """Most of the numbers they reached are lines migrants call, and none is a suspect's line no victim reaches."""
    return (f.customer_lines_called > 0 and f.quiet_suspect_lines_called == 0
            and f.customer_lines_called >= rules.customer_line_share * f.numbers_reached)


def customer_side(con: duckdb.DuckDBPyConnection, rules: CustomerRules | None = None,
                  kept: dict[str, str] | None = None) -> dict[str, CustomerFlag]:
    """Every person flagged probable customer or nominal subscriber, with the reasons (see the module docstring).

    ``kept``, when given, receives person → reason for those the probable-customer rule would flag but a member's
    calls keep out of it (the member-calls exception, the second reading): shown with their role in a network."""
    rules = rules or CustomerRules()
    _number_contacts(con, rebuild=True)
    bound, bound_why = footprint_bound(con, rules)
    out: dict[str, CustomerFlag] = {}
    rows = con.execute(_sql(), {"collection_point_payers": rules.collection_point_payers,
                                "customer_line_victims": rules.customer_line_victims}).fetchall()
    for (pid, known_as, reached, lists, victims, held, by_others, paid, points, source_ids, customer_lines,
         quiet_lines, quiet_suspects, not_used) in rows:
        f = CustomerFlag(pid, "", [], dict(known_as), int(reached), int(lists), int(victims), int(held),
                         int(by_others), int(paid), int(points), list(source_ids or []), int(customer_lines),
                         int(quiet_lines), int(quiet_suspects), int(not_used))
        if _decide(f, rules, bound, bound_why) is not None:
            out[pid] = f
        elif (kept is not None and calls_like_a_member(f, rules)
              and _decide(replace(f), replace(rules, member_lines=None, member_lines_of_two=None), bound,
                          bound_why) is not None):
            kept[pid] = (f"not flagged probable customer: their numbers reached {f.quiet_suspect_lines_called} "
                         f"line(s) of {f.quiet_suspects_called} suspect(s) that no victim's number reached — a "
                         "member's calls, not a customer's")
    for pid, (lines, holders) in member_side_callers(con, out, rules).items():
        del out[pid]
        if kept is not None:
            kept[pid] = (f"not flagged probable customer (read again): their numbers reached {lines} line(s) that no "
                         f"victim's number reached, of {holders} person(s) neither victims nor on the customer "
                         "side — a member's calls, not a customer's")
    return out


_MEMBER_SIDE_SQL = """
WITH held AS (  -- every used number: whether a recorded victim or a person flagged by the first reading uses it
    SELECT lu.phone, bool_or(p.category = 'victim') AS victim,
           bool_or(lu.person_id IN (SELECT person_id FROM a_first_flags)) AS flagged
    FROM line_users lu JOIN persons p USING (person_id) GROUP BY lu.phone
),
own AS (
    SELECT DISTINCT lu.person_id, lu.phone FROM line_users lu WHERE lu.person_id IN (SELECT person_id FROM a_recheck)
)
SELECT own.person_id, count(DISTINCT nc.other) AS lines, count(DISTINCT po.person_id) AS holders
FROM own JOIN a_number_contacts nc USING (phone)
JOIN held h ON h.phone = nc.other AND NOT h.victim AND NOT h.flagged
JOIN line_users po ON po.phone = nc.other AND po.person_id <> own.person_id
LEFT JOIN a_victims_reached vr ON vr.phone = nc.other
WHERE coalesce(vr.victims, 0) <= $max_victims
GROUP BY own.person_id
"""


def member_side_callers(con: duckdb.DuckDBPyConnection, flags: dict[str, CustomerFlag],
                        rules: CustomerRules) -> dict[str, tuple[int, int]]:
    """The probable customers (with the lines and holders counted) whose numbers reached ``member_side_lines`` lines
    of ``member_side_holders`` persons on the member side (no holder a recorded victim or flagged by the first
    reading; each line reached by at most ``member_side_max_victims`` recorded victims' numbers), and who paid no
    collection point.

    The member-calls exception (:func:`calls_like_a_member`) counts suspects' lines only, but the lieutenants an
    organiser abroad calls are often known only from contact lists and subscriber records (category unknown).
    Read on the persons the first reading flagged, counting lines of the persons it left alone, this finds the
    organiser known only as an entry in one lieutenant's seized phone: over 38 simulated worlds, the first
    reading's probable customers whose numbers reached three lines no victim reached, of three such persons, were
    5 organisers' and 79 other network members' pieces against 6 residents, 2 relatives and no migrant.  Lines
    one or two victims reached could count too (``member_side_max_victims`` = 2: a lieutenant is sometimes called
    by a migrant), but then 3 migrants pass on three of the 38 worlds, two of them placed in a network
    (docs/decisions.md).
    """
    if rules.member_side_lines is None:
        return {}
    recheck = [pid for pid, f in flags.items() if f.flag == PROBABLE_CUSTOMER and not f.collection_points_paid]
    if not recheck:
        return {}
    con.execute("SELECT 1").fetchall()
    con.register("a_first_flags", pa.table({"person_id": pa.array(list(flags), pa.string())}))
    con.register("a_recheck", pa.table({"person_id": pa.array(recheck, pa.string())}))
    try:
        rows = con.execute(_MEMBER_SIDE_SQL, {"max_victims": rules.member_side_max_victims}).fetchall()
    finally:
        con.unregister("a_first_flags")
        con.unregister("a_recheck")
    return {pid: (int(lines), int(holders)) for pid, lines, holders in sorted(rows)
            if lines >= rules.member_side_lines and holders >= rules.member_side_holders}

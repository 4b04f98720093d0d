"""The customer side (probable customers, nominal subscribers) on a constructed case: who is flagged and why, who is
not, and what analyze does with them — kept out of networks and plans, the recorded category untouched."""

from __future__ import annotations

import json

import pytest
from graph.case import Case, two_networks

from filiere.analyze.customers import (
    NOMINAL_SUBSCRIBER,
    PROBABLE_CUSTOMER,
    CustomerRules,
    customer_side,
    footprint_bound,
)
from filiere.analyze.discover import DiscoverParams
from filiere.analyze.plans import make_plans
from filiere.analyze.stage import analyze


def bare(case: Case, pid: str, category: str = "unknown") -> str:
    """A resolved person with no record of their own yet (mentions are added by the events that name them)."""
    case.con.execute("INSERT INTO persons (person_id, display_name, category, n_mentions, agencies, source_ids)"
                     " VALUES (?, ?, ?, 1, [?], [?])", [pid, pid, category, case.agency, case.source])
    return pid


def number_of(case: Case, pid: str) -> str:
    return case.con.execute("SELECT phone FROM phone_owners WHERE person_id = ?", [pid]).fetchone()[0]


def subscriber(case: Case, pid: str, number: str) -> None:
    """A subscriber record: the person's mention (slot subscriber) and the number attributed to them."""
    case.mention(pid, "subscriber")
    case.phone(number, pid, "FR")


@pytest.fixture
def world(ws):
    """The two cells of ``two_networks`` plus persons on both sides of the customer line, none categorised."""
    case = Case(ws)
    truth = two_networks(case)
    col, rec = number_of(case, "A_col"), number_of(case, "A_rec")
    # a migrant known only as the payer of two transfers to the collector, whose number called the recruiter
    bare(case, "C_pay")
    case.payment("C_pay", "A_col", 1700.0)
    case.payment("C_pay", "A_col", 300.0)
    subscriber(case, "C_pay", "+33611000001")
    case.call("+33611000001", rec, n=3)
    # a migrant known only as an entry in the recruiter's seized contact list, who called him and a relative
    bare(case, "C_contact")
    case.contact("A_rec", "+33611000002", device_phone=rec, contact="C_contact")
    case.phone("+33611000002", "C_contact", "FR")
    case.call("+33611000002", rec, n=4)
    case.call("+33611000002", "+93700000001", n=2)
    # a migrant whose number (shared with a travel companion categorised victim) reached many numbers
    bare(case, "C_group")
    case.contact("A_rec", "+33611000003", device_phone=rec, contact="C_group")
    case.phone("+33611000003", "C_group", "FR")
    case.phone("+33611000003", "A_v0")
    for i in range(8):
        case.call("+33611000003", f"+3361200000{i}")
    # a straw subscriber: the line registered in their name is attributed to the collector too
    bare(case, "S_straw")
    subscriber(case, "S_straw", col)
    # a lieutenant known only as an entry in four members' seized phones, whose number reaches many members
    bare(case, "L_label")
    for owner in ("A_org", "A_lt1", "A_lt2", "A_drv"):
        case.contact(owner, "+33611000009", device_phone=number_of(case, owner), contact="L_label")
    case.phone("+33611000009", "L_label", "FR")
    for member in ("A_org", "A_lt1", "A_lt2", "A_drv", "A_rec", "A_log"):
        case.call("+33611000009", number_of(case, member), n=3)
    # known only as a payer, small footprint, but a suspect: the recorded category wins
    bare(case, "K_suspect", "suspect")
    case.payment("K_suspect", "A_col", 500.0)
    # small footprint, but receives money: involvement of their own
    bare(case, "R_payee")
    case.payment("A_lt1", "R_payee", 800.0)
    subscriber(case, "R_payee", "+33611000010")
    case.call("+33611000010", rec, n=2)
    return ws, truth


def test_rule_flags_the_customer_side_with_reasons(world):
    ws, _ = world
    flags = customer_side(ws.con)
    assert flags["C_pay"].flag == PROBABLE_CUSTOMER
    assert flags["C_pay"].numbers_reached == 1 and flags["C_pay"].payments_made == 2
    assert any("payer of 2 money transfer(s)" in r for r in flags["C_pay"].reasons)
    assert flags["C_contact"].flag == PROBABLE_CUSTOMER and flags["C_contact"].contact_lists == 1
    # with a bound of five, eight numbers reached is more than a customer's footprint, but the number is shared
    # with a victim: still flagged, for that reason
    tight = customer_side(ws.con, CustomerRules(max_numbers=5))
    assert tight["C_group"].numbers_reached > 5
    assert tight["C_group"].shares_number_with_victims == 1
    assert any("categorised victim" in r for r in tight["C_group"].reasons)
    assert not any("footprint" in r for r in tight["C_group"].reasons)
    assert flags["S_straw"].flag == NOMINAL_SUBSCRIBER
    assert any("in whose name the line was opened" in r for r in flags["S_straw"].reasons)


def test_rule_leaves_members_suspects_and_the_involved_alone(world):
    ws, truth = world
    flags = customer_side(ws.con)
    assert "L_label" not in flags  # saved by four members, reaches six numbers
    assert "K_suspect" not in flags  # recorded suspect
    assert "R_payee" not in flags  # receives money
    assert not set(flags) & set(truth["A"] + truth["B"] + truth["victims"])


def test_thresholds_are_the_rule_not_the_case(world):
    ws, _ = world
    # with a bound below the contact's footprint (2 numbers) it is no longer a customer's footprint
    assert "C_contact" not in customer_side(ws.con, CustomerRules(max_numbers=1))
    # the lieutenant qualifies only if being saved by four members were a customer's profile, and calling five
    # members' own lines were not a member's
    assert "L_label" not in customer_side(ws.con, CustomerRules(max_numbers=10))
    assert "L_label" not in customer_side(ws.con, CustomerRules(max_numbers=10, max_contact_lists=4))
    assert "L_label" in customer_side(ws.con, CustomerRules(max_numbers=10, max_contact_lists=4, member_lines=None,
                                                            member_side_lines=None))
    assert "L_label" in customer_side(ws.con, CustomerRules(max_numbers=10, max_contact_lists=4, member_lines=6,
                                                            member_lines_of_two=6, member_side_lines=None))


def test_a_customer_who_paid_money_may_be_saved_by_more_members(world):
    ws, _ = world
    case = Case(ws, agency="uk")  # a second source of records
    # a migrant saved in four members' seized phones (recruiter, driver, two lieutenants) who paid the collector
    bare(case, "C_many")
    for owner in ("A_rec", "A_drv", "A_lt1", "A_lt2"):
        case.contact(owner, "+33611000020", device_phone=number_of(case, owner), contact="C_many")
    case.phone("+33611000020", "C_many", "FR")
    case.call("+33611000020", number_of(case, "A_rec"), n=2)
    case.payment("C_many", "A_col", 900.0)
    flags = customer_side(ws.con)
    assert flags["C_many"].collection_points_paid == 1 and flags["C_many"].contact_lists == 4
    assert flags["C_many"].flag == PROBABLE_CUSTOMER
    assert any("at most 6 for a person who paid money" in r for r in flags["C_many"].reasons)
    # without a payment four lists is a member's profile (the lieutenant above), and the bound is the rule's
    assert "L_label" not in flags
    assert "C_many" not in customer_side(ws.con, CustomerRules(payer_max_contact_lists=3))


def test_a_contact_who_calls_only_the_lines_migrants_call_calls_like_a_customer(world):
    """Saved in four members' phones (a member's profile by the list count alone) but their number only ever called
    the recruiter's line, which the cell's victims all call: a customer.  Once it also calls a lieutenant's line,
    which no victim calls, it is a member's pattern again."""
    ws, _ = world
    case = Case(ws, agency="uk")
    bare(case, "C_caller")
    for owner in ("A_rec", "A_drv", "A_lt1", "A_col"):
        case.contact(owner, "+33611000030", device_phone=number_of(case, owner), contact="C_caller")
    case.phone("+33611000030", "C_caller", "FR")
    case.call("+33611000030", number_of(case, "A_rec"), n=3)
    flags = customer_side(ws.con, CustomerRules(max_numbers=0))  # no footprint bound: the calls decide
    assert flags["C_caller"].contact_lists == 4 and flags["C_caller"].customer_lines_called == 1
    assert flags["C_caller"].flag == PROBABLE_CUSTOMER
    assert any("lines migrants call" in r for r in flags["C_caller"].reasons)
    assert "L_label" not in flags  # calls the lieutenants' and the organiser's lines, which no victim calls
    assert "C_caller" not in customer_side(ws.con, CustomerRules(max_numbers=0, customer_line_victims=50))
    case.call("+33611000030", number_of(case, "A_lt1"), n=1)
    flags = customer_side(ws.con, CustomerRules(max_numbers=0))
    assert "C_caller" not in flags


def test_a_contact_who_calls_three_members_own_lines_talks_like_a_member(world):
    """An organiser abroad, known only as one entry in one member's seized phone, with a small footprint: his
    number called the two lieutenants' and the collector's own lines, which no victim's number reached — a
    member's pattern, so not a customer.  A migrant whose number reached three lines of *one* recruiter (a
    recruiter changes his customer numbers) has the customer's footprint still."""
    ws, _ = world
    case = Case(ws, agency="uk")
    bare(case, "O_abroad")
    case.contact("A_lt1", "+9647700000001", device_phone=number_of(case, "A_lt1"), contact="O_abroad")
    case.phone("+9647700000001", "O_abroad", "IQ")
    for member in ("A_lt1", "A_lt2", "A_col"):
        case.call("+9647700000001", number_of(case, member), n=4)
    bare(case, "C_lines")
    case.contact("B_rec", "+33611000040", device_phone=number_of(case, "B_rec"), contact="C_lines")
    case.phone("+33611000040", "C_lines", "FR")
    for k in range(3):  # three numbers the recruiter used one after the other, no victim recorded calling them
        case.phone(f"+3361100005{k}", "B_rec", "FR")
        case.call("+33611000040", f"+3361100005{k}", n=2)
    # a lieutenant abroad whose number reached two numbers of each of two other lieutenants: four lines of two
    bare(case, "O_two")
    case.contact("A_lt1", "+9647700000002", device_phone=number_of(case, "A_lt1"), contact="O_two")
    case.phone("+9647700000002", "O_two", "IQ")
    for k, member in enumerate(("A_lt1", "A_lt1", "A_lt2", "A_lt2")):
        other = f"+3361100006{k}"
        case.phone(other, member, "FR")
        case.call("+9647700000002", other, n=2)
    kept: dict[str, str] = {}
    flags = customer_side(ws.con, kept=kept)
    assert "O_abroad" not in flags
    assert "O_two" not in flags
    assert "3 line(s) of 3 suspect(s)" in kept["O_abroad"] and "4 line(s) of 2 suspect(s)" in kept["O_two"]
    assert "C_lines" not in kept and "L_label" not in kept  # flagged; not a customer's profile in the first place
    assert flags["C_lines"].flag == PROBABLE_CUSTOMER
    assert flags["C_lines"].quiet_suspect_lines_called == 3 and flags["C_lines"].quiet_suspects_called == 1
    # without the exception his footprint (three numbers) is a customer's
    # four lines of two suspects is the second form's: without it, a customer's footprint again
    assert customer_side(ws.con, CustomerRules(member_lines_of_two=None, member_side_lines=None)
                         )["O_two"].quiet_suspects_called == 2
    strict = customer_side(ws.con, CustomerRules(member_lines=None, member_side_lines=None))
    assert strict["O_abroad"].flag == PROBABLE_CUSTOMER
    assert strict["O_abroad"].quiet_suspect_lines_called == 3 and strict["O_abroad"].quiet_suspects_called == 3


def test_a_smugglers_line_registered_in_a_migrants_name_is_not_read_as_the_migrants_calls(world):
    ws, _ = world
    case = Case(ws, agency="uk")
    rec, drv = number_of(case, "A_rec"), number_of(case, "A_drv")
    # a migrant saved in the recruiter's phone, whose own number called him; a second line is registered in the
    # migrant's name, but a statement gives it as the driver's, and it reached twelve numbers
    bare(case, "C_name")
    case.contact("A_rec", "+33611000020", device_phone=rec, contact="C_name")
    case.phone("+33611000020", "C_name", "FR", evidence="contact list entry")
    case.call("+33611000020", rec, n=3)
    subscriber(case, "C_name", "+33611000021")
    case.phone("+33611000021", "A_drv", "FR", evidence="subject in statements")
    case.call("+33611000021", drv, n=2)
    for i in range(12):
        case.call("+33611000021", f"+3361300{i:04d}")
    flags = customer_side(ws.con, CustomerRules(max_numbers=10))
    # only the number the migrant used is read: one number reached, a customer's footprint
    assert flags["C_name"].flag == PROBABLE_CUSTOMER and flags["C_name"].numbers_reached == 1
    # the subscription is still known (how the person is known, and the number they hold)
    assert flags["C_name"].known_as == {"contact": 1, "subscriber": 1} and flags["C_name"].numbers_held == 2
    assert flags["C_name"].numbers_not_used == 1
    assert any("used by someone else" in r for r in flags["C_name"].reasons)
    # and the driver, not the migrant, carries the line's calls in the graph
    analyze(ws, DiscoverParams(seed=3))
    linked = {r[0] for r in ws.con.execute("SELECT person_b FROM edges WHERE person_a = 'A_drv' UNION "
                                            "SELECT person_a FROM edges WHERE person_b = 'A_drv'").fetchall()}
    assert "C_name" not in linked
    assert "C_name" not in {r[0] for r in ws.con.execute("SELECT person_id FROM network_members").fetchall()}


def test_analyze_keeps_flagged_persons_out_of_networks_and_plans(world):
    ws, truth = world
    summary = analyze(ws, DiscoverParams(seed=3))
    members = {r[0]: r[1] for r in ws.con.execute("SELECT person_id, network_id FROM network_members").fetchall()}
    flagged = {r[0]: r for r in ws.con.execute(
        "SELECT person_id, flag, reasons, evidence, network_ids, source_ids FROM person_flags").fetchall()}
    assert summary.probable_customers == len(flagged) >= 4
    assert not set(flagged) & set(members)
    assert "L_label" in members  # the member known only by contact labels stays a member
    assert set(truth["A"] + truth["B"]) <= set(members)
    # the flag has its reasons and evidence, names the network it is linked to, and keeps provenance
    reasons, evidence = json.loads(flagged["C_pay"][2]), json.loads(flagged["C_pay"][3])
    assert reasons and evidence["known_as"] == {"payer": 2, "subscriber": 1}
    assert members["A_col"] in flagged["C_pay"][4]
    assert flagged["C_pay"][5]
    # the recorded category is unchanged (LED art. 6): the flag is separate
    cats = dict(ws.con.execute("SELECT person_id, category FROM persons WHERE person_id IN"
                               " ('C_pay', 'C_contact', 'S_straw')").fetchall())
    assert set(cats.values()) == {"unknown"}
    for (nid,) in ws.con.execute("SELECT network_id FROM networks").fetchall():
        for p in make_plans(ws, nid, 3):
            assert not set(p.targets) & set(flagged)


def test_money_from_probable_customers_counts_for_collectors_and_networks(world):
    ws, _ = world
    analyze(ws, DiscoverParams(seed=3))
    role, reasons = ws.con.execute("SELECT role, role_reasons FROM network_members WHERE person_id = 'A_col'"
                                   ).fetchone()
    assert role == "collector"
    assert any("probable customer" in r for r in json.loads(reasons)["decided_by"])
    ind = json.loads(ws.con.execute("SELECT indicators FROM networks n JOIN network_members m USING (network_id)"
                                    " WHERE m.person_id = 'A_col'").fetchone()[0])
    assert ind["context"]["customers_paying"] == 1 and ind["context"]["money_from_customers"] == 2000.0


def test_a_recorded_category_overrides_the_flag(world):
    ws, _ = world
    ws.con.execute("UPDATE persons SET category = 'suspect' WHERE person_id = 'C_contact'")
    assert "C_contact" not in customer_side(ws.con)


def test_footprint_bound_is_read_from_the_persons_recorded_as_victims(world):
    ws, _ = world
    # too few recorded victims with numbers for a 99th percentile: the default bound, said so
    assert footprint_bound(ws.con, CustomerRules()) == (10, "too few recorded victims with numbers: the default bound")
    # enough (here: any) — the bound is the victims' footprint; A_v0's shared number reached eight numbers or more
    bound, why = footprint_bound(ws.con, CustomerRules(min_victims=1, victim_quantile=1.0))
    assert bound >= 8 and "recorded as victims" in why
    # the flag's reasons quote the bound and where it comes from
    flags = customer_side(ws.con, CustomerRules(min_victims=1, victim_quantile=1.0))
    assert any(f"at most {bound}, {why}" in r for r in flags["C_contact"].reasons)
    # a bound set by hand wins
    assert footprint_bound(ws.con, CustomerRules(max_numbers=3)) == (3, "a set bound")


def _busy_line(case: Case, number: str, members: list[str]) -> None:
    """A line in contact with every one of ``members`` and with a dozen other numbers: no customer's footprint."""
    for m in members:
        case.call(number, number_of(case, m), n=2)
    for i in range(12):
        case.call(number, f"+3362{number[-4:]}{i:03d}")


def test_subscriber_of_one_line_nobody_else_is_tied_to_is_a_nominal_subscriber(world):
    ws, _ = world
    case = Case(ws, agency="uk")
    lieutenants = ["A_lt1", "A_lt2", "A_rec", "A_drv"]
    # a migrant whose identity carries a smuggler's line: the only record is the subscription, the line is busy
    bare(case, "S_identity")
    subscriber(case, "S_identity", "+33611005001")
    _busy_line(case, "+33611005001", lieutenants)
    # must not fire: several lines of their own registered in one name (a supplier of lines, for the analyst)
    bare(case, "S_lines")
    for number in ("+33611005002", "+33611005003"):
        subscriber(case, "S_lines", number)
        _busy_line(case, number, lieutenants)
    # must not fire: one line, but another record of them (an entry in a seized contact list)
    bare(case, "S_listed")
    subscriber(case, "S_listed", "+33611005004")
    _busy_line(case, "+33611005004", lieutenants)
    for owner in ("A_org", "A_lt1", "A_lt2", "A_drv"):
        case.contact(owner, "+33611005004", device_phone=number_of(case, owner), contact="S_listed")
    # the same, and a recruiter saved that number under the subscriber's name: still only the line's name
    bare(case, "S_saved")
    subscriber(case, "S_saved", "+33611005005")
    _busy_line(case, "+33611005005", lieutenants)
    case.contact("A_rec", "+33611005005", device_phone=number_of(case, "A_rec"), contact="S_saved")
    # must not fire: saved for ANOTHER number of theirs in a seized phone (two lines: a user of the second)
    bare(case, "S_other")
    subscriber(case, "S_other", "+33611005006")
    _busy_line(case, "+33611005006", lieutenants)
    case.contact("A_rec", "+33611005007", device_phone=number_of(case, "A_rec"), contact="S_other")
    case.phone("+33611005007", "S_other", "FR")
    flags = customer_side(ws.con)
    saved = flags["S_saved"]
    assert saved.flag == NOMINAL_SUBSCRIBER and saved.contact_lists == 1
    assert any("saved under a name for that same number" in r for r in saved.reasons)
    assert "S_other" not in flags
    identity = flags["S_identity"]
    assert identity.flag == NOMINAL_SUBSCRIBER and identity.own_lines == 1 and identity.numbers_reached > 10
    assert any("one line that no other record ties to anyone" in r for r in identity.reasons)
    assert "S_lines" not in flags
    assert "S_listed" not in flags
    # the straw subscriber of a line attributed to someone else keeps its own reason
    assert flags["S_straw"].own_lines == 0
    assert any("also attributed to someone else" in r for r in flags["S_straw"].reasons)


def test_a_line_of_unknown_user_stays_as_structure_its_subscriber_never_a_member(world):
    ws, _ = world
    case = Case(ws, agency="uk")
    bare(case, "S_identity")
    subscriber(case, "S_identity", "+33611005001")
    _busy_line(case, "+33611005001", ["A_lt1", "A_lt2", "A_rec", "A_drv"])
    bare(case, "S_lines")
    for number in ("+33611005002", "+33611005003"):
        subscriber(case, "S_lines", number)
        _busy_line(case, number, ["A_lt1", "A_lt2", "A_rec", "A_drv"])
    analyze(ws, DiscoverParams(seed=3))
    members = {r[0]: r[1] for r in ws.con.execute("SELECT person_id, network_id FROM network_members").fetchall()}
    flags = dict(ws.con.execute("SELECT person_id, flag FROM person_flags").fetchall())
    assert flags["S_identity"] == NOMINAL_SUBSCRIBER and "S_identity" not in members
    assert members.get("S_lines") == members["A_lt1"]  # not flagged: in the network it is tied to
    # the line's user is unknown, but the line is kept: its subscriber's flag names the network it is linked to
    linked = ws.con.execute("SELECT network_ids FROM person_flags WHERE person_id = 'S_identity'").fetchone()[0]
    assert members["A_lt1"] in linked
    for (nid,) in ws.con.execute("SELECT network_id FROM networks").fetchall():
        for p in make_plans(ws, nid, 3):
            assert "S_identity" not in p.targets


def test_lines_of_unknown_users_are_kept_only_for_lines_nobody_else_carries(world):
    from filiere.analyze.discover import lines_of_unknown_users

    ws, _ = world
    case = Case(ws, agency="uk")
    bare(case, "S_identity")
    subscriber(case, "S_identity", "+33611005001")
    _busy_line(case, "+33611005001", ["A_lt1", "A_lt2"])
    flags = customer_side(ws.con)
    kept = lines_of_unknown_users(flags)
    assert "S_identity" in kept
    assert "S_straw" not in kept  # the collector is attributed the same line: he carries its calls
    assert not kept & {p for p, f in flags.items() if f.flag == PROBABLE_CUSTOMER}


def test_a_contact_who_calls_three_member_side_lines_of_three_persons_is_read_again(world):
    """The members an organiser abroad calls are often known only from contact lists (category unknown): the
    member-calls exception, which counts suspects' lines only, misses him.  The second reading counts lines no
    victim's number reached, held by persons on the member side (no holder a recorded victim or flagged by the first
    reading, whatever their category): three such lines of three persons and he is not a customer.  Lines migrants
    call (a recruiter's customer lines), or lines of persons the first reading flagged, do not count."""
    ws, _ = world
    case = Case(ws, agency="uk")
    victims = case.con.execute("SELECT person_id FROM persons WHERE category = 'victim' ORDER BY 1").fetchall()
    victim_numbers = [number_of(case, v) for (v,) in victims]
    for k in range(3):  # three members known only through their own vehicles: category unknown, never candidates
        bare(case, f"U{k}")
        case.vehicle(f"UVAN{k}", f"U{k}")
        case.phone(f"+3361100007{k}", f"U{k}", "FR")
        bare(case, f"W{k}")  # three lines of three persons whom migrants call
        case.vehicle(f"WVAN{k}", f"W{k}")
        case.phone(f"+3361100008{k}", f"W{k}", "FR")
        for v in victim_numbers[:3]:
            case.call(v, f"+3361100008{k}", n=1)
    bare(case, "M_abroad")
    case.contact("A_lt1", "+9647700000009", device_phone=number_of(case, "A_lt1"), contact="M_abroad")
    case.phone("+9647700000009", "M_abroad", "IQ")
    bare(case, "C_three")
    case.contact("A_rec", "+33611000090", device_phone=number_of(case, "A_rec"), contact="C_three")
    case.phone("+33611000090", "C_three", "FR")
    bare(case, "C_ring")  # calls two persons the first reading flags, and one member-side line
    case.contact("A_rec", "+33611000091", device_phone=number_of(case, "A_rec"), contact="C_ring")
    case.phone("+33611000091", "C_ring", "FR")
    for k in range(3):
        case.call("+9647700000009", f"+3361100007{k}", n=3)
        case.call("+33611000090", f"+3361100008{k}", n=2)
    for other in ("+33611000001", "+33611000002", "+33611000070"):
        case.call("+33611000091", other, n=2)
    kept: dict[str, str] = {}
    flags = customer_side(ws.con, kept=kept)
    assert "M_abroad" not in flags
    assert flags["C_three"].flag == PROBABLE_CUSTOMER
    assert flags["C_ring"].flag == PROBABLE_CUSTOMER
    # why he is not flagged, for his role's reasons; the member saved by four members was never a candidate
    assert "read again" in kept["M_abroad"] and "3 line(s)" in kept["M_abroad"] and "3 person(s)" in kept["M_abroad"]
    assert "C_three" not in kept and "L_label" not in kept
    first = customer_side(ws.con, CustomerRules(member_side_lines=None))
    assert first["M_abroad"].flag == PROBABLE_CUSTOMER and first["M_abroad"].quiet_suspect_lines_called == 0
    # the bounds are the rule: four lines asked and he is a customer again; lines three victims reached count
    # when the bound allows three
    assert "M_abroad" in customer_side(ws.con, CustomerRules(member_side_lines=4))
    assert "C_three" not in customer_side(ws.con, CustomerRules(member_side_max_victims=3))
    # once a migrant's number reached one of the three lines, two are left
    case.call(victim_numbers[0], "+33611000070", n=1)
    assert "M_abroad" in customer_side(ws.con)
    assert "M_abroad" not in customer_side(ws.con, CustomerRules(member_side_max_victims=1))

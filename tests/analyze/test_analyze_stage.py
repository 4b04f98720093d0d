"""The analyze stage on a constructed case: two cells, a broker, victims kept as evidence but never members."""

from __future__ import annotations

import json

import pytest
from graph.case import Case, two_networks

from filiere import audit
from filiere.analyze.discover import DiscoverParams
from filiere.analyze.stage import analyze
from filiere.errors import FiliereError


@pytest.fixture
def analysed(ws):
    case = Case(ws)
    truth = two_networks(case)
    summary = analyze(ws, DiscoverParams(seed=3))
    return ws, truth, summary


def _members(ws) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in ws.con.execute(
        "SELECT person_id, network_id, role, key_player_rank, role_reasons, is_broker FROM network_members").fetchall()}


def test_victims_are_evidence_but_never_members(analysed):
    ws, truth, summary = analysed
    members = _members(ws)
    assert not set(truth["victims"]) & set(members)
    # ... yet they are in the graph: their calls and payments are edges
    n_victim_edges = ws.con.execute(
        "SELECT count(*) FROM edges e JOIN persons p ON p.person_id IN (e.person_a, e.person_b)"
        " WHERE p.category = 'victim'").fetchone()[0]
    assert n_victim_edges > 20
    assert summary.edges_by_type["payment"] > 0 and summary.edges_by_type["crossing"] > 0


def test_cells_are_found_as_networks(analysed):
    ws, truth, _ = analysed
    members = _members(ws)
    for cell in ("A", "B"):
        nets = {members[p][0] for p in truth[cell]}
        assert len(nets) == 1, f"cell {cell} split over {nets}"
    assert members["A_org"][0] != members["B_org"][0]


def test_roles_follow_the_rules(analysed):
    ws, _, _ = analysed
    members = _members(ws)
    for cell in ("A", "B"):
        assert members[f"{cell}_col"][1] == "collector"
        assert members[f"{cell}_rec"][1] == "recruiter"
        assert members[f"{cell}_drv"][1] == "driver"
        assert members[f"{cell}_log"][1] == "logistics"
        org = members[f"{cell}_org"]
        assert org[1] == "organiser" or org[2] <= 3
        reasons = json.loads(members[f"{cell}_rec"][3])
        assert any("victim" in r for r in reasons["decided_by"])


def test_networks_ranked_with_indicators_and_explanation(analysed):
    ws, _, _ = analysed
    rows = ws.con.execute("SELECT network_id, rank, score, indicators, explanation, source_ids FROM networks"
                          " ORDER BY rank").fetchall()
    assert [r[0] for r in rows] == [f"N{i}" for i in range(1, len(rows) + 1)]
    assert all(rows[i][2] >= rows[i + 1][2] for i in range(len(rows) - 1))
    ind = json.loads(rows[0][3])
    assert set(ind) >= {"money_from_victims", "crossings", "international_reach", "role_diversity",
                        "activity_days", "context"}
    assert ind["money_from_victims"]["value"] > 0
    assert rows[0][0] in rows[0][4] and "members" in rows[0][4]
    assert rows[0][5]


def test_logged_and_recorded(analysed):
    ws, _, summary = analysed
    entry = ws.con.execute("SELECT action, details FROM processing_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert entry[0] == "combination" and summary.run_id in entry[1]
    assert ws.con.execute("SELECT stage FROM stage_runs WHERE run_id = ?", [summary.run_id]).fetchone() == (
        "analyze",)
    assert audit.verify(ws).ok


def test_rerun_with_same_seed_gives_same_networks(analysed):
    ws, _, _ = analysed
    first = ws.con.execute("SELECT person_id, network_id, role FROM network_members ORDER BY 1").fetchall()
    analyze(ws, DiscoverParams(seed=3))
    assert ws.con.execute("SELECT person_id, network_id, role FROM network_members ORDER BY 1").fetchall() == first


def test_refuses_an_unresolved_workspace(ws):
    with pytest.raises(FiliereError, match="resolve"):
        analyze(ws)


def _write_key(ws, folder, truth: dict, organisers: bool, renamed: dict[str, str] | None = None) -> None:
    """An answer key in ``folder``: cells A and B's persons as suspects (``_org`` ones as organisers when
    ``organisers``), the victims, and every mention as belonging to the person it is mapped to (``renamed``: mapped
    person → true person for the exceptions)."""
    with (folder / "persons.csv").open("w") as f:
        f.write("person_id,network_id,role,category,name\n")
        for cell in ("A", "B"):
            for p in truth[cell]:
                f.write(f"{p},{cell},{'organiser' if organisers and p.endswith('_org') else 'member'},suspect,{p}\n")
        for v in truth["victims"]:
            f.write(f"{v},,migrant,victim,{v}\n")
    ws.con.execute("CREATE OR REPLACE TEMP TABLE key_renamed (mapped VARCHAR, truth VARCHAR)")
    for mapped, true_id in (renamed or {}).items():
        ws.con.execute("INSERT INTO key_renamed VALUES (?, ?)", [mapped, true_id])
    ws.con.execute("COPY (SELECT s.file_name AS file, m.source_row AS row, m.slot,"
                   " coalesce(r.truth, pm.person_id) AS person_id"
                   " FROM person_mentions m JOIN sources s USING (source_id) JOIN person_map pm USING (mention_id)"
                   " LEFT JOIN key_renamed r ON r.mapped = pm.person_id)"
                   f" TO '{folder / 'mentions.csv'}' (HEADER)")


def test_evaluation_against_an_answer_key(analysed, tmp_path):
    from filiere.analyze.evaluate import evaluate

    ws, truth, _ = analysed
    _write_key(ws, tmp_path, truth, organisers=True)
    ev = evaluate(ws, tmp_path)
    assert ev.true_members == 14 and ev.unmentioned == 0
    assert ev.nmi == pytest.approx(1.0)
    assert ev.organisers == 2 and ev.organisers_found == 2
    assert ev.victims_in_networks == 0
    # moving one member to the other network must lower the score
    ws.con.execute("UPDATE network_members SET network_id = (SELECT network_id FROM network_members"
                   " WHERE person_id = 'B_org') WHERE person_id = 'A_rec'")
    assert evaluate(ws, tmp_path).nmi < 0.9


def test_evaluation_counts_every_fragment_of_a_victim_placed_in_a_network(analysed, tmp_path):
    """A victim split by resolution: the fragment that does not represent them is a victim all the same."""
    from filiere.analyze.evaluate import evaluate

    ws, truth, _ = analysed
    case = Case(ws, agency="uk")  # a second agency's export
    # one more record of the victim A_v0, resolved apart as 'A_v0_frag' (uncategorised), wrongly placed in a network
    case.mention("A_v0_frag", "subscriber")
    ws.con.execute("INSERT INTO persons (person_id, display_name, category, n_mentions) VALUES"
                   " ('A_v0_frag', 'A_v0_frag', 'unknown', 1)")
    # the key: every mention belongs to the person it is mapped to, except the fragment's, which is A_v0's
    _write_key(ws, tmp_path, truth, organisers=False, renamed={"A_v0_frag": "A_v0"})
    assert evaluate(ws, tmp_path).victims_in_networks == 0
    nid = ws.con.execute("SELECT network_id FROM network_members WHERE person_id = 'A_org'").fetchone()[0]
    ws.con.execute("INSERT INTO network_members (network_id, person_id, role) VALUES (?, 'A_v0_frag', 'member')",
                   [nid])
    # A_v0 itself (two mentions) still represents the victim and is no member; its fragment is counted
    assert evaluate(ws, tmp_path).victims_in_networks == 1


def _number(ws, pid: str) -> str:
    return ws.con.execute("SELECT phone FROM phone_owners WHERE person_id = ?", [pid]).fetchone()[0]


def test_a_recruiter_known_only_through_migrants_is_attached_to_their_network(ws):
    """A recruiter whose only calls are with three of cell A's migrants is a member of A (outside its structure,
    ranked after it, never a command candidate); one who called a single migrant is placed nowhere."""
    case = Case(ws)
    two_networks(case)
    for pid, victims in (("A_rec2", ["A_v0", "A_v1", "A_v2"]), ("A_rec3", ["A_v4"])):
        case.person(pid, "suspect")
        ph = case.phones_for(pid)[pid]
        for v in victims:
            case.call(_number(ws, v), ph, n=2)
    analyze(ws, DiscoverParams(seed=3))
    members = _members(ws)
    assert members["A_rec2"][0] == members["A_org"][0]
    assert members["A_rec2"][1] == "recruiter"
    structural_ranks = [r[2] for p, r in members.items() if r[0] == members["A_org"][0] and p != "A_rec2"]
    assert members["A_rec2"][2] > max(structural_ranks)
    assert "3 migrants" in json.loads(members["A_rec2"][3])["membership"]
    assert "membership" not in json.loads(members["A_rec"][3])
    assert "A_rec3" not in members
    # switched off, neither is placed
    analyze(ws, DiscoverParams(seed=3, attach_min_victims=0))
    members = _members(ws)
    assert "A_rec2" not in members and "A_rec3" not in members


def test_a_collector_attached_through_migrants_still_puts_the_man_he_talks_to_on_the_money_side(ws):
    """Q talks to cell A's lieutenants and does no hands-on work; his one tie to the money is collector K, whose
    community (K and his two relatives) is too small to be a network, so K is attached to A through the migrants
    who paid him.  K is a member of A all the same: Q is on the money side, an organiser indicator, which puts him
    first on command (second without it)."""
    case = Case(ws)
    two_networks(case)
    case.persons("Q", "K")
    case.persons("K_r1", "K_r2", category="other")
    ph = case.phones_for("Q", "K", "K_r1", "K_r2")
    for lt, n in (("A_lt1", 4), ("A_lt2", 3)):
        case.call(ph["Q"], _number(ws, lt), n=n)
    case.call(ph["K"], ph["Q"], n=1)
    for a, b in (("K", "K_r1"), ("K", "K_r2"), ("K_r1", "K_r2")):
        case.call(ph[a], ph[b], n=8)
    for v in ("A_v0", "A_v1", "A_v2"):
        case.payment(v, "K", 1200.0)
    analyze(ws, DiscoverParams(seed=3, min_members=4))
    members = _members(ws)
    assert members["K"][0] == members["A_org"][0] == members["Q"][0]
    assert "attached" in json.loads(members["K"][3])["membership"]
    assert members["K"][1] == "collector"
    reasons = json.loads(members["Q"][3])
    assert members["Q"][1] == "organiser", reasons
    assert any("talks to 1 member(s) collecting the fares" in r and "#1 in the network on command" in r
               for r in reasons["decided_by"]), reasons


def test_three_members_held_together_by_a_number_they_share_join_the_network_they_talk_to(ws):
    """G0..G2 all call one number nobody is known to own, and each talks to cell A (its organiser, a lieutenant, a
    migrant) and to nobody else: at a resolution where CPM makes them a community of their own, they are still
    placed in A — a group under a cell's size whose person links all go to A is part of A."""
    case = Case(ws)
    two_networks(case)
    case.persons("G0", "G1", "G2")
    ph = case.phones_for("G0", "G1", "G2")
    burner = case.phone("+447700900555", None)
    for g in ("G0", "G1", "G2"):
        case.call(ph[g], burner, n=6)
    for g, other in (("G0", "A_org"), ("G1", "A_lt2"), ("G2", "A_v0")):
        case.call(ph[g], _number(ws, other), n=2)
    analyze(ws, DiscoverParams(seed=3, resolution=0.3))
    members = _members(ws)
    assert members["G0"][0] == members["G1"][0] == members["G2"][0] == members["A_org"][0]
    assert ws.con.execute("SELECT count(*) FROM networks").fetchone()[0] == 2


def test_an_attached_person_with_ties_of_his_own_to_two_members_joins_the_networks_structure(ws):
    """Z's calls go mostly to his two relatives (at this resolution a community of their own, too small to be a
    network) and once each to cell A's two lieutenants; three of A's migrants paid him.  Attached to A through
    them, he is also linked directly to two of its members: he joins A's structure — measured and ranked among its
    members, not after them."""
    case = Case(ws)
    two_networks(case)
    case.persons("Z")
    case.persons("Z_r1", "Z_r2", category="other")
    ph = case.phones_for("Z", "Z_r1", "Z_r2")
    for lt in ("A_lt1", "A_lt2"):
        case.call(ph["Z"], _number(ws, lt), n=1)
    for a, b in (("Z", "Z_r1"), ("Z", "Z_r2"), ("Z_r1", "Z_r2")):
        case.call(ph[a], ph[b], n=8)
    for v in ("A_v0", "A_v1", "A_v2"):
        case.payment(v, "Z", 1200.0)
    analyze(ws, DiscoverParams(seed=3, resolution=0.3, min_members=4))
    members = _members(ws)
    assert members["Z"][0] == members["A_org"][0]
    reasons = json.loads(members["Z"][3])
    assert reasons["membership"].startswith("joined:")
    assert "linked directly to 2 of its members" in reasons["membership"]
    # measured inside the structure: his two ties are his degree there (an attached person has no centrality)
    assert ws.con.execute("SELECT degree FROM network_members WHERE person_id = 'Z'").fetchone()[0] == 2


def test_a_joined_member_does_not_make_his_country_the_networks_ground(ws):
    """As above, Z joins cell A's structure; he holds a Belgian number and a witness names him collector (work of
    his own).  Q, a Belgian number talking to A's lieutenants, still has a number from abroad: the ground is read
    on the network as its community found it, not on a man the community left out."""
    case = Case(ws)
    two_networks(case)
    case.persons("Z", "Q")
    case.persons("Z_r1", "Z_r2", category="other")
    ph = case.phones_for("Z_r1", "Z_r2")
    ph["Z"] = case.phone("+32470000101", "Z", "BE")
    ph["Q"] = case.phone("+32470000202", "Q", "BE")
    for lt in ("A_lt1", "A_lt2"):
        case.call(ph["Z"], _number(ws, lt), n=1)
        case.call(ph["Q"], _number(ws, lt), n=4)
    for a, b in (("Z", "Z_r1"), ("Z", "Z_r2"), ("Z_r1", "Z_r2")):
        case.call(ph[a], ph[b], n=8)
    for v in ("A_v0", "A_v1", "A_v2"):
        case.payment(v, "Z", 1200.0)
    case.statement("A_v3", "Z", "collector")
    analyze(ws, DiscoverParams(seed=3, resolution=0.3, min_members=4))
    members = _members(ws)
    assert json.loads(members["Z"][3])["membership"].startswith("joined:")
    reasons = json.loads(members["Q"][3])
    assert any("uses a number from abroad (BE" in r for r in reasons["decided_by"]), reasons


def test_a_member_the_customer_rule_would_have_flagged_says_why_he_was_not(ws):
    """An organiser abroad known only as one entry in a lieutenant's seized phone, whose number reached three
    members' own lines that no migrant calls: the customer rule would flag his small footprint, his calls keep him
    a member — and his role's reasons say so, in the CLI's "why" too."""
    from graph.case import Case as _Case

    from filiere.cli.analyze_cmds import _why

    case = _Case(ws)
    two_networks(case)
    number = {p: case.con.execute("SELECT phone FROM phone_owners WHERE person_id = ?", [p]).fetchone()[0]
              for p in ("A_lt1", "A_lt2", "A_col")}
    case.con.execute("INSERT INTO persons (person_id, display_name, category, n_mentions, agencies, source_ids)"
                     " VALUES ('O_abroad', 'O_abroad', 'unknown', 1, [?], [?])", [case.agency, case.source])
    case.contact("A_lt1", "+9647700000001", device_phone=number["A_lt1"], contact="O_abroad")
    case.phone("+9647700000001", "O_abroad", "IQ")
    for member in ("A_lt1", "A_lt2", "A_col"):
        case.call("+9647700000001", number[member], n=4)
    analyze(ws, DiscoverParams(seed=3))
    members = _members(ws)
    assert "O_abroad" in members
    reasons = json.loads(members["O_abroad"][3])
    assert "not flagged probable customer" in reasons["not_flagged"]
    assert "3 line(s) of 3 suspect(s)" in reasons["not_flagged"]
    assert reasons["not_flagged"] in _why(reasons)
    # the members no customer rule would have flagged carry no such reason
    assert not any("not_flagged" in json.loads(m[3]) for p, m in members.items() if p != "O_abroad")

"""The analysis verbs end to end on a constructed case: analyze, networks, network, plan, export-graph."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import igraph as ig
import pytest
from graph.case import Case, two_networks
from typer.testing import CliRunner

from filiere.cli import app
from filiere.workspace import Workspace

runner = CliRunner()


@pytest.fixture(scope="module")
def case_ws(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "ws"
    ws = Workspace.create(path)
    truth = two_networks(Case(ws))
    ws.close()
    res = runner.invoke(app, ["analyze", str(path), "--seed", "1"])
    assert res.exit_code == 0, res.output
    assert "candidate networks" in res.output
    return path, truth


def test_networks_csv_has_one_row_per_member_and_no_victim(case_ws):
    path, truth = case_ws
    res = runner.invoke(app, ["networks", str(path), "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {"person_id", "network_id", "role", "score"} <= set(rows[0])
    ids = [r["person_id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert set(truth["A"]) | set(truth["B"]) <= set(ids)
    assert not set(truth["victims"]) & set(ids)
    assert not any(i.startswith("PH:") for i in ids)
    assert all(0.0 <= float(r["score"]) <= 1.0 for r in rows)


def test_networks_json_and_table(case_ws):
    path, _ = case_ws
    res = runner.invoke(app, ["networks", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data[0]["network_id"] == "N1" and data[0]["members"] and "explanation" in data[0]
    res = runner.invoke(app, ["networks", str(path)])
    assert res.exit_code == 0 and "N1 ranks 1" in res.output


def test_network_detail_and_unknown_network(case_ws):
    path, _ = case_ws
    res = runner.invoke(app, ["network", str(path), "N1", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {m["role"] for m in data["members"]} >= {"recruiter", "collector"}
    assert all("by_country" in m["brokerage"] for m in data["members"])
    res = runner.invoke(app, ["network", str(path), "N99"])
    assert res.exit_code == 2 and "N99" in res.output


@pytest.mark.parametrize("width", [80, 200])
def test_network_members_read_on_narrow_and_wide_terminals(case_ws, monkeypatch, width):
    from filiere.cli.common import console

    path, _ = case_ws
    monkeypatch.setattr(console, "width", width)
    res = runner.invoke(app, ["network", str(path), "N1"])
    assert res.exit_code == 0, res.output
    data = json.loads(runner.invoke(app, ["network", str(path), "N1", "--json"]).stdout)
    first = data["members"][0]
    if width < 140:  # one block per member, reasons on a line of their own, every member listed
        assert "┃" not in res.output and f"#1 {first['person_id']}" in res.output
        assert res.output.count("why: ") == sum(1 for m in data["members"] if m["role_reasons"].get("decided_by"))
    else:  # the table, ids whole
        assert "┃ #" in res.output and first["person_id"] in res.output and "why:" not in res.output


def test_bad_format_is_a_usage_error(case_ws):
    path, _ = case_ws
    assert runner.invoke(app, ["networks", str(path), "--format", "xlsx"]).exit_code == 2
    assert runner.invoke(app, ["export-graph", str(path), "--format", "dot"]).exit_code == 2


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_graph(case_ws, tmp_path, fmt):
    path, truth = case_ws
    out = tmp_path / f"g.{fmt}"
    res = runner.invoke(app, ["export-graph", str(path), "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    if fmt == "graphml":
        g = ig.Graph.Read_GraphML(str(out))
        cats = dict(zip(g.vs["name"], g.vs["category"], strict=True))
        roles = dict(zip(g.vs["name"], g.vs["role"], strict=True))
    else:
        ns = {"g": "http://gexf.net/1.3"}
        root = ET.parse(out).getroot()
        nodes = root.findall(".//g:node", ns)
        cats = {n.get("id"): n.find("g:attvalues/g:attvalue[@for='0']", ns).get("value") for n in nodes}
        roles = {n.get("id"): n.find("g:attvalues/g:attvalue[@for='2']", ns).get("value") for n in nodes}
        assert root.findall(".//g:edge", ns)
    assert cats[truth["victims"][0]] == "victim" and roles[truth["victims"][0]] == ""
    assert roles["A_rec"] == "recruiter"
    with Workspace.open(path, read_only=True) as ws:
        assert ws.con.execute("SELECT action FROM processing_log ORDER BY seq DESC LIMIT 1").fetchone() == (
            "disclosure",)


def test_plan_never_targets_victims_or_excluded(case_ws):
    pytest.importorskip("filiere.analyze.dismantle.planner")
    path, truth = case_ws
    with Workspace.open(path) as ws:
        nid, top = ws.con.execute("SELECT network_id, person_id FROM network_members"
                                  " WHERE key_player_rank = 1 ORDER BY network_id LIMIT 1").fetchone()
        # a member whose records do not say suspect (e.g. a number's subscriber) is never targeted
        second = ws.con.execute("SELECT person_id FROM network_members WHERE network_id = ? AND key_player_rank = 2",
                                [nid]).fetchone()[0]
        ws.con.execute("UPDATE persons SET category = 'unknown' WHERE person_id = ?", [second])
    res = runner.invoke(app, ["plan", str(path), nid, "--budget", "2", "--exclude", top])
    assert res.exit_code == 0, res.output
    assert "advice" in res.output
    with Workspace.open(path, read_only=True) as ws:
        targets = [t for (ts,) in ws.con.execute("SELECT targets FROM plans").fetchall() for t in ts]
    assert targets and top not in targets and second not in targets
    assert "not categorised as suspects" in res.output
    assert not set(truth["victims"]) & set(targets)
    assert not any(t.startswith("PH:") for t in targets)
    res = runner.invoke(app, ["plan", str(path), nid, "--exclude", "NOBODY"])
    assert res.exit_code == 2


def test_customer_side_is_reported_not_made_a_member(tmp_path):
    path = tmp_path / "ws"
    ws = Workspace.create(path)
    case = Case(ws)
    two_networks(case)
    # a person known only as the payer of one transfer to a collector: a probable customer
    ws.con.execute("INSERT INTO persons (person_id, display_name, category, n_mentions, agencies, source_ids)"
                   " VALUES ('C1', 'C1', 'unknown', 1, ['fr'], [?])", [case.source])
    case.payment("C1", "A_col", 1200.0)
    ws.close()
    res = runner.invoke(app, ["analyze", str(path), "--seed", "1"])
    assert res.exit_code == 0, res.output
    assert "flagged on the customer side" in res.output
    res = runner.invoke(app, ["networks", str(path), "--format", "csv"])
    assert "C1" not in {r["person_id"] for r in csv.DictReader(io.StringIO(res.stdout))}
    nid = next(r["network_id"] for r in csv.DictReader(io.StringIO(res.stdout)) if r["person_id"] == "A_col")
    res = runner.invoke(app, ["network", str(path), nid, "--json"])
    assert res.exit_code == 0, res.output
    flagged = json.loads(res.stdout)["flagged_linked"]
    assert [f["person_id"] for f in flagged] == ["C1"] and flagged[0]["flag"] == "probable_customer"
    assert any("payer of 1 money transfer(s)" in r for r in flagged[0]["reasons"])
    # the export for Gephi shows the flag on the node
    out = tmp_path / "g.graphml"
    res = runner.invoke(app, ["export-graph", str(path), "--format", "graphml", "-o", str(out)])
    assert res.exit_code == 0, res.output
    g = ig.Graph.Read_GraphML(str(out))
    flag = dict(zip(g.vs["name"], g.vs["flag"], strict=True))
    assert flag["C1"] == "probable_customer" and flag["A_col"] == ""

"""The planner on small real criminal networks in ../shared/data/dismantling (skipped when absent)."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from filiere.analyze.dismantle import dismantling_curve, plan
from filiere.analyze.dismantle.edgelist import read_edge_list
from filiere.analyze.dismantle.metrics import auc_to_size, lcc_protocol_limit, lcc_size


def _root_shared_data():
    """tests/conftest.py::shared_data, loaded by path (other test folders have a conftest of their own)."""
    spec = importlib.util.spec_from_file_location("_root_conftest", Path(__file__).resolve().parents[1] / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.shared_data


shared_data = _root_shared_data()

FILES = {
    "siren": ("siren", "morselli_siren.el"),
    "caviar": ("caviar", "morselli_caviar.el"),
    "oversize": ("oversize", "berlusconietal_oversize.el"),
    "montagna_meetings": ("montagna_meetings", "Montagna_meetings_edgelist.csv"),
    "montagna_phonecalls": ("montagna_phonecalls", "Montagna_phonecalls_edgelist.csv"),
}


def network(name: str):
    return read_edge_list(shared_data("dismantling", *FILES[name]))


def published_optima() -> dict[tuple[str, int], float]:
    path = shared_data("dismantling", "_reproduced_results", "exact_k_optima.csv")
    with path.open() as fh:
        return {(r["network"], int(r["k"])): float(r["exact_min_lcc_over_lcc0"]) for r in csv.DictReader(fh)}


@pytest.mark.parametrize(
    ("name", "k"),
    [
        ("siren", 1),
        ("siren", 2),
        ("siren", 3),
        ("siren", 4),
        ("caviar", 2),
        ("caviar", 3),
        ("oversize", 3),
        pytest.param("caviar", 4, marks=pytest.mark.slow),
        pytest.param("oversize", 4, marks=pytest.mark.slow),
    ],
)
def test_planner_finds_the_published_exact_optimum(name, k):
    g = network(name)
    result = plan(g, k, strategies=["optimised"])[0]
    assert round(result.lcc_after / lcc_size(g), 3) == published_optima()[(name, k)]
    assert "proven minimum" in result.notes[0]


@pytest.mark.parametrize("name", ["siren", "caviar", "montagna_meetings"])
def test_optimised_curve_is_never_worse_than_adaptive_betweenness(name):
    g = network(name).connected_components().giant()
    n = g.vcount()
    limit = lcc_protocol_limit(n)
    hba = dismantling_curve(g, "betweenness_adaptive", limit=limit)
    opt = dismantling_curve(g, "optimised", limit=limit, time_budget=2.0)
    reproduced = {}
    path = shared_data("dismantling", "_reproduced_results", "lcc_protocol_results.jsonl")
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if row["net"] == name and row.get("target") == 0.1:
            reproduced[row["method"]] = row["auc_gdm"]
    # our evaluator and our adaptive betweenness reproduce the published protocol exactly
    assert auc_to_size(hba.lcc, n, limit) == pytest.approx(reproduced["HBA (adaptive betweenness, LCC)"], abs=1e-9)
    assert auc_to_size(opt.lcc, n, limit) <= auc_to_size(hba.lcc, n, limit)


def test_montagna_betweenness_curve_reproduces_the_published_one():
    curves = json.loads(shared_data("dismantling", "_reproduced_results", "montagna_curves.json").read_text())
    g = network("montagna_meetings")
    lcc0 = lcc_size(g)
    ours = dismantling_curve(g, "betweenness_adaptive", limit=0).lcc
    reference = curves["meetings"]["HBA (adaptive betweenness, LCC)"]["curve"]
    assert [round(s / lcc0, 4) for s in ours[1 : len(reference) + 1]] == pytest.approx(reference, abs=1e-4)

"""Name features against public labelled data in ../shared/data/names (skipped when absent)."""

from __future__ import annotations

import csv
import importlib.util
import random
from pathlib import Path

import pytest

from filiere.resolve.names import name_keys, name_similarity
from filiere.resolve.names.arabic import is_arabic


def _root_shared_data():
    """tests/conftest.py::shared_data (loaded by path: tests/resolve has a conftest of its own)."""
    spec = importlib.util.spec_from_file_location("_root_conftest", Path(__file__).resolve().parents[1] / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.shared_data


shared_data = _root_shared_data()


def _f1(scores: list[float], labels: list[bool], threshold: float) -> float:
    tp = sum(s >= threshold and y for s, y in zip(scores, labels, strict=True))
    fp = sum(s >= threshold and not y for s, y in zip(scores, labels, strict=True))
    fn = sum(s < threshold and y for s, y in zip(scores, labels, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@pytest.mark.slow
def test_person_pairs_of_the_name_bench_beat_logic_v2_with_a_threshold_fitted_on_the_other_half() -> None:
    path = shared_data("names", "nomenklatura_name_bench", "cases.csv")
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["schema"] == "Person"]
    scores = [name_similarity(r["name1"], r["name2"]) for r in rows]
    labels = [r["is_match"] == "true" for r in rows]
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    fit, held = order[::2], order[1::2]
    threshold = max((scores[i] for i in fit), key=lambda t: _f1([scores[i] for i in fit], [labels[i] for i in fit], t))
    assert _f1([scores[i] for i in held], [labels[i] for i in held], threshold) > 0.75


@pytest.mark.slow
def test_arabic_and_latin_forms_of_a_wikidata_name_group_mostly_match() -> None:
    """Arabic-script form vs Latin forms in one rigour/Wikidata group (persons.txt, used here only as a test)."""
    path = shared_data("names", "opensanctions_rigour_person_names", "persons.txt")
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        forms = [f.strip() for f in line.split("=>")[0].split(",")]
        arabic = [f for f in forms if is_arabic(f) and " " not in f]
        latin = [f for f in forms if f.isascii() and f.isalpha()]
        if arabic and latin:
            groups.append((arabic[0], latin))
    sample = random.Random(1).sample(groups, 400)
    best = [max(name_similarity(ar, lat) for lat in latins) for ar, latins in sample]
    assert sum(s >= 0.85 for s in best) / len(best) >= 0.8
    # and the Latin spellings of one group share a canonical token or skeleton far more often than chance
    agree = sum(
        len({name_keys(lat).skeleton for lat in latins}) == 1 or len({name_keys(lat).tokens for lat in latins}) == 1
        for _, latins in sample
        if len(latins) > 1
    )
    assert agree / sum(len(latins) > 1 for _, latins in sample) >= 0.3

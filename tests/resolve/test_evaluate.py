"""Evaluation metrics against hand-computed examples, and answer-key matching by file, row and slot."""

from __future__ import annotations

from pathlib import Path

import pytest

from filiere.resolve.evaluate import evaluate_workspace, score_clusterings

TRUTH = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
PREDICTED = {"a": "X", "b": "X", "c": "Y", "d": "Y", "e": "Z"}


def test_pairwise_metrics_hand_computed() -> None:
    s = score_clusterings(TRUTH, PREDICTED)
    # true pairs ab ac bc de = 4; predicted pairs ab cd = 2; correct ab = 1
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (4, 2, 1)
    assert s.pairwise_precision == pytest.approx(0.5)
    assert s.pairwise_recall == pytest.approx(0.25)
    assert s.pairwise_f1 == pytest.approx(1 / 3)


def test_bcubed_metrics_hand_computed() -> None:
    s = score_clusterings(TRUTH, PREDICTED)
    # precision per item: a 2/2, b 2/2, c 1/2, d 1/2, e 1/1; recall: a 2/3, b 2/3, c 1/3, d 1/2, e 1/2
    assert s.bcubed_precision == pytest.approx((1 + 1 + 0.5 + 0.5 + 1) / 5)
    assert s.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 0.5 + 0.5) / 5)
    assert s.bcubed_f1 == pytest.approx(2 * 0.8 * (8 / 15) / (0.8 + 8 / 15))


def test_perfect_and_all_singletons() -> None:
    perfect = score_clusterings(TRUTH, TRUTH)
    assert perfect.pairwise_f1 == 1.0 and perfect.bcubed_f1 == 1.0
    singletons = score_clusterings(TRUTH, {k: k for k in TRUTH})
    assert singletons.pairwise_recall == 0.0
    assert singletons.bcubed_precision == 1.0
    assert singletons.bcubed_recall == pytest.approx((1 / 3 * 3 + 0.5 * 2) / 5)


def test_only_items_in_both_are_scored() -> None:
    s = score_clusterings({**TRUTH, "z": "9"}, {**PREDICTED, "y": "Q"})
    assert s.n_mentions == 5


def test_evaluate_workspace_matches_file_row_slot(ws, tmp_path: Path) -> None:
    con = ws.con
    with ws.transaction():
        con.execute("INSERT INTO sources (source_id, file_name, agency) VALUES ('s1', 'fr_persons.csv', 'FR'),"
                    " ('s2', 'uk_calls.csv', 'UK')")
        con.execute("""INSERT INTO person_mentions (mention_id, source_id, source_row, slot) VALUES
            ('s1:1:person', 's1', 1, 'person'), ('s1:2:person', 's1', 2, 'person'),
            ('s2:1:payer', 's2', 1, 'payer'), ('s2:1:payee', 's2', 1, 'payee')""")
        con.execute("""INSERT INTO person_map VALUES ('s1:1:person', 'P-a', 'r'), ('s1:2:person', 'P-a', 'r'),
            ('s2:1:payer', 'P-a', 'r'), ('s2:1:payee', 'P-b', 'r')""")
    key = tmp_path / "key"
    key.mkdir()
    (key / "mentions.csv").write_text(
        "file,row,slot,person_id\n"
        "exports/fr/fr_persons.csv,1,person,T1\n"  # a path: matched on its base name
        "fr_persons.csv,2,person,T1\n"
        "uk_calls.csv,1,payer,T2\n"  # the payer of row 1 is someone else than person T1: a false merge
        "uk_calls.csv,1,payee,T3\n"
        "uk_calls.csv,9,payer,T4\n"  # not in the workspace
    )
    ev = evaluate_workspace(ws, key)
    assert (ev.key_mentions, ev.matched_mentions, ev.unmatched_key_mentions) == (5, 4, 1)
    # predicted pairs: 3 among P-a; true pairs: 1 (T1); correct 1
    assert ev.scores.pairwise_precision == pytest.approx(1 / 3)
    assert ev.scores.pairwise_recall == pytest.approx(1.0)
    assert set(ev.by_slot) == {"person", "payer", "payee"}

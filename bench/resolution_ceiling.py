"""How far person resolution could go with the candidate pairs it has: the scores of a perfect decision-maker.

Resolves a *copy* of an ingested workspace with the current code, keeping every pair Splink's blocking rules
produce (probability 0 and up, not only those above 0.5), then scores four clusterings against an answer key:

  resolved                     what ``filiere resolve`` gives (the copy's person_map);
  oracle: pairs joined         only the pairs the resolution joined (model edges, rule edges, identical records)
                               that join one true person: what is lost to false merges alone;
  oracle: model >= 0.5         ... plus every pair the model scored 0.5 or more that joins one true person;
  oracle: every blocked pair   ... plus every pair the blocking rules produced, whatever its score.

The last line is the ceiling of the current candidate generation: no decision rule, however good, gets above it
without new candidates (other blocking keys or new attribution rules).  Run:
    .venv/bin/python bench/resolution_ceiling.py WORKSPACE ANSWER_KEY
(about 30 s on a medium world; the workspace is not changed).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import igraph as ig
import pyarrow as pa

import filiere.resolve.stage as stage
from filiere.resolve.evaluate import Scores, mention_labels, score_labels
from filiere.workspace import Workspace


def resolve_keeping_all_pairs(ws: Workspace) -> pa.Table:
    """Resolve ``ws`` as ``filiere resolve`` does; return every pair scored (``unique_id_l/_r``, probability)."""
    kept: list[pa.Table] = []
    fit = stage.fit_and_predict

    def fit_keeping_all(records, spec, keep_probability):
        fitted = fit(records, spec, keep_probability=0.0)
        kept.append(fitted.pairs.select(["unique_id_l", "unique_id_r", "match_probability"]))
        return fitted

    stage.fit_and_predict = fit_keeping_all
    try:
        stage.resolve(ws, reason="bench: resolution ceiling")
    finally:
        stage.fit_and_predict = fit
    return kept[0] if kept else pa.table({"unique_id_l": [], "unique_id_r": [], "match_probability": []})


def oracle_scores(truth: dict[str, str], edges: list[tuple[str, str]]) -> Scores:
    """Connected components of the edges that join two mentions of one true person, scored against the truth."""
    ids = sorted(truth)
    index = {m: i for i, m in enumerate(ids)}
    good = [(index[a], index[b]) for a, b in edges if a in index and b in index and truth[a] == truth[b]]
    labels = ig.Graph(n=len(ids), edges=good).connected_components().membership
    return score_labels(pa.table({"truth": [truth[m] for m in ids], "predicted": labels}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workspace", type=Path)
    ap.add_argument("answer_key", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="filiere-ceiling-") as tmp:
        copy = Path(tmp) / "ws"
        shutil.copytree(args.workspace, copy)
        with Workspace.open(copy) as ws:
            pairs = resolve_keeping_all_pairs(ws)
            labels = mention_labels(ws, args.answer_key)
            joined = ws.con.execute("SELECT mention_id_l, mention_id_r FROM match_evidence").fetchall()
    truth = dict(zip(labels.column("mention_id").to_pylist(), labels.column("truth").to_pylist(), strict=True))
    resolved = score_labels(labels.select(["truth", "predicted"]))
    probability = pairs.column("match_probability").to_pylist()
    scored = list(zip(pairs.column("unique_id_l").to_pylist(), pairs.column("unique_id_r").to_pylist(), strict=True))
    likely = [pair for pair, p in zip(scored, probability, strict=True) if p >= 0.5]
    print(f"{len(truth):,} answer-key mentions; {len(scored):,} blocked pairs, {len(likely):,} scored >= 0.5")
    print(f"{'':28s} {'pairwise P':>10s} {'R':>7s} {'F1':>7s}   {'B-cubed P':>9s} {'R':>7s} {'F1':>7s}")
    for label, s in (("resolved", resolved), ("oracle: pairs joined", oracle_scores(truth, joined)),
                     ("oracle: model >= 0.5", oracle_scores(truth, joined + likely)),
                     ("oracle: every blocked pair", oracle_scores(truth, joined + scored))):
        print(f"{label:28s} {s.pairwise_precision:10.4f} {s.pairwise_recall:7.4f} {s.pairwise_f1:7.4f}   "
              f"{s.bcubed_precision:9.4f} {s.bcubed_recall:7.4f} {s.bcubed_f1:7.4f}")


if __name__ == "__main__":
    main()

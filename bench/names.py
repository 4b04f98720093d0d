"""Name-matching benchmarks for filiere.resolve.names, with an ablation of every choice.

Run: .venv/bin/python bench/names.py [--quick] [--simulator-only]

1. nomenklatura name_bench, Person pairs (../shared/data/names/nomenklatura_name_bench/cases.csv): precision,
   recall, F1 with the decision threshold chosen by cross-validation (5 folds stratified, repeated with 10
   seeds; the threshold is picked on the 4 training folds and applied to the held-out fold), plus the
   threshold-free ROC AUC and average precision; against the frozen OpenSanctions logic-v2 run and a plain
   Jaro-Winkler on the lower-cased full names (what a default string comparison does).
2. Arabic-script → Latin ranking on the Amazon Wikidata test split (wd_arabic_20) and Google ar2en-test:
   each Arabic name against 1,000 Latin candidates (the right one + 999 other Latin names of the same split,
   drawn deterministically, never another listed romanisation of the same Arabic name); top-1 / top-10,
   ties counted against us.
3. Ablation: each NameConfig feature switched off in turn (ranking on a fixed subsample of queries).
4. The simulator's own spelling table (filiere.simulate.names.VARIANTS), with and without each feature
   (it was looked at while developing, so it is a development check, not a held-out measure).
5. Speed: name_feature_frame on 300,000 distinct names built from the benchmark tokens, against plain
   lower-casing in the same run.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from jellyfish import jaro_winkler_similarity

from filiere.resolve.names import FEATURES, NameConfig, NameKeys, keys_similarity, name_feature_frame, name_keys

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "names"
BENCH = DATA / "nomenklatura_name_bench"
WIKIDATA_TEST = DATA / "amazon_wikidata_en_ar_names" / "wd_arabic_20"
GOOGLE_TEST = DATA / "google_transliteration_ar2en" / "ar2en-test.txt"
FOLDS, REPEATS, CANDIDATES = 5, 10, 1000


# ---------------------------------------------------------------- pair classification (name_bench)
def person_pairs() -> list[tuple[str, str, bool]]:
    with (BENCH / "cases.csv").open(encoding="utf-8") as f:
        return [(r["name1"], r["name2"], r["is_match"] == "true") for r in csv.DictReader(f) if r["schema"] == "Person"]


def prf(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Threshold maximising F1 (midpoint between adjacent distinct scores)."""
    values = sorted(set(scores))
    cuts = [values[0]] + [(a + b) / 2 for a, b in itertools.pairwise(values)]
    return max(cuts, key=lambda t: (prf(scores, labels, t)[2], -t))


def cross_validated(scores: Sequence[float], labels: Sequence[bool]) -> dict[str, float]:
    """Pooled out-of-fold P/R/F1 per repeat, averaged over repeats; the mean chosen threshold."""
    f1s, ps, rs, thresholds = [], [], [], []
    for seed in range(REPEATS):
        rng = random.Random(seed)
        fold = [0] * len(scores)
        for cls in (True, False):
            idx = [i for i, y in enumerate(labels) if y is cls]
            rng.shuffle(idx)
            for k, i in enumerate(idx):
                fold[i] = k % FOLDS
        predicted = [False] * len(scores)
        for f in range(FOLDS):
            train = [i for i in range(len(scores)) if fold[i] != f]
            t = best_threshold([scores[i] for i in train], [labels[i] for i in train])
            thresholds.append(t)
            for i in range(len(scores)):
                if fold[i] == f:
                    predicted[i] = scores[i] >= t
        p, r, f1 = prf([1.0 if x else 0.0 for x in predicted], labels, 0.5)
        ps.append(p)
        rs.append(r)
        f1s.append(f1)
    return {
        "p": statistics.mean(ps),
        "r": statistics.mean(rs),
        "f1": statistics.mean(f1s),
        "f1_sd": statistics.pstdev(f1s),
        "threshold": statistics.mean(thresholds),
    }


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def average_precision(scores: Sequence[float], labels: Sequence[bool]) -> float:
    ranked = sorted(zip(scores, labels, strict=True), key=lambda x: -x[0])
    hits, total = 0, 0.0
    for k, (_, y) in enumerate(ranked, 1):
        if y:
            hits += 1
            total += hits / k
    return total / max(1, hits)


def logicv2_person() -> tuple[tuple[float, float, float], tuple[float, float, float], int]:
    """Frozen logic-v2 @0.7 on its Person rows, and on those rows whose pair is in the current cases.csv."""
    current = {(a, b) for a, b, _ in person_pairs()}
    with (BENCH / "logicv2-frozen.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["schema"] == "Person"]

    def score(rs):
        return prf([float(r["score"]) for r in rs], [r["is_match"] == "true" for r in rs], 0.7)

    both = [r for r in rows if (r["name1"], r["name2"]) in current]
    return score(rows), score(both), len(both)


def logicv2_cross_validated() -> tuple[dict[str, float], dict[str, float], int]:
    """Same CV protocol on the frozen logic-v2 scores and on ours, over the Person rows both have."""
    with (BENCH / "logicv2-frozen.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["schema"] == "Person"]
    current = {(a, b) for a, b, _ in person_pairs()}
    rows = [r for r in rows if (r["name1"], r["name2"]) in current]
    labels = [r["is_match"] == "true" for r in rows]
    theirs = cross_validated([float(r["score"]) for r in rows], labels)
    ours = cross_validated(pair_scores([(r["name1"], r["name2"], True) for r in rows], NameConfig()), labels)
    return theirs, ours, len(rows)


def key_agreement(pairs: Sequence[tuple[str, str]], negatives: Sequence[tuple[str, str]], config: NameConfig):
    """Share of true pairs / of non-pairs whose keys agree: same sorted canonical tokens, same skeleton,
    at least one canonical token in common (what blocking on a rare token finds)."""

    def rates(items):
        same_sorted = same_skeleton = shared = 0
        for a, b in items:
            ka, kb = name_keys(a, config), name_keys(b, config)
            same_sorted += ka.sorted_key == kb.sorted_key and bool(ka.tokens)
            same_skeleton += ka.skeleton == kb.skeleton and bool(ka.tokens)
            shared += bool(set(ka.tokens) & set(kb.tokens))
        n = max(1, len(items))
        return same_sorted / n, same_skeleton / n, shared / n

    return rates(pairs), rates(negatives)


def pair_scores(pairs, config: NameConfig) -> list[float]:
    return [keys_similarity(name_keys(a, config), name_keys(b, config), config) for a, b, _ in pairs]


# ---------------------------------------------------------------- Arabic → Latin ranking
def wikidata_pairs() -> list[tuple[str, str]]:
    out = set()
    for line in WIKIDATA_TEST.read_text(encoding="utf-8").splitlines():
        latin, arabic, _count = line.split("\t")
        out.add(("".join(arabic.split()), latin))
    return sorted(out)


def google_pairs() -> list[tuple[str, str]]:
    out = set()
    for line in GOOGLE_TEST.read_text(encoding="utf-8").splitlines():
        arabic, latin = line.split("\t")
        out.add((arabic, latin))
    return sorted(out)


def rank_accuracy(pairs: list[tuple[str, str]], similarity: Callable[[str, str], float], limit: int | None = None):
    """top-1, top-10, number of queries: each Arabic name against the right Latin name + 999 drawn others."""
    latins = sorted({lat for _, lat in pairs})
    valid: dict[str, set[str]] = {}
    for ar, lat in pairs:
        valid.setdefault(ar, set()).add(lat)
    queries = pairs if limit is None else random.Random(7).sample(pairs, min(limit, len(pairs)))
    top1 = top10 = 0
    for i, (ar, lat) in enumerate(queries):
        rng = random.Random(f"cand:{i}:{ar}:{lat}")
        pool = [x for x in rng.sample(latins, min(len(latins), CANDIDATES + 40)) if x not in valid[ar]]
        others = pool[: CANDIDATES - 1]
        true = similarity(ar, lat)
        better = sum(1 for c in others if similarity(ar, c) >= true)  # ties count against us
        top1 += better == 0
        top10 += better < 10
    n = len(queries)
    return top1 / n, top10 / n, n


def ranker(config: NameConfig) -> Callable[[str, str], float]:
    keys: dict[str, NameKeys] = {}

    def similarity(a: str, b: str) -> float:
        ka = keys.get(a) or keys.setdefault(a, name_keys(a, config))
        kb = keys.get(b) or keys.setdefault(b, name_keys(b, config))
        return keys_similarity(ka, kb, config)

    return similarity


def plain_jw(a: str, b: str) -> float:
    return jaro_winkler_similarity(a.lower().strip(), b.lower().strip())


# ---------------------------------------------------------------- the simulator's spelling table
def simulator_variants(config: NameConfig) -> tuple[float, float, float, float, int, int]:
    """On the simulator's own table of spellings (filiere.simulate.names.VARIANTS: Latin variants + Arabic-script
    form per name): share of names whose forms all get one canonical key / one skeleton, share of same-name form
    pairs scoring ≥ 0.9, share of 3,000 different-name pairs scoring ≥ 0.9."""
    from filiere.simulate.names import VARIANTS

    groups = [list(latins) + ([ar] if ar else []) for latins, ar in VARIANTS.values()]
    one_key = sum(len({name_keys(f, config).sorted_key for f in forms}) == 1 for forms in groups) / len(groups)
    one_skel = sum(len({name_keys(f, config).skeleton for f in forms}) == 1 for forms in groups) / len(groups)
    same = [(a, b) for forms in groups for i, a in enumerate(forms) for b in forms[i + 1 :]]
    hit = sum(keys_similarity(name_keys(a, config), name_keys(b, config), config) >= 0.9 for a, b in same) / len(same)
    rng = random.Random(0)
    different = []
    for _ in range(3000):
        ga, gb = rng.sample(groups, 2)
        different.append((rng.choice(ga), rng.choice(gb)))
    false = sum(keys_similarity(name_keys(a, config), name_keys(b, config), config) >= 0.9 for a, b in different)
    return one_key, one_skel, hit, false / len(different), len(groups), len(same)


def print_simulator_table() -> None:
    print(
        "\n| simulator spelling table | one canonical key | one skeleton | same-name pairs ≥ 0.9 | "
        "different-name pairs ≥ 0.9 |"
    )
    print("|---|---|---|---|---|")
    for label, config in [("all features", NameConfig())] + [
        (f"without {f}", NameConfig().without(f)) for f in ("variants", "arabic_rules", "particles", "skeleton")
    ]:
        k, sk, hit, false, ng, npairs = simulator_variants(config)
        print(f"| {label} ({ng} names, {npairs} pairs) | {k:.3f} | {sk:.3f} | {hit:.3f} | {false:.4f} |")


# ---------------------------------------------------------------- speed
def speed(n: int = 300_000) -> tuple[float, float, float, int]:
    tokens = sorted({t for a, b in wikidata_pairs() for t in (a, b)})
    rng = random.Random(3)
    names = {" ".join(rng.sample(tokens, 3)) for _ in range(n + n // 10)}
    names_list = sorted(names)[:n]
    t0 = time.perf_counter()
    plain = [x.lower().split() for x in names_list]
    base = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    frame = name_feature_frame(names_list)
    ours, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert len(frame) == len(plain)
    return ours, cpu, base, len(names_list)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="subsample the ranking queries (2,000 each)")
    parser.add_argument("--simulator-only", action="store_true", help="only the simulator spelling-table check")
    parser.add_argument("--speed-only", action="store_true", help="only the speed figure, in a cold process")
    args = parser.parse_args(argv)
    if args.speed_only:
        print_speed()
        return 0
    if args.simulator_only:
        print_simulator_table()
        return 0
    limit = 2000 if args.quick else None
    pairs = person_pairs()
    labels = [y for _, _, y in pairs]
    print(f"name_bench Person pairs: {len(pairs)} (match {sum(labels)}, non-match {len(labels) - sum(labels)})")
    (p, r, f1), (p2, r2, f2), n2 = logicv2_person()
    print(f"logic-v2 frozen @0.7, its Person rows:          P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    print(f"logic-v2 frozen @0.7, rows also in cases.csv ({n2}): P {p2:.3f} R {r2:.3f} F1 {f2:.3f}")
    jw = [plain_jw(a, b) for a, b, _ in pairs]
    cv = cross_validated(jw, labels)
    print(
        f"plain Jaro-Winkler, CV: P {cv['p']:.3f} R {cv['r']:.3f} F1 {cv['f1']:.3f} ±{cv['f1_sd']:.3f} "
        f"AUC {roc_auc(jw, labels):.3f} AP {average_precision(jw, labels):.3f}"
    )
    t0 = time.perf_counter()
    wiki, google = wikidata_pairs(), google_pairs()
    configs = [("all features", NameConfig())] + [(f"without {f}", NameConfig().without(f)) for f in FEATURES]
    print(
        "\n| configuration | CV F1 (±sd) | CV P | CV R | mean threshold | AUC | AP | "
        "wd_arabic_20 top-1 / top-10 (2,000 q) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, config in configs:
        scores = pair_scores(pairs, config)
        cv = cross_validated(scores, labels)
        t1, t10, n = rank_accuracy(wiki, ranker(config), limit=2000)
        print(
            f"| {label} | {cv['f1']:.3f} (±{cv['f1_sd']:.3f}) | {cv['p']:.3f} | {cv['r']:.3f} | "
            f"{cv['threshold']:.3f} | {roc_auc(scores, labels):.3f} | {average_precision(scores, labels):.3f} | "
            f"{t1:.3f} / {t10:.3f} |"
        )
        sys.stdout.flush()
    print(f"(ablation took {time.perf_counter() - t0:.0f} s)")
    theirs, ours, n = logicv2_cross_validated()
    print(
        f"same CV protocol on the {n} Person rows logic-v2 was frozen on: logic-v2 F1 {theirs['f1']:.3f} "
        f"(threshold {theirs['threshold']:.2f}), ours F1 {ours['f1']:.3f} (threshold {ours['threshold']:.2f})"
    )
    rng = random.Random(5)
    wiki_sample = rng.sample(wiki, 3000)
    latin_pool = sorted({lat for _, lat in wiki})
    wiki_negatives = [(ar, rng.choice(latin_pool)) for ar, _ in wiki_sample]
    bench_pos = [(a, b) for a, b, y in pairs if y]
    bench_neg = [(a, b) for a, b, y in pairs if not y]
    print("\n| keys agree (true pairs / non-pairs) | config | same sorted tokens | same skeleton | shared token |")
    print("|---|---|---|---|---|")
    for data_label, pos, neg in (
        ("name_bench Person", bench_pos, bench_neg),
        ("wd_arabic_20 (3,000 Arabic→Latin)", wiki_sample, wiki_negatives),
    ):
        for label, config in (
            ("all features", NameConfig()),
            ("without variants", NameConfig().without("variants")),
            ("without arabic_rules", NameConfig().without("arabic_rules")),
            ("without particles", NameConfig().without("particles")),
        ):
            (p1, p2, p3), (n1, n2, n3) = key_agreement(pos, neg, config)
            print(f"| {data_label} | {label} | {p1:.3f} / {n1:.3f} | {p2:.3f} / {n2:.3f} | {p3:.3f} / {n3:.3f} |")
    t1, t10, n = rank_accuracy(wiki, plain_jw, limit=2000)
    print(f"plain Jaro-Winkler on the raw strings, wd_arabic_20 (2,000 q): top-1 {t1:.3f} top-10 {t10:.3f}")
    for label, data in (("wd_arabic_20", wiki), ("ar2en-test", google)):
        t0 = time.perf_counter()
        t1, t10, n = rank_accuracy(data, ranker(NameConfig()), limit=limit)
        print(
            f"{label}: {n} Arabic→Latin pairs ranked among {CANDIDATES}: top-1 {t1:.3f} top-10 {t10:.3f} "
            f"({time.perf_counter() - t0:.0f} s)"
        )
    print_simulator_table()
    print_speed()
    return 0


def print_speed() -> None:
    ours, cpu, base, n = speed()
    print(
        f"name_feature_frame on {n} distinct names: {ours:.1f} s wall, {cpu:.1f} s CPU ({n / ours:,.0f} names/s "
        f"wall), {ours / base:.0f}x plain lower-case+split ({base:.2f} s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())

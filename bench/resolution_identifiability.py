"""How far the evidence in the records can carry person resolution: two generous bounds against an answer key.

A record that says only "Ahmed Osman, Sudanese" cannot be placed when the world holds several Sudanese Ahmed
Osmans: no matcher, however good, can tell which of them it is from what it carries.  This script measures how
much of the answer key's clustering the *attributes* of the records can identify at all, granting knowledge no
real resolver has, so the figures are upper bounds for attribute evidence:

  resolved        what ``filiere resolve`` gave (read from the workspace);
  bound A (pairs) the resolution's pieces cut by the answer key (every join the resolver made that was right is
                  kept: its context rules — companions, witnesses, ledgers — are credited in full), then every
                  two mentions of one true person joined when the evidence they share (name-token skeletons,
                  nationality, birth year, a birth date other than a 1 January placeholder, document, phone
                  numbers, plates of the vehicles kept) is not also carried, without contradiction, by a
                  mention of another person;
  bound B (profiles) ... then each mention joined to its person when the evidence it shares with the rest of its
                  person (the person's other pieces, known perfectly from the answer key) is held by no other
                  person's whole profile that does not contradict it (another value of nationality, birth year,
                  birth date or document, where that person has one).

Granted by default, to the bounds' advantage: a namesake who writes a name otherwise (Amir / Omar, one consonant
skeleton) is told apart (``--coarse-spelling``: not), and numbers are compared by the answer key's *lines*, as if
every swap of number were known (``--numbers``: as written).  Both bounds have precision 1 by construction.
Context the resolver does not read yet (who called whom, who paid whom before which crossing) is not in them: that
is the only evidence left beyond bound B.
Run on a resolved workspace (not changed: a copy is read; a few seconds on a medium world):
    .venv/bin/python bench/resolution_identifiability.py WORKSPACE ANSWER_KEY [--numbers] [--coarse-spelling]
"""

from __future__ import annotations

import argparse
import collections
import csv
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from filiere.resolve.evaluate import Scores, mention_labels, score_labels
from filiere.resolve.names.skeleton import skeleton
from filiere.resolve.prepare import mention_features
from filiere.workspace import Workspace

SCALAR_FIELDS = ("nationality", "birth year", "birth date", "document")
Item = tuple[str, object]


@dataclass
class Mentions:
    """The answer-key mentions of a workspace with the evidence each carries."""

    ids: list[str]
    truth: list[str]
    piece: list[str]  # the resolved person
    source: list[str]  # "file slot", for the breakdown
    tokens: list[frozenset[str]]  # name-token skeletons (full name or label)
    spellings: list[dict[str, frozenset[str]]]  # skeleton -> the canonical tokens written for it
    full_name: list[bool]  # a full name of two tokens or more (not a label)
    fields: list[dict[str, object]]
    phones: list[frozenset[str]]
    plates: list[frozenset[str]]  # vehicles the mention is the registered keeper of

    def items(self, i: int) -> set[Item]:
        return ({("token", t) for t in self.tokens[i]} | {(k, v) for k, v in self.fields[i].items()}
                | {("phone", p) for p in self.phones[i]} | {("plate", p) for p in self.plates[i]})


def true_lines(answer_key: Path) -> dict[str, str]:
    """Number -> the answer key's line (one user's chain of numbers): perfect phone-swap detection, granted."""
    with (answer_key / "phones.csv").open() as fh:
        return {row["phone_e164"]: "line " + row["line_id"] for row in csv.DictReader(fh)}


def load(ws: Workspace, answer_key: Path, lines: dict[str, str] | None = None) -> Mentions:
    labels = mention_labels(ws, answer_key)
    features = mention_features(ws.con)
    con = ws.con
    con.register("labels_t", labels)
    con.register("features_t", features)
    rows = con.execute("""
        SELECT f.unique_id, l.truth, l.predicted, s.file_name || ' ' || pm.slot, f.alias_only, f.any_tokens,
               f.nationality, f.dob_year,
               CASE WHEN f.dob_day IS NOT NULL AND NOT f.dob_day LIKE '%-01-01' THEN f.dob_day END, f.document,
               f.phones, v.plates
        FROM features_t f JOIN labels_t l ON l.mention_id = f.unique_id
        LEFT JOIN (SELECT keeper_mention_id, list(DISTINCT plate) AS plates FROM vehicle_mentions
                   WHERE plate IS NOT NULL GROUP BY keeper_mention_id) v ON v.keeper_mention_id = f.unique_id
        JOIN person_mentions pm ON pm.mention_id = f.unique_id JOIN sources s ON s.source_id = pm.source_id
        ORDER BY f.unique_id
    """).fetchall()
    con.unregister("labels_t")
    con.unregister("features_t")
    out = Mentions([], [], [], [], [], [], [], [], [], [])
    for uid, truth, piece, source, alias_only, canon, nat, year, dob, document, phones, plates in rows:
        out.ids.append(uid)
        out.truth.append(str(truth))
        out.piece.append(str(piece))
        out.source.append(source)
        spelled: dict[str, set[str]] = collections.defaultdict(set)
        for token in canon or ():
            spelled[skeleton(token)].add(token)
        tokens = frozenset(spelled)
        out.tokens.append(tokens)
        out.spellings.append({k: frozenset(v) for k, v in spelled.items()})
        out.full_name.append(not alias_only and len(tokens) >= 2)
        values = dict(zip(SCALAR_FIELDS, (nat, year, dob, document), strict=True))
        out.fields.append({k: v for k, v in values.items() if v is not None and v != ""})
        out.phones.append(frozenset((lines or {}).get(p, p) for p in phones or ()))
        out.plates.append(frozenset(plates or ()))
    return out


class Components:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def labels(self) -> list[int]:
        return [self.find(i) for i in range(len(self.parent))]


def right_pieces(m: Mentions) -> Components:
    """The resolution cut by the answer key: mentions joined by the resolver and of one true person."""
    comps = Components(len(m.ids))
    first: dict[tuple[str, str], int] = {}
    for i, key in enumerate(zip(m.truth, m.piece, strict=True)):
        if key in first:
            comps.union(i, first[key])
        else:
            first[key] = i
    return comps


def _contradicts(m: Mentions, a: int, b: int) -> bool:
    """Two mentions that cannot be one person on their own evidence (another value of a scalar field; two full
    names neither of which holds the other's tokens)."""
    fa, fb = m.fields[a], m.fields[b]
    if any(k in fb and fb[k] != v for k, v in fa.items()):
        return True
    return (m.full_name[a] and m.full_name[b] and not (m.tokens[a] <= m.tokens[b] or m.tokens[b] <= m.tokens[a]))


def _spelled_alike(mine: dict[str, frozenset[str]], theirs: dict[str, frozenset[str]] | dict[str, set[str]],
                   shared: Iterable[Item]) -> bool:
    """Every shared name-token skeleton written alike (one canonical token in common) on both sides: a namesake
    who spells a name otherwise (Amir / Omar, one skeleton) is told apart, to the bounds' advantage."""
    return all(mine[v] & theirs.get(v, frozenset()) for k, v in shared if k == "token")


def pair_bound(m: Mentions, comps: Components, spelling: bool = True) -> int:
    """Bound A: join two mentions of one person when what they share fits no other person's mention."""
    index: dict[Item, set[int]] = collections.defaultdict(set)
    for i in range(len(m.ids)):
        for item in m.items(i):
            index[item].add(i)
    cache: dict[tuple[int, frozenset[Item]], bool] = {}

    def confusable(a: int, shared: frozenset[Item]) -> bool:
        key = (a, shared)
        if key not in cache:
            sets = sorted((index[x] for x in shared), key=len)
            candidates = set(sets[0])
            for s in sets[1:]:
                candidates &= s
            cache[key] = any(m.truth[c] != m.truth[a] and not _contradicts(m, a, c)
                             and (not spelling or _spelled_alike(m.spellings[a], m.spellings[c], shared))
                             for c in candidates)
        return cache[key]

    by_truth: dict[str, list[int]] = collections.defaultdict(list)
    for i, t in enumerate(m.truth):
        by_truth[t].append(i)
    joined = 0
    for members in by_truth.values():
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                if comps.find(a) == comps.find(b):
                    continue
                shared = frozenset(m.items(a) & m.items(b))
                if shared and not confusable(a, shared) and not confusable(b, shared):
                    comps.union(a, b)
                    joined += 1
    return joined


def largest_piece_mention(m: Mentions) -> dict[str, int]:
    """A mention of each true person's largest resolved piece."""
    sizes = collections.Counter(zip(m.truth, m.piece, strict=True))
    largest: dict[str, tuple[int, str]] = {}
    for (truth, piece), size in sizes.items():
        largest[truth] = max(largest.get(truth, (0, "")), (size, piece))
    return {m.truth[i]: i for i in range(len(m.ids) - 1, -1, -1) if m.piece[i] == largest[m.truth[i]][1]}


def profile_bound(m: Mentions, comps: Components, spelling: bool = True) -> int:
    """Bound B: join each mention to its person's largest piece when its evidence found in the person's other
    pieces is held by no other person's profile that does not contradict it.  Returns how many qualified."""
    n = len(m.ids)
    profile: dict[str, collections.Counter[Item]] = collections.defaultdict(collections.Counter)
    piece_items: dict[tuple[str, str], collections.Counter[Item]] = collections.defaultdict(collections.Counter)
    holders: dict[Item, set[str]] = collections.defaultdict(set)
    spelled: dict[str, dict[str, set[str]]] = collections.defaultdict(lambda: collections.defaultdict(set))
    for i in range(n):
        for sk, canon in m.spellings[i].items():
            spelled[m.truth[i]][sk] |= canon
        for item in m.items(i):
            profile[m.truth[i]][item] += 1
            piece_items[(m.truth[i], m.piece[i])][item] += 1
            holders[item].add(m.truth[i])

    def values(counts: collections.Counter[Item], field: str) -> set[object]:
        return {v for (k, v), c in counts.items() if k == field and c > 0}

    def contradicted(i: int, counts: collections.Counter[Item]) -> bool:
        for k, v in m.fields[i].items():
            held = values(counts, k)
            if held and v not in held:
                return True
        return False

    anchor = largest_piece_mention(m)
    placed = 0
    for i in range(n):
        person = m.truth[i]
        rest = profile[person] - piece_items[(person, m.piece[i])]  # the person without this mention's piece
        shared = {x for x in m.items(i) if rest[x] > 0}
        if not shared or contradicted(i, rest):
            continue
        candidates: set[str] | None = None
        for x in sorted(shared, key=lambda x: len(holders[x])):
            candidates = set(holders[x]) if candidates is None else candidates & holders[x]
            if len(candidates) <= 1:
                break
        if any(q != person and all(profile[q][x] > 0 for x in shared) and not contradicted(i, profile[q])
               and (not spelling or _spelled_alike(m.spellings[i], spelled[q], shared))
               for q in candidates or ()):
            continue
        comps.union(i, anchor[person])
        placed += 1
    return placed


def outside_largest_piece(m: Mentions, labels: list[int]) -> collections.Counter[str]:
    """Mentions the resolution leaves outside their person's largest piece and ``labels`` puts with it, by source."""
    anchor = largest_piece_mention(m)
    return collections.Counter(m.source[i] for i in range(len(m.ids))
                               if m.piece[i] != m.piece[anchor[m.truth[i]]] and labels[i] == labels[anchor[m.truth[i]]])


def score(m: Mentions, labels: Iterable[object]) -> Scores:
    return score_labels(pa.table({"truth": m.truth, "predicted": [str(x) for x in labels]}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("workspace", type=Path)
    ap.add_argument("answer_key", type=Path)
    ap.add_argument("--top", type=int, default=10, help="sources to list in the breakdown")
    ap.add_argument("--numbers", action="store_true",
                    help="compare phone numbers as written (default: the answer key's lines, as if every swap "
                         "of number were known)")
    ap.add_argument("--coarse-spelling", action="store_true",
                    help="a namesake who spells a name otherwise (same skeleton) still confuses")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="filiere-ident-") as tmp:
        copy = Path(tmp) / "ws"
        shutil.copytree(args.workspace, copy)
        with Workspace.open(copy) as ws:
            m = load(ws, args.answer_key, None if args.numbers else true_lines(args.answer_key))
    comps = right_pieces(m)
    rows = [("resolved", score(m, m.piece))]
    joined = pair_bound(m, comps, spelling=not args.coarse_spelling)
    rows.append(("bound A: shared evidence", score(m, comps.labels())))
    placed = profile_bound(m, comps, spelling=not args.coarse_spelling)
    rows.append(("bound B: person profiles", score(m, comps.labels())))
    print(f"{len(m.ids):,} answer-key mentions; bound A joined {joined:,} pairs of pieces, bound B placed "
          f"{placed:,} mentions with the rest of their person")
    print(f"{'':26s} {'pairwise P':>10s} {'R':>7s} {'F1':>7s}   {'B-cubed P':>9s} {'R':>7s} {'F1':>7s}")
    for label, s in rows:
        print(f"{label:26s} {s.pairwise_precision:10.4f} {s.pairwise_recall:7.4f} {s.pairwise_f1:7.4f}   "
              f"{s.bcubed_precision:9.4f} {s.bcubed_recall:7.4f} {s.bcubed_f1:7.4f}")
    gained = outside_largest_piece(m, comps.labels())
    print(f"{sum(gained.values()):,} mentions outside their person's largest resolved piece are with it in bound B; "
          "by source:")
    for source, count in gained.most_common(args.top):
        print(f"  {count:6,d}  {source}")


if __name__ == "__main__":
    main()

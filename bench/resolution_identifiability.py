"""How far the evidence in the records can carry person resolution: three generous bounds against an answer key.

A record that says only "Ahmed Osman, Sudanese" cannot be placed when the world holds several Sudanese Ahmed
Osmans: no matcher, however good, can tell which of them it is from what it carries.  This script measures how
much of the answer key's clustering the *attributes* of the records can identify at all, granting knowledge no
real resolver has, so the figures are upper bounds for that evidence:

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
                  birth date or document, where that person has one);
  bound C (companions) ... then a crossing's traveller joined to its person when the person's other crossings
                  carried one of this crossing's companions and no other person fitting its evidence did
                  (companions' identities known perfectly);
  C + guess       ... then each mention still out whose evidence fits its own person and others alike joined
                  to one of them (the B-cubed a resolver reaches by guessing: at random, the candidate with the
                  most mentions in the world, or that one only when it holds at least half the candidates'
                  mentions — sizes known perfectly).

Granted by default, to the bounds' advantage: a namesake who writes a name otherwise (Amir / Omar, one consonant
skeleton) is told apart (``--coarse-spelling``: not), and numbers are compared by the answer key's *lines*, as if
every swap of number were known (``--numbers``: as written).  Bounds A, B and C have precision 1 by construction.
Other context (who called whom, who paid whom before which crossing) is not in them.
Run on a resolved workspace (not changed: a copy is read; a few seconds on a medium world):
    .venv/bin/python bench/resolution_identifiability.py WORKSPACE ANSWER_KEY [--numbers] [--coarse-spelling]
"""

from __future__ import annotations

import argparse
import collections
import csv
import random
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
    crossing: dict[int, str]  # traveller mention -> the crossing it was recorded on (file and reference)

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
    crossings = dict(con.execute("""
        SELECT traveller_mention_id, source_id || ':' || incident_ref FROM crossings
        WHERE traveller_mention_id IS NOT NULL AND incident_ref IS NOT NULL
    """).fetchall())
    out = Mentions([], [], [], [], [], [], [], [], [], [], {})
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
        if uid in crossings:
            out.crossing[len(out.ids) - 1] = crossings[uid]
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

    def copy(self) -> Components:
        other = Components(0)
        other.parent = list(self.parent)
        return other

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


class Profiles:
    """Each true person's whole profile (every item of every mention, known perfectly from the answer key)."""

    def __init__(self, m: Mentions) -> None:
        self.m = m
        self.profile: dict[str, collections.Counter[Item]] = collections.defaultdict(collections.Counter)
        self.piece_items: dict[tuple[str, str], collections.Counter[Item]] = collections.defaultdict(
            collections.Counter)
        self.holders: dict[Item, set[str]] = collections.defaultdict(set)
        self.spelled: dict[str, dict[str, set[str]]] = collections.defaultdict(lambda: collections.defaultdict(set))
        self.size: collections.Counter[str] = collections.Counter(m.truth)
        for i in range(len(m.ids)):
            for sk, canon in m.spellings[i].items():
                self.spelled[m.truth[i]][sk] |= canon
            for item in m.items(i):
                self.profile[m.truth[i]][item] += 1
                self.piece_items[(m.truth[i], m.piece[i])][item] += 1
                self.holders[item].add(m.truth[i])

    def contradicted(self, i: int, counts: collections.Counter[Item]) -> bool:
        for k, v in self.m.fields[i].items():
            held = {value for (field, value), c in counts.items() if field == k and c > 0}
            if held and v not in held:
                return True
        return False

    def confusers(self, i: int, spelling: bool = True) -> list[str] | None:
        """The other persons whose whole profile fits what mention ``i`` shares with the rest of its own person
        (outside its resolved piece); None when it shares nothing or contradicts its own person."""
        m, person = self.m, self.m.truth[i]
        rest = self.profile[person] - self.piece_items[(person, m.piece[i])]
        shared = {x for x in m.items(i) if rest[x] > 0}
        if not shared or self.contradicted(i, rest):
            return None
        candidates: set[str] | None = None
        for x in sorted(shared, key=lambda x: len(self.holders[x])):
            candidates = set(self.holders[x]) if candidates is None else candidates & self.holders[x]
            if len(candidates) <= 1:
                break
        return sorted(q for q in candidates or () if q != person
                      and all(self.profile[q][x] > 0 for x in shared) and not self.contradicted(i, self.profile[q])
                      and (not spelling or _spelled_alike(m.spellings[i], self.spelled[q], shared)))


def profile_bound(m: Mentions, comps: Components, profiles: Profiles, spelling: bool = True) -> int:
    """Bound B: join each mention to its person's largest piece when its evidence found in the person's other
    pieces is held by no other person's profile that does not contradict it.  Returns how many qualified."""
    anchor = largest_piece_mention(m)
    placed = 0
    for i in range(len(m.ids)):
        if profiles.confusers(i, spelling) == []:
            comps.union(i, anchor[m.truth[i]])
            placed += 1
    return placed


def companions_bound(m: Mentions, comps: Components, profiles: Profiles, spelling: bool = True) -> int:
    """Bound C: bound B, then a traveller it left out joined to its person when one of the person's other
    crossings carried one of this crossing's companions — companions' identities known perfectly from the answer
    key — and no other person whose profile fits the traveller's evidence did.  Returns how many it placed."""
    on_crossing: dict[str, set[str]] = collections.defaultdict(set)  # crossing -> true persons on it
    crossings_of: dict[str, set[str]] = collections.defaultdict(set)  # true person -> crossings
    for i, crossing in m.crossing.items():
        on_crossing[crossing].add(m.truth[i])
        crossings_of[m.truth[i]].add(crossing)

    def travelled_with(person: str, companions: set[str], besides: str) -> bool:
        return any(on_crossing[c] & companions for c in crossings_of[person] if c != besides)

    anchor = largest_piece_mention(m)
    placed = 0
    for i, crossing in sorted(m.crossing.items()):
        person = m.truth[i]
        if comps.find(i) == comps.find(anchor[person]):
            continue
        others = profiles.confusers(i, spelling)
        companions = on_crossing[crossing] - {person}
        if others and travelled_with(person, companions, crossing) and not any(
                travelled_with(q, companions, crossing) for q in others):
            comps.union(i, anchor[person])
            placed += 1
    return placed


def guess_bound(m: Mentions, comps: Components, profiles: Profiles, policy: str, seed: int = 0,
                spelling: bool = True) -> tuple[int, int]:
    """After the bounds, a guess for each mention they left out whose evidence fits its own person and others alike:
    joined to one of them (with everything already joined to it), chosen at random (``random``), the one with the
    most mentions in the world (``largest``: a prior no resolver knows so well), or that one only when it holds
    at least half the candidates' mentions, i.e. more likely right than wrong on that prior (``likely``).
    Returns (right, wrong)."""
    rng = random.Random(seed)
    anchor = largest_piece_mention(m)
    picks: list[tuple[int, str]] = []
    guessed: set[int] = set()  # one guess per piece: the piece goes whole
    for i in range(len(m.ids)):
        root = comps.find(i)
        if root == comps.find(anchor[m.truth[i]]) or root in guessed:
            continue
        others = profiles.confusers(i, spelling)
        if not others:
            continue
        options = sorted([m.truth[i], *others])
        if policy == "random":
            choice = rng.choice(options)
        else:
            choice = max(options, key=lambda q: (profiles.size[q], rng.random()))
            if policy == "likely" and 2 * profiles.size[choice] < sum(profiles.size[q] for q in options):
                continue
        picks.append((i, choice))
        guessed.add(root)
    right = sum(choice == m.truth[i] for i, choice in picks)
    for i, choice in picks:
        comps.union(i, anchor[choice])
    return right, len(picks) - right


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
    profiles = Profiles(m)
    placed = profile_bound(m, comps, profiles, spelling=not args.coarse_spelling)
    rows.append(("bound B: person profiles", score(m, comps.labels())))
    travelled = companions_bound(m, comps, profiles, spelling=not args.coarse_spelling)
    rows.append(("bound C: companions", score(m, comps.labels())))
    guesses = {}
    for policy in ("random", "largest", "likely"):
        guessing = comps.copy()
        guesses[policy] = guess_bound(m, guessing, profiles, policy, spelling=not args.coarse_spelling)
        rows.append((f"C + guess ({policy})", score(m, guessing.labels())))
    print(f"{len(m.ids):,} answer-key mentions; bound A joined {joined:,} pairs of pieces, bound B placed "
          f"{placed:,} mentions with the rest of their person, bound C {travelled:,} travellers")
    for policy, (right, wrong) in guesses.items():
        print(f"guess ({policy}): {right:,} pieces joined to their own person, {wrong:,} to another")
    print(f"{'':26s} {'pairwise P':>10s} {'R':>7s} {'F1':>7s}   {'B-cubed P':>9s} {'R':>7s} {'F1':>7s}")
    for label, s in rows:
        print(f"{label:26s} {s.pairwise_precision:10.4f} {s.pairwise_recall:7.4f} {s.pairwise_f1:7.4f}   "
              f"{s.bcubed_precision:9.4f} {s.bcubed_recall:7.4f} {s.bcubed_f1:7.4f}")
    gained = outside_largest_piece(m, comps.labels())
    print(f"{sum(gained.values()):,} mentions outside their person's largest resolved piece are with it in bound C; "
          "by source:")
    for source, count in gained.most_common(args.top):
        print(f"  {count:6,d}  {source}")


if __name__ == "__main__":
    main()

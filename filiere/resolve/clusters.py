"""Clustering scored pairs into persons, honouring analysts' judgements.

* every 'same' judgement joins its two mentions (must-link), unless it would join a 'different' pair;
* no cluster ever holds both mentions of a 'different' judgement (cannot-link);
* no cluster holds mentions of two classes kept apart (``apart_class``: a record of a victim and one of a
  suspect) unless an analyst's 'same' joined them;
* otherwise, pairs scored at or above the threshold are joined, strongest first.

Connected components of the model's edges are found with igraph (C speed); only components that contain
both ends of a cannot-link pair are re-clustered in Python by greedy union-find over their edges in
descending probability, refusing a merge that would put a cannot-link pair together.  Without cannot-links
the result equals plain connected components at the threshold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import igraph
import numpy as np


class UnionFind:
    """Union-find over 0..n-1 that also tracks, per root, the cannot-link partners of its members, and the
    classes kept apart (bit 1 and bit 2) its members hold: a root holding only one may not join a root holding
    only the other unless the union is ``judged`` (an analyst's 'same')."""

    def __init__(self, n: int, classes: Sequence[int] | None = None) -> None:
        self.parent = list(range(n))
        self.forbidden: dict[int, set[int]] = defaultdict(set)  # root -> roots it may never join
        self.classes = list(classes) if classes is not None else [0] * n  # root -> classes held (bits 1, 2)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def forbid(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        self.forbidden[ra].add(rb)
        self.forbidden[rb].add(ra)

    def can_union(self, a: int, b: int, judged: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not judged and _apart(self.classes[ra], self.classes[rb]):
            return False
        return rb not in {self.find(x) for x in self.forbidden.get(ra, ())}

    def union(self, a: int, b: int, judged: bool = False) -> bool:
        """Join a and b unless forbidden (``judged``: an analyst's 'same', which classes do not stop); True when
        they end up together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self.can_union(a, b, judged):
            return False
        self.parent[rb] = ra
        self.classes[ra] |= self.classes[rb]
        moved = self.forbidden.pop(rb, set())
        self.forbidden[ra] |= moved
        for other in moved:
            peers = self.forbidden.get(self.find(other))
            if peers is not None:
                peers.discard(rb)
                peers.add(ra)
        return True


def _apart(x: int, y: int) -> bool:
    """Two roots' class bits: one holds records of class 1 only and the other of class 2 only.  A root holding
    both was joined by an analyst's 'same' (the person is both, say a migrant charged with steering the boat):
    records of either class may join it on the model's word, as they may join any person of their class."""
    return {x, y} == {1, 2}


@dataclass
class Clustering:
    """Cluster label (smallest member index) per node, and the judgements that could not be applied."""

    labels: np.ndarray
    refused_same: list[tuple[int, int]] = field(default_factory=list)
    refused_edges: int = 0
    # groups the edges joined that held both classes kept apart (``apart_class``), and were split
    split_by_class: int = 0


def groups_split(before: np.ndarray, after: np.ndarray) -> int:
    """How many groups of ``before`` (a label per node) were split, i.e. have nodes under more than one label of
    ``after`` (the same nodes, in the same order)."""
    if not before.size:
        return 0
    # each group once per label it ended under: the split ones appear more than once
    pieces = np.unique(np.column_stack([before, after]), axis=0)[:, 0]
    return int((np.unique(pieces, return_counts=True)[1] > 1).sum())


def cluster(
    n: int,
    edges_l: Sequence[int] | np.ndarray,
    edges_r: Sequence[int] | np.ndarray,
    probabilities: Sequence[float] | np.ndarray,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    inferred_cannot_link: Iterable[tuple[int, int]] = (),
    apart_class: Sequence[int] | np.ndarray | None = None,
) -> Clustering:
    """Cluster nodes 0..n-1 from model edges (already filtered at the threshold) and judgements.

    ``cannot_link`` (an analyst's 'different') is absolute; ``inferred_cannot_link`` (evidence that two nodes are
    two people, such as numbers that called each other) yields to an analyst's ``must_link``: a 'same' judgement
    is always honoured.  ``apart_class`` (per node 0, 1 or 2): no cluster holds a node of class 1 and one of
    class 2 unless an analyst's 'same' judgement joined the two classes in it (then records of either class may
    join that person as any other)."""
    el = np.asarray(edges_l, dtype=np.int64)
    er = np.asarray(edges_r, dtype=np.int64)
    pr = np.asarray(probabilities, dtype=np.float64)
    must = list(must_link)
    cannot = [(a, b) for a, b in cannot_link if a != b]
    inferred = [(a, b) for a, b in inferred_cannot_link if a != b]

    graph = igraph.Graph(n=n, edges=np.column_stack([el, er]).tolist() if len(el) else [])
    if must:
        graph.add_edges(must)
    membership = np.asarray(graph.connected_components().membership, dtype=np.int64)

    conflicted = {int(membership[a]) for a, b in cannot + inferred if membership[a] == membership[b]}
    classes = None
    if apart_class is not None:
        classes = np.asarray(apart_class, dtype=np.int64)
        held = np.zeros(int(membership.max()) + 1 if n else 0, dtype=np.int64)
        np.bitwise_or.at(held, membership, classes)
        mixed = {int(c) for c in np.flatnonzero(held == 3)}
        conflicted |= mixed
    result = Clustering(labels=np.empty(n, dtype=np.int64))
    if conflicted:
        in_mixed = np.isin(membership, list(mixed)) if classes is not None else None
        before = membership[in_mixed] if in_mixed is not None else None
        _recluster_conflicted(membership, conflicted, el, er, pr, must, cannot, inferred, result, classes)
        if before is not None and before.size:
            result.split_by_class = groups_split(before, membership[in_mixed])
    # label = smallest node index in each component (stable, independent of edge order)
    order = np.argsort(membership, kind="stable")
    first = {}
    for node in order:
        comp = int(membership[node])
        if comp not in first:
            first[comp] = int(node)
    result.labels = np.fromiter((first[int(c)] for c in membership), dtype=np.int64, count=n)
    return result


def _recluster_conflicted(
    membership: np.ndarray,
    conflicted: set[int],
    el: np.ndarray,
    er: np.ndarray,
    pr: np.ndarray,
    must: list[tuple[int, int]],
    cannot: list[tuple[int, int]],
    inferred: list[tuple[int, int]],
    result: Clustering,
    classes: np.ndarray | None = None,
) -> None:
    """Greedy constrained union-find inside each conflicted component; rewrites ``membership`` in place.
    Order: analysts' 'different', their 'same', inferred cannot-links between what 'same' left apart, then the
    model's edges strongest first (refused where they would join classes kept apart)."""
    nodes = np.flatnonzero(np.isin(membership, list(conflicted)))
    local = {int(v): i for i, v in enumerate(nodes)}
    uf = UnionFind(len(nodes), classes[nodes].tolist() if classes is not None else None)
    for a, b in cannot:
        if a in local and b in local:
            uf.forbid(local[a], local[b])
    for a, b in must:
        if a in local and b in local and not uf.union(local[a], local[b], judged=True):
            result.refused_same.append((a, b))
    for a, b in inferred:
        if a in local and b in local and uf.find(local[a]) != uf.find(local[b]):
            uf.forbid(local[a], local[b])
    in_comp = np.isin(el, nodes)
    idx = np.flatnonzero(in_comp)
    # strongest first; probabilities equal to 6 decimals are ties, taken in node order (floating-point sums in
    # training differ in the last digits from run to run: the order, and so the result, must not)
    idx = idx[np.lexsort((er[idx], el[idx], -np.round(pr[idx], 6)))]
    for k in idx:
        if not uf.union(local[int(el[k])], local[int(er[k])]):
            result.refused_edges += 1
    next_label = int(membership.max()) + 1
    roots: dict[int, int] = {}
    for v, i in local.items():
        r = uf.find(i)
        if r not in roots:
            roots[r] = next_label
            next_label += 1
        membership[v] = roots[r]

"""Leiden communities on the suspect-side graph, seeded so that a re-run gives the same networks.

We use igraph's C implementation of Leiden (``Graph.community_leiden``, by Traag, the author of ``leidenalg``):
on a 10-million-edge graph it runs in seconds where the ``leidenalg`` package needs minutes on this machine
(bench/graph_analyze.py speed --leidenalg).

Objective: the Constant Potts Model (CPM), not modularity.  CPM's resolution γ is a density: a group is kept
together when the weight of the links inside it exceeds γ per pair of its members.  It does not depend on the
size of the whole graph, whereas modularity's best γ grows with it (the resolution limit): on the simulator,
modularity needed γ ≈ 2 on the small world and γ ≈ 8 on the medium one, while CPM with γ = 0.05 is best or
near-best on both (docs/benchmarks.md, "Network discovery and roles").  Higher γ splits networks into their
cells; lower γ merges networks that share brokers or background contacts.

Each vertex counts with a size in that density (``node_weights``, 1 by default).  The analyze stage gives size 0 to
phone actors and lines linked to one vertex only (``discover.community_sizes``): a recruiter's dozen migrants'
numbers, each called by him alone, otherwise made him and his numbers a dense "community" of their own, too big to
join the network he works with (docs/decisions.md).

**Restarts**: one Leiden run depends on its seed (the order it visits vertices in), and on the simulated worlds two
seeds gave different networks on most worlds — enough to lose an organiser.  On graphs of at most
``RESTARTS_MAX_EDGES`` links ``leiden`` runs ``RESTARTS`` times (seeds ``seed`` … ``seed + 4``) and keeps the partition
of best CPM quality; above that, one run (a 10-million-edge graph takes 13 s per run).

**Cells** (``cells``): CPM at one γ for the whole graph sometimes keeps two networks linked by a few members (a
shared driver, a broker, a lieutenant's calls to the other network's recruiters) as one community.  Each candidate
network's own graph is therefore split once more by modularity at a low resolution (``CELL_RESOLUTION``), where the
question is only whether it falls apart into groups with few links between them; ``discover`` keeps the split when
at least two groups are networks in their own right (enough persons, evidence of smuggling).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import igraph as ig
import numpy as np

DEFAULT_RESOLUTION = 0.05
OBJECTIVE = "CPM"
DEFAULT_ITERATIONS = 2
CELL_RESOLUTION = 0.3
RESTARTS = 5  # Leiden runs (seeds seed … seed + 4) on graphs of at most RESTARTS_MAX_EDGES links; the best CPM
# quality is kept
RESTARTS_MAX_EDGES = 2_000_000


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """igraph's random numbers from a private generator seeded with ``seed``, restored afterwards."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def leiden(g: ig.Graph, resolution: float = DEFAULT_RESOLUTION, seed: int = 0,
           n_iterations: int = DEFAULT_ITERATIONS, weights: str | None = "weight",
           node_weights: list[float] | None = None, restarts: int | None = None) -> list[int]:
    """Community of each vertex (0-based, largest community first).  ``node_weights``: each vertex's size in CPM's
    density (default 1 each); a vertex of size 0 costs its community nothing and goes where its links are.
    ``restarts``: Leiden runs with seeds ``seed`` … ``seed + restarts - 1``, the partition of best CPM quality kept
    (``cpm_quality``); by default ``RESTARTS`` on graphs of at most ``RESTARTS_MAX_EDGES`` links, else one.  One run
    depends on its seed: on 25 simulated worlds seeds 0 and 1 gave different networks on 19, and an organiser
    found with one seed was missed with the other (docs/decisions.md)."""
    if g.vcount() == 0:
        return []
    w = weights if weights and weights in g.es.attributes() else None
    runs = max(1, restarts if restarts is not None else (RESTARTS if g.ecount() <= RESTARTS_MAX_EDGES else 1))
    arrays = _quality_arrays(g, w, node_weights) if runs > 1 else None  # the same for every run
    best, best_q = None, None
    for k in range(runs):
        with seeded_igraph(seed + k):
            part = g.community_leiden(objective_function=OBJECTIVE, weights=w, resolution=resolution,
                                      n_iterations=n_iterations, node_weights=node_weights)
        q = _cpm_quality(part.membership, resolution, *arrays) if arrays else 0.0
        if best_q is None or q > best_q + 1e-9:
            best, best_q = part, q
    sizes = best.sizes()
    order = sorted(range(len(sizes)), key=lambda c: (-sizes[c], c))
    relabel = {c: i for i, c in enumerate(order)}
    return [relabel[c] for c in best.membership]


def cpm_quality(g: ig.Graph, membership: list[int], resolution: float, weights: str | None,
                node_weights: list[float] | None) -> float:
    """CPM's objective up to terms no partition changes: twice the link weight inside communities minus γ times
    the sum over communities of their size squared (sizes from ``node_weights``, 1 per vertex by default)."""
    return _cpm_quality(membership, resolution, *_quality_arrays(g, weights, node_weights))


def _quality_arrays(g: ig.Graph, weights: str | None,
                    node_weights: list[float] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Edge ends, edge weights and vertex sizes, as ``_cpm_quality`` reads them."""
    ends = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    w = np.asarray(g.es[weights], dtype=float) if weights and g.ecount() else np.ones(len(ends))
    return ends, w, np.asarray(node_weights, dtype=float) if node_weights is not None else None


def _cpm_quality(membership: list[int], resolution: float, ends: np.ndarray, w: np.ndarray,
                 sizes_of: np.ndarray | None) -> float:
    m = np.asarray(membership, dtype=np.int64)
    inside = float(w[m[ends[:, 0]] == m[ends[:, 1]]].sum())
    sizes = np.bincount(m, weights=sizes_of)
    return 2.0 * inside - resolution * float((sizes ** 2).sum())


def cells(g: ig.Graph, resolution: float = CELL_RESOLUTION, seed: int = 0, weights: str | None = "weight") -> list[int]:
    """Modularity groups of one network's graph (0-based, largest first): the cells it falls apart into, if any."""
    if g.vcount() == 0:
        return []
    w = weights if weights and weights in g.es.attributes() else None
    with seeded_igraph(seed):
        part = g.community_leiden(objective_function="modularity", weights=w, resolution=resolution,
                                  n_iterations=-1)
    sizes = part.sizes()
    order = sorted(range(len(sizes)), key=lambda c: (-sizes[c], c))
    relabel = {c: i for i, c in enumerate(order)}
    return [relabel[c] for c in part.membership]

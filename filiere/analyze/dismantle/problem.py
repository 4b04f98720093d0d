"""What a dismantling strategy is asked to do: which vertices it may remove, at what cost, and when to stop."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import igraph as ig
import numpy as np


@dataclass
class Problem:
    """A simple undirected graph plus the rules for choosing targets.

    ``allowed[v]`` is False for vertices that may never be targets (victims, people already in custody);
    ``cost[v]`` is the price of removing v and ``budget`` the total that may be spent (``inf`` for a full curve);
    strategies stop once the largest component has at most ``stop_size`` vertices.
    """

    graph: ig.Graph
    allowed: np.ndarray
    cost: np.ndarray
    budget: float = math.inf
    stop_size: int = 1
    seed: int = 0
    unit_cost: bool = True
    adj: list[list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.adj = self.graph.get_adjlist()

    @property
    def n(self) -> int:
        return self.graph.vcount()


def make_problem(
    g: ig.Graph,
    *,
    budget: float = math.inf,
    costs: Mapping[int, float] | None = None,
    excluded: Iterable[int] = (),
    stop_size: int = 1,
    seed: int = 0,
) -> Problem:
    """Validate inputs and build a :class:`Problem` on the simple undirected version of ``g``."""
    simple = g.copy()
    if simple.is_directed():
        simple.to_undirected(mode="collapse")
    simple.simplify(multiple=True, loops=True)
    n = simple.vcount()
    allowed = np.ones(n, dtype=bool)
    for v in excluded:
        if not 0 <= int(v) < n:
            raise ValueError(f"excluded vertex {v} is not in the graph (0..{n - 1})")
        allowed[int(v)] = False
    cost = np.ones(n, dtype=float)
    if costs:
        for v, c in costs.items():
            if not 0 <= int(v) < n:
                raise ValueError(f"cost given for vertex {v}, which is not in the graph (0..{n - 1})")
            if not c > 0:
                raise ValueError(f"cost of vertex {v} must be positive, got {c}")
            cost[int(v)] = float(c)
    allowed &= np.isfinite(cost)
    if budget < 0:
        raise ValueError(f"budget must be non-negative, got {budget}")
    unit = bool(np.all(cost[allowed] == 1.0))
    return Problem(simple, allowed, cost, budget, stop_size, seed, unit)


class Removal:
    """Mutable removal state: which vertices are gone, what was spent, and the components of the rest."""

    def __init__(self, p: Problem, removed: Iterable[int] = ()) -> None:
        self.p = p
        self.alive = np.ones(p.n, dtype=bool)
        self.order: list[int] = []
        self.spent = 0.0
        for v in removed:
            self.remove(v)

    def remove(self, v: int) -> None:
        if not self.alive[v]:
            raise ValueError(f"vertex {v} removed twice")
        self.alive[v] = False
        self.order.append(int(v))
        self.spent += float(self.p.cost[v])

    def affordable(self, v: int) -> bool:
        return bool(self.alive[v] and self.p.allowed[v] and self.spent + self.p.cost[v] <= self.p.budget + 1e-9)

    def _membership(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        keep = np.flatnonzero(self.alive)
        if len(keep) == 0:
            return keep, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        membership = np.asarray(self.p.graph.induced_subgraph(keep.tolist()).connected_components().membership)
        sizes = np.bincount(membership)
        return keep, membership, sizes

    def sizes(self) -> list[int]:
        """Component sizes of the remaining graph, largest first."""
        _, _, sizes = self._membership()
        return sorted(sizes.tolist(), reverse=True)

    def components(self) -> list[list[int]]:
        """Components of the remaining graph as lists of original vertex ids, largest first."""
        keep, membership, sizes = self._membership()
        if len(keep) == 0:
            return []
        order = np.argsort(membership, kind="stable")
        groups = np.split(keep[order], np.cumsum(sizes)[:-1])
        comps = [grp.tolist() for grp in groups]
        comps.sort(key=len, reverse=True)
        return comps

    def largest(self) -> list[int]:
        keep, membership, sizes = self._membership()
        if len(keep) == 0:
            return []
        return keep[membership == int(np.argmax(sizes))].tolist()

    def done(self, lcc: list[int]) -> bool:
        """True when the target size is reached or nothing affordable is left in the largest component."""
        if len(lcc) <= self.p.stop_size:
            return True
        return not any(self.affordable(v) for v in lcc)

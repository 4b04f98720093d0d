"""What the network looks like after it has re-organised around the arrests.

Model, after Duijn, Kashirin & Sloot (2014, "The relative ineffectiveness of criminal network disruption",
Sci. Rep. 4:4238): criminal networks recover by re-linking the contacts a removed member leaves behind through a
trusted successor. For each removed target in order, its remaining contacts are taken; the successor is the contact
with the most remaining ties (a broker/second-tier member; ties broken by a seeded random draw); every other
contact links to the successor with probability ``relink_probability`` (seeded, so the result is reproducible).
Targets with a single remaining contact leave nothing to re-link. The recovered graph has the remaining vertices only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import igraph as ig
import numpy as np

from filiere.analyze.dismantle.metrics import efficiency, remaining_graph


@dataclass
class Recovery:
    graph: ig.Graph  # remaining vertices, ``orig`` = original index; new edges have ``recovered`` = True
    new_edges: list[tuple[int, int]]  # in original vertex indices
    successors: dict[int, int]  # removed target -> the contact that took over its links
    lcc: int
    efficiency: float


def recover(
    g: ig.Graph,
    removed: Sequence[int],
    *,
    relink_probability: float = 0.8,
    seed: int = 0,
    efficiency_sample: int = 400,
) -> Recovery:
    if not 0.0 <= relink_probability <= 1.0:
        raise ValueError(f"relink_probability must be within [0, 1], got {relink_probability}")
    rng = np.random.default_rng(seed)
    gone = set(int(v) for v in removed)
    rest = remaining_graph(g, gone)
    index = {orig: i for i, orig in enumerate(rest.vs["orig"])}
    degree = rest.degree()
    linked: dict[int, set[int]] = {}
    new_local: list[tuple[int, int]] = []
    new_edges: list[tuple[int, int]] = []
    successors: dict[int, int] = {}
    for t in removed:
        contacts = sorted({index[u] for u in g.neighbors(int(t)) if u not in gone})
        if len(contacts) < 2:
            continue
        jitter = rng.random(len(contacts))
        heir = contacts[max(range(len(contacts)), key=lambda i: (degree[contacts[i]], jitter[i]))]
        successors[int(t)] = rest.vs[heir]["orig"]
        if heir not in linked:
            linked[heir] = set(rest.neighbors(heir))
        for u in contacts:
            if u != heir and rng.random() < relink_probability and u not in linked[heir]:
                linked[heir].add(u)
                linked.setdefault(u, set(rest.neighbors(u))).add(heir)
                degree[u] += 1
                degree[heir] += 1
                new_local.append((u, heir))
                new_edges.append((rest.vs[u]["orig"], rest.vs[heir]["orig"]))
    rest.es["recovered"] = [False] * rest.ecount()
    if new_local:
        rest.add_edges(new_local, attributes={"recovered": [True] * len(new_local)})
    sizes = rest.connected_components().sizes() if rest.vcount() else [0]
    eff = efficiency(rest, (), sample=efficiency_sample, seed=seed)
    return Recovery(rest, new_edges, successors, max(sizes), eff)

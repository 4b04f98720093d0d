"""Read the plain edge lists the dismantling literature publishes (``u v [w]`` per line, ``#`` comments; or CSV
with a ``source,target,...`` header, as in ../shared/data/networks).

A first comment with ``N=<count>`` fixes the vertex count and means ids are 0-based indices (isolated vertices
kept); otherwise vertex names are the ids as written (in numeric order when all are integers, else in order of first
appearance), kept in ``vs["name"]``.
"""

from __future__ import annotations

import re
from pathlib import Path

import igraph as ig

from filiere.errors import InputError


def read_edge_list(path: str | Path) -> ig.Graph:
    path = Path(path)
    declared_n: int | None = None
    pairs: list[tuple[int, str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for row, line in enumerate(fh, start=1):
            text = line.strip()
            if not text:
                continue
            if text.startswith("#"):
                found = re.search(r"\bN=(\d+)", text)
                if found and declared_n is None:
                    declared_n = int(found.group(1))
                continue
            parts = [x.strip() for x in text.split(",")] if "," in text else text.split()
            if not pairs and [x.lower() for x in parts[:2]] == ["source", "target"]:
                continue  # CSV header
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise InputError(str(path), "an edge needs two vertex ids", row=row, field="edge", value=text)
            pairs.append((row, parts[0], parts[1]))
    if declared_n is not None:
        edges = []
        for row, a, b in pairs:
            try:
                u, v = int(a), int(b)
            except ValueError as exc:
                raise InputError(
                    str(path), "ids must be integers when N= is declared", row=row, field="edge", value=f"{a} {b}"
                ) from exc
            if not (0 <= u < declared_n and 0 <= v < declared_n):
                raise InputError(str(path), f"id outside 0..{declared_n - 1}", row=row, field="edge", value=f"{a} {b}")
            edges.append((u, v))
        g = ig.Graph(n=declared_n, edges=edges)
        g.vs["name"] = [str(i) for i in range(declared_n)]
    else:
        names = list(dict.fromkeys(x for _, a, b in pairs for x in (a, b)))
        if all(re.fullmatch(r"-?\d+", x) for x in names):
            names.sort(key=int)  # numeric ids: keep their order, so ties break as in the published runs
        index = {x: i for i, x in enumerate(names)}
        g = ig.Graph(n=len(index), edges=[(index[a], index[b]) for _, a, b in pairs])
        g.vs["name"] = names
    g.simplify(multiple=True, loops=True)
    return g

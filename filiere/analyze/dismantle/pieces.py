"""What removing a single vertex does to its component, for every vertex at once (Tarjan's lowpoint DFS)."""

from __future__ import annotations

from collections.abc import Sequence


def removal_pieces(adj: Sequence[Sequence[int]]) -> list[list[int]]:
    """For each vertex v of the graph given by ``adj``, the sizes of the pieces its component falls into when v is
    removed (an articulation point gives several pieces, other vertices one piece of size |component| - 1)."""
    n = len(adj)
    disc = [-1] * n
    low = [0] * n
    subtree = [1] * n
    separated: list[list[int]] = [[] for _ in range(n)]
    pieces: list[list[int]] = [[] for _ in range(n)]
    clock = 0
    for root in range(n):
        if disc[root] != -1:
            continue
        tree = [root]
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, 0)]
        while stack:
            v, parent, i = stack[-1]
            if i < len(adj[v]):
                stack[-1] = (v, parent, i + 1)
                u = adj[v][i]
                if disc[u] == -1:
                    disc[u] = low[u] = clock
                    clock += 1
                    tree.append(u)
                    stack.append((u, v, 0))
                elif u != parent:
                    low[v] = min(low[v], disc[u])
            else:
                stack.pop()
                if parent >= 0:
                    subtree[parent] += subtree[v]
                    low[parent] = min(low[parent], low[v])
                    if low[v] >= disc[parent]:
                        separated[parent].append(subtree[v])
        size = len(tree)
        for v in tree:
            if v == root:
                pieces[v] = list(separated[v])
            else:
                rest = size - 1 - sum(separated[v])
                pieces[v] = separated[v] + ([rest] if rest > 0 else [])
    return pieces

"""The runner every attribution rule shares: one rule's SQL on a private DuckDB holding the prepared mentions and
the current clusters."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

# A label-only mention's name tokens: canonical tokens, and their consonant skeletons marked with a leading "~".
TOKENS = "list_concat(p.any_tokens, list_transform(p.any_skeletons, lambda s: '~' || s))"


def rule_edges(prepared: pa.Table, labels: np.ndarray, columns: list[str], sql: str,
               params: dict | None = None, tables: dict[str, pa.Table] | None = None) -> pa.Table:
    """Run one rule's SQL on a private DuckDB holding ``prepared`` (only ``columns``), ``clusters``
    (``unique_id`` → ``cluster``, from ``labels``) and any other ``tables``; the result as Arrow."""
    scratch = duckdb.connect()
    try:
        scratch.register("prepared", prepared.select(columns))
        scratch.register("clusters", pa.table({"unique_id": prepared.column("unique_id"),
                                                "cluster": pa.array(labels, pa.int64())}))
        for name, table in (tables or {}).items():
            scratch.register(name, table)
        return scratch.sql(sql, params=params).to_arrow_table()
    finally:
        scratch.close()


def similarity_edges(chosen: list[tuple[str, str, str | None, float]],
                     reasons: list[str] | None = None) -> pa.Table:
    """Edges of a rule that compared names in Python: (mention_l, mention_r, line or None, similarity) each, with
    ``shared_tokens`` ['similarity 0.92'] and, when given, one reason per edge (``reasons``)."""
    table = pa.table({"mention_l": pa.array([c[0] for c in chosen], pa.string()),
                      "mention_r": pa.array([c[1] for c in chosen], pa.string()),
                      "line": pa.array([c[2] for c in chosen], pa.string()),
                      "shared_tokens": pa.array([[f"similarity {c[3]:.2f}"] for c in chosen],
                                                pa.list_(pa.string()))})
    if reasons is not None:
        table = table.append_column("reasons", pa.array([[r] for r in reasons], pa.list_(pa.string())))
    return table

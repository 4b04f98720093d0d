"""A prepared-mentions table of full-name mentions without numbers, for the attribution rules' tests."""

from __future__ import annotations

import pyarrow as pa

from filiere.resolve.prepare import add_lines, add_name_features


def named_mentions(rows: list[tuple[str, str | None]], record_kind: str, **columns: pa.Array) -> pa.Table:
    """Mentions (id, full name or None) of ``record_kind``, named by a full name and carrying no number, with any
    other prepared columns given as arrays in row order (``dob_year=pa.array([...])``); name features and lines
    added as the resolve stage adds them."""
    base = pa.table({
        "unique_id": [r[0] for r in rows],
        "name_full": pa.array([r[1] for r in rows], pa.string()),
        "alias_only": [False] * len(rows),
        "phones": pa.nulls(len(rows), pa.list_(pa.string())),
        "phone": pa.nulls(len(rows), pa.string()),
        **columns,
        "record_kind": [record_kind] * len(rows),
    })
    return add_lines(add_name_features(base))

"""Fixtures for the resolve tests: small synthetic worlds inserted straight into person_mentions."""

from __future__ import annotations

import pyarrow as pa
import pytest

from filiere.resolve.synthetic import insert_mentions, synthetic_mentions
from filiere.workspace import Workspace


@pytest.fixture
def world(ws: Workspace) -> tuple[Workspace, pa.Table]:
    """A workspace holding ~200 synthetic person mentions of 80 people from two agencies, and the truth."""
    table = synthetic_mentions(80, seed=7)
    with ws.transaction():
        insert_mentions(ws.con, table)
    return ws, table


@pytest.fixture
def truth_labels():
    """A function (ws, table) -> Arrow table of (truth, predicted) per mention, after a resolve run."""
    return _truth_labels


def _truth_labels(ws: Workspace, table: pa.Table) -> pa.Table:
    ws.con.register("truth_table", table.select(["mention_id", "truth"]))
    labels = ws.con.sql("SELECT truth, person_id AS predicted FROM truth_table JOIN person_map USING (mention_id)"
                        ).to_arrow_table()
    ws.con.unregister("truth_table")
    return labels

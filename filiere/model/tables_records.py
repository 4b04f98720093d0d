"""Mention and event tables, generated from the record kinds (:mod:`filiere.model.kinds`).

These tables get no primary key or index: DuckDB's ART indexes slow bulk loads several-fold, and ids are
unique by construction (``source_id`` + row + slot; a source is never ingested twice).
"""

from __future__ import annotations

from filiere.model.kinds import KINDS, PERSON_PROPS, Kind
from filiere.model.table import C, Table
from filiere.model.types import Column

ROW_COLUMNS = (
    C("source_id", "VARCHAR", "the source file (see sources)"),
    C("source_row", "BIGINT", "1-based data row in the source file"),
)


def _prop_columns(props) -> list[Column]:
    cols: list[Column] = []
    for p in props:
        cols.extend(p.columns())
    return cols


def person_mentions_table() -> Table:
    persons_kind = KINDS["persons"]
    cols = [
        C("mention_id", "VARCHAR", "source_id:row:slot"),
        *ROW_COLUMNS,
        C("slot", "VARCHAR", "how the row names the person: person, payer, witness, traveller …"),
        C("record_kind", "VARCHAR", "kind of the row the mention comes from"),
        *_prop_columns(PERSON_PROPS),
        *_prop_columns(persons_kind.props),
    ]
    return Table(
        "person_mentions",
        "every person as a source names them, unaltered; resolution maps mentions to persons",
        tuple(cols),
        stage="ingest",
    )


EVENT_ID = Column("event_id", "VARCHAR", "source_id:row (computed from source_id and source_row when read)",
                  generated="source_id || ':' || source_row")


def kind_table(kind: Kind) -> Table:
    id_col = C("mention_id", "VARCHAR", "source_id:row") if kind.table.endswith("_mentions") else EVENT_ID
    cols = [
        id_col,
        *ROW_COLUMNS,
        *(C(f"{slot}_mention_id", "VARCHAR", f"the {slot} (see person_mentions)") for slot in kind.slots),
        *_prop_columns(kind.props),
    ]
    storage = f"{kind.table}_wide" if kind.per_source else None
    return Table(kind.table, kind.doc, tuple(cols), stage="ingest", storage=storage)


def record_tables() -> tuple[Table, ...]:
    tables = [person_mentions_table()]
    tables += [kind_table(k) for k in KINDS.values() if not k.own_person]
    return tuple(tables)


RECORD_TABLES = record_tables()

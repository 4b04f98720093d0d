"""Normalise distinct raw values in Python and hand them back to DuckDB as lookup tables.

Calls repeat the same few thousand numbers millions of times: each normaliser runs once per distinct raw
value of all the properties that share it (caller and callee share one phone lookup), and the result is
joined back in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from filiere.ingest.mapping import PropertySpec
from filiere.ingest.normalise.countries import normalise_country
from filiere.ingest.normalise.dates import parse_date
from filiere.ingest.normalise.identifiers import normalise_identifier
from filiere.ingest.normalise.money import normalise_currency, normalise_money
from filiere.ingest.normalise.names import normalise_name
from filiere.ingest.normalise.phones import normalise_phone
from filiere.ingest.normalise.plates import normalise_plate
from filiere.model.types import PropType

LIST_PARAMETERS_UP_TO = 50_000  # distinct values passed to DuckDB as list parameters; more go through Arrow
LOOKUP_TYPES = frozenset({
    PropType.NAME, PropType.PHONE, PropType.DATE, PropType.COUNTRY, PropType.MONEY, PropType.CURRENCY,
    PropType.PLATE, PropType.IDENTIFIER, PropType.CATEGORY, PropType.ENUM,
})


@dataclass(frozen=True)
class LookupKind:
    """What a lookup table holds: its value columns (name, arrow type) and the function filling them."""

    columns: tuple[tuple[str, str], ...]  # (name, SQL type)
    fill: Callable[[str], tuple]  # raw → values of columns, then error (str | None)


def lookup_kind(spec: PropertySpec, default_region: str | None) -> tuple[tuple, LookupKind]:
    """A hashable key (specs with equal keys share a table) and how to fill it."""
    ptype = spec.prop.ptype
    match ptype:
        case PropType.PHONE:
            region = spec.region or default_region

            def phone(raw: str) -> tuple:
                r = normalise_phone(raw, region)
                return r.e164, r.valid, None

            return ("phone", region), LookupKind((("value", "VARCHAR"), ("valid", "BOOLEAN")), phone)
        case PropType.DATE:
            formats = spec.formats

            def date_(raw: str) -> tuple:
                r = parse_date(raw, formats)
                return r.value, r.precision, r.placeholder if r.value else None, r.error

            return ("date", formats), LookupKind(
                (("value", "DATE"), ("precision", "VARCHAR"), ("placeholder", "BOOLEAN")), date_)
        case PropType.MONEY:
            decimal = spec.decimal

            def money(raw: str) -> tuple:
                r = normalise_money(raw, decimal)
                return r.amount, r.currency, r.error

            return ("money", decimal), LookupKind(
                (("value", "DECIMAL(18,2)"), ("currency", "VARCHAR")), money)
        case PropType.CURRENCY:
            def currency(raw: str) -> tuple:
                code = normalise_currency(raw)
                return code, None if code else "not an ISO 4217 currency code or known symbol"

            return ("currency",), LookupKind((("value", "VARCHAR"),), currency)
        case PropType.CATEGORY | PropType.ENUM:
            vocab = spec.vocab
            assert vocab is not None

            def vocabulary(raw: str) -> tuple:
                return vocab.lookup(raw)

            key = ("vocab", vocab.vocabulary, tuple(sorted(vocab.mapping.items())), vocab.default)
            return key, LookupKind((("value", "VARCHAR"),), vocabulary)
    simple: dict[PropType, Callable[[str], str | None]] = {
        PropType.NAME: normalise_name, PropType.COUNTRY: normalise_country,
        PropType.PLATE: normalise_plate, PropType.IDENTIFIER: normalise_identifier,
    }
    fn = simple[ptype]

    def plain(raw: str) -> tuple:
        return fn(raw), None

    return (ptype.value,), LookupKind((("value", "VARCHAR"),), plain)


def build_lookup(con: duckdb.DuckDBPyConnection, table: str, raw_values_sql: str, kind: LookupKind) -> int:
    """Create temp table ``table`` (raw, value columns…, error) from the distinct values of ``raw_values_sql``.

    Returns how many raw values have an error.
    """
    raws = [r[0] for r in con.execute(f"SELECT DISTINCT v FROM ({raw_values_sql}) WHERE v IS NOT NULL").fetchall()]
    results = [kind.fill(r) for r in raws]
    columns = [("raw", "VARCHAR"), *kind.columns, ("error", "VARCHAR")]
    values = [raws, *([res[i] for res in results] for i in range(len(kind.columns))), [res[-1] for res in results]]
    if len(raws) <= LIST_PARAMETERS_UP_TO:
        # plain lists as parameters: no pyarrow, whose first use costs ~0.4 s in a process
        select = ", ".join(f"unnest(?::{sql_type}[]) AS {name}" for name, sql_type in columns)
        con.execute(f"CREATE TEMP TABLE {table} AS SELECT {select}", values)
    else:
        # many values: an Arrow table is several times faster than list parameters
        view = f"{table}_arrow"
        con.register(view, pa.table({name: pa.array(v) for (name, _), v in zip(columns, values, strict=True)}))
        try:
            select = ", ".join(f"CAST({name} AS {sql_type}) AS {name}" for name, sql_type in columns)
            con.execute(f"CREATE TEMP TABLE {table} AS SELECT {select} FROM {view}")
        finally:
            con.unregister(view)
    return sum(1 for res in results if res[-1] is not None)

"""Lookup tables: the same table whether the distinct values go to DuckDB as list parameters or via Arrow."""

import datetime
import decimal

import duckdb
import pytest

from filiere.ingest import lookups
from filiere.ingest.lookups import LookupKind, build_lookup


def _fill(raw: str) -> tuple:
    amount = decimal.Decimal("1234.50") if raw == "a" else None
    day = datetime.date(2020, 1, 31) if raw == "b" else None
    return amount, day, raw == "c", "refused" if raw == "c" else None


@pytest.mark.parametrize("list_limit", [50_000, 0])
def test_lookup_table_types_and_values(list_limit, monkeypatch):
    monkeypatch.setattr(lookups, "LIST_PARAMETERS_UP_TO", list_limit)
    con = duckdb.connect()
    con.execute("CREATE TABLE v AS SELECT * FROM (VALUES ('a'), ('b'), ('c'), ('a'), (NULL)) t(v)")
    kind = LookupKind((("value", "DECIMAL(18,2)"), ("day", "DATE"), ("flag", "BOOLEAN")), _fill)
    assert build_lookup(con, "lk", "SELECT v FROM v", kind) == 1
    assert [r[:2] for r in con.execute("DESCRIBE lk").fetchall()] == [
        ("raw", "VARCHAR"), ("value", "DECIMAL(18,2)"), ("day", "DATE"), ("flag", "BOOLEAN"), ("error", "VARCHAR")]
    assert con.execute("SELECT * FROM lk ORDER BY raw").fetchall() == [
        ("a", decimal.Decimal("1234.50"), None, False, None),
        ("b", None, datetime.date(2020, 1, 31), False, None),
        ("c", None, None, True, "refused"),
    ]

"""Bad rows: by default nothing is written and the first errors name file, row, column and reason;
with --max-rejects they go to the rejects table and the rest is ingested."""

import pytest

from filiere.ingest.build import MAX_FIELD_CHARS
from filiere.ingest.loader import BadRowsError, ingest_file
from filiere.ingest.mapping import load_mapping
from ingest.ingest_helpers import CALL_PROPS, counts, write_file, write_mapping

HEADER = "appelant;appele;date_heure;duree\n"
GOOD = "0612345678;0612345679;01/03/2026 10:00:00;5\n"


def _mapping(tmp_path, props=CALL_PROPS):
    return load_mapping(write_mapping(tmp_path, "calls", props))


def test_bad_rows_stop_the_ingest_and_say_where(ws, tmp_path):
    csv = write_file(tmp_path / "appels.csv", HEADER + GOOD + "0612345678;;01/03/2026 10:00:00;5\n"
                     + GOOD + "0612345678;0612345679;32/13/2026 25:00:00;5\n" + "0612345678;0612345679;"
                     "01/03/2026 10:00:00;cinq\n")
    before = counts(ws)
    with pytest.raises(BadRowsError) as err:
        ingest_file(ws, csv, _mapping(tmp_path))
    message = str(err.value)
    assert "3 bad row(s)" in message and "nothing was ingested" in message
    assert f"{csv}, row 2, column 'appele': required callee is empty" in message
    assert f"{csv}, row 4, column 'date_heure': not a date-time in format %d/%m/%Y %H:%M:%S" in message
    assert "row 5, column 'duree': not a whole number (value 'cinq')" in message
    assert counts(ws) == before


def test_max_rejects_keeps_bad_rows_aside(ws, tmp_path):
    csv = write_file(tmp_path / "appels.csv", HEADER + GOOD + "0612345678;;01/03/2026 10:00:00;5\n" + GOOD
                     + "0612345678;0612345679;hier;5\n")
    result = ingest_file(ws, csv, _mapping(tmp_path), max_rejects=2)
    assert (result.row_count, result.rows_loaded, result.rejected) == (4, 2, 2)
    assert ws.con.execute("SELECT source_row FROM calls ORDER BY 1").fetchall() == [(1,), (3,)]
    rejects = ws.con.execute("SELECT source_id, file_name, source_row, field, value, reason FROM rejects"
                             " ORDER BY source_row").fetchall()
    assert rejects == [
        (result.source_id, "appels.csv", 2, "appele", None, "required callee is empty"),
        (result.source_id, "appels.csv", 4, "date_heure", "hier", "not a date-time in format %d/%m/%Y %H:%M:%S"),
    ]
    assert ws.con.execute("SELECT row_count, rows_loaded FROM sources").fetchone() == (4, 2)


def test_more_bad_rows_than_allowed_writes_nothing(ws, tmp_path):
    csv = write_file(tmp_path / "appels.csv", HEADER + GOOD + "x;;;\n" + ";;;\n" + GOOD)
    before = counts(ws)
    with pytest.raises(BadRowsError, match="more than --max-rejects 1"):
        ingest_file(ws, csv, _mapping(tmp_path), max_rejects=1)
    assert counts(ws) == before


def test_wrong_column_count_names_the_data_row_and_keeps_row_numbers(ws, tmp_path):
    csv = write_file(tmp_path / "appels.csv", HEADER + GOOD + "0612345678;0612345679\n" + GOOD
                     + "1;2;3;4;5;6\n" + "0612345670;0612345679;01/03/2026 10:00:00;7\n")
    with pytest.raises(BadRowsError) as err:
        ingest_file(ws, csv, _mapping(tmp_path))
    assert "row 2: wrong number of columns (too few)" in str(err.value)
    assert "row 4: wrong number of columns (too many)" in str(err.value)
    ingest_file(ws, csv, _mapping(tmp_path), max_rejects=5)
    assert ws.con.execute("SELECT source_row, duration_s FROM calls ORDER BY 1").fetchall() == [
        (1, 5), (3, 5), (5, 7)]
    assert ws.con.execute("SELECT source_row FROM rejects ORDER BY 1").fetchall() == [(2,), (4,)]


def test_absurd_field_size_is_a_bad_row(ws, tmp_path):
    huge = "x" * (MAX_FIELD_CHARS + 1)
    props = {**CALL_PROPS, "cell_id": "cellule"}
    csv = write_file(tmp_path / "appels.csv", HEADER.replace("\n", ";cellule\n") + GOOD.replace("\n", ";C1\n")
                     + GOOD.replace("\n", f";{huge}\n"))
    with pytest.raises(BadRowsError, match=r"row 2, column 'cellule': field of 10001 characters"):
        ingest_file(ws, csv, _mapping(tmp_path, props))


def test_unmapped_vocabulary_value_without_default_is_a_bad_row(ws, tmp_path):
    props = {**CALL_PROPS, "call_type": {"column": "type", "map": {"appel": "voice"}}}
    csv = write_file(tmp_path / "appels.csv", HEADER.replace("\n", ";type\n") + GOOD.replace("\n", ";appel\n")
                     + GOOD.replace("\n", ";MMS\n"))
    with pytest.raises(BadRowsError, match=r"row 2, column 'type': value not in the call_type vocabulary"):
        ingest_file(ws, csv, _mapping(tmp_path, props))
    props["call_type"]["default"] = "other"
    ingest_file(ws, csv, _mapping(tmp_path, props))
    assert ws.con.execute("SELECT call_type_raw, call_type FROM calls ORDER BY source_row").fetchall() == [
        ("appel", "voice"), ("MMS", "other")]


def test_unparseable_amount_and_birth_date_are_bad_rows(ws, tmp_path):
    csv = write_file(tmp_path / "p.csv", "montant;date;payeur;ne\n12,50;2026-03-02;A;1980\ndouze;2026-03-02;B;1980\n"
                                         "5;2026-03-02;C;31/02/1980\n")
    props = {"amount": {"column": "montant", "currency": "EUR"}, "paid_at": "date", "payer.name": "payeur",
             "payer.birth_date": "ne"}
    with pytest.raises(BadRowsError) as err:
        ingest_file(ws, csv, load_mapping(write_mapping(tmp_path, "payments", props)))
    assert "row 2, column 'montant': not an amount" in str(err.value)
    assert "row 3, column 'ne': not a valid date" in str(err.value)


def test_unmapped_columns_are_neither_staged_nor_checked(ws, tmp_path):
    huge = "x" * (MAX_FIELD_CHARS + 1)
    csv = write_file(tmp_path / "appels.csv", HEADER.replace("\n", ";imsi\n") + GOOD.replace("\n", f";{huge}\n"))
    result = ingest_file(ws, csv, _mapping(tmp_path))
    assert result.rows_loaded == 1

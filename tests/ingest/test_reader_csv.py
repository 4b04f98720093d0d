"""CSV reader: delimiters, encodings, quoting, no header."""

import pytest

from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from ingest.ingest_helpers import write_file, write_mapping

TEXT = "nom{d}tel{d}remarque\nHélène Œuvray{d}06 12 34 56 78{d}\"café, puis départ{d} « vite »\"\nJosé{d}{d}\n"
PROPS = {"name": "nom", "phone": "tel", "notes": "remarque"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"])
def test_encodings(ws, tmp_path, encoding):
    text = TEXT.format(d=";")
    if encoding == "latin-1":
        text = text.replace("Œ", "O")  # not in Latin-1
    csv = tmp_path / "p.csv"
    csv.write_bytes(text.encode(encoding))
    mapping = load_mapping(write_mapping(tmp_path, "persons", PROPS, fmt={"type": "csv", "delimiter": ";",
                                                                        "encoding": encoding}))
    ingest_file(ws, csv, mapping)
    rows = ws.con.execute("SELECT name_raw, phone, notes FROM person_mentions ORDER BY source_row").fetchall()
    expected_name = "Hélène Ouvray" if encoding == "latin-1" else "Hélène Œuvray"
    assert rows == [(expected_name, "+33612345678", "café, puis départ; « vite »"), ("José", None, None)]


@pytest.mark.parametrize("delimiter", [",", "\t", "|", ";"])
def test_delimiters_and_quoted_delimiters(ws, tmp_path, delimiter):
    csv = write_file(tmp_path / "p.csv", TEXT.format(d=delimiter))
    mapping = load_mapping(write_mapping(tmp_path, "persons", PROPS, fmt={"type": "csv", "delimiter": delimiter}))
    ingest_file(ws, csv, mapping)
    assert ws.con.execute("SELECT count(*), max(notes) FROM person_mentions").fetchone() == (
        2, f"café, puis départ{delimiter} « vite »")


def test_no_header_names_columns_col1_col2(ws, tmp_path):
    csv = write_file(tmp_path / "p.csv", "Karim;0612345678\nSamir;0612345679\n")
    mapping = load_mapping(write_mapping(tmp_path, "persons", {"name": "col1", "phone": "col2"},
                                         fmt={"type": "csv", "delimiter": ";", "header": False}))
    ingest_file(ws, csv, mapping)
    assert ws.con.execute("SELECT source_row, name_raw FROM person_mentions ORDER BY 1").fetchall() == [
        (1, "Karim"), (2, "Samir")]


def test_quoted_newline_inside_a_field(ws, tmp_path):
    csv = write_file(tmp_path / "p.csv", 'nom;remarque\nA;"ligne 1\nligne 2"\nB;x\n')
    mapping = load_mapping(write_mapping(tmp_path, "persons", {"name": "nom", "notes": "remarque"}))
    ingest_file(ws, csv, mapping)
    assert ws.con.execute("SELECT source_row, notes FROM person_mentions ORDER BY 1").fetchall() == [
        (1, "ligne 1\nligne 2"), (2, "x")]


def test_edge_spaces_trimmed_blank_and_quoted_empty_are_null_and_rows_keep_their_order(ws, tmp_path):
    text = ('nom;remarque\nA;  deux espaces devant\n"  B  ";x\nC;   \nD;""\nE;"  garde  les  espaces "\n'
            'F;fin \n')
    csv = write_file(tmp_path / "p.csv", text)
    mapping = load_mapping(write_mapping(tmp_path, "persons", {"name": "nom", "notes": "remarque"}))
    ingest_file(ws, csv, mapping)
    assert ws.con.execute("SELECT source_row, name_raw, notes FROM person_mentions ORDER BY 1").fetchall() == [
        (1, "A", "deux espaces devant"), (2, "B", "x"), (3, "C", None), (4, "D", None),
        (5, "E", "garde  les  espaces"), (6, "F", "fin")]

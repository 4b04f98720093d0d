"""Person slots and person records: mentions with slots, ids, categories, names, dates, nationalities."""

from datetime import date, datetime
from decimal import Decimal

from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from ingest.ingest_helpers import write_file, write_mapping

PAYMENTS_CSV = (
    "ref,payeur,tel_payeur,beneficiaire,statut_benef,montant,devise,date,canal\n"
    "T1,Karim HADDAD,06 12 34 56 78,Samir ABDI,mis en cause,\"1 500,00\",EUR,2026-03-02 10:00:00,Western Union\n"
    "T2,,,Samir ABDI,MIS EN CAUSE,800,€,2026-03-03 11:00:00,hawala\n"
)
PAYMENT_PROPS = {
    "payment_ref": "ref",
    "payer.name": "payeur",
    "payer.phone": "tel_payeur",
    "payee.name": "beneficiaire",
    "payee.category": {"column": "statut_benef", "map": {"mis en cause": "suspect"}},
    "amount": "montant",
    "currency": "devise",
    "paid_at": "date",
    "channel": {"column": "canal", "map": {"Western Union": "money_transfer"}},
}


def test_person_slots_become_person_mentions_linked_from_the_event(ws, tmp_path):
    csv = write_file(tmp_path / "paiements.csv", PAYMENTS_CSV)
    mapping = load_mapping(write_mapping(tmp_path, "payments", PAYMENT_PROPS, fmt={"type": "csv"}))
    result = ingest_file(ws, csv, mapping)
    sid = result.source_id
    assert result.tables == {"payments": 2, "person_mentions": 3}  # row 2 has no payer
    pays = ws.con.execute("SELECT event_id, payer_mention_id, payee_mention_id, amount, currency, channel"
                          " FROM payments ORDER BY source_row").fetchall()
    assert pays[0] == (f"{sid}:1", f"{sid}:1:payer", f"{sid}:1:payee", Decimal("1500.00"), "EUR", "money_transfer")
    assert pays[1] == (f"{sid}:2", None, f"{sid}:2:payee", Decimal("800.00"), "EUR", "hawala")
    mentions = ws.con.execute("SELECT mention_id, slot, record_kind, name_raw, name, phone, category"
                              " FROM person_mentions ORDER BY mention_id").fetchall()
    assert mentions[0] == (f"{sid}:1:payee", "payee", "payments", "Samir ABDI", "samir abdi", None, "suspect")
    assert mentions[1] == (f"{sid}:1:payer", "payer", "payments", "Karim HADDAD", "karim haddad", "+33612345678",
                           "unknown")
    assert mentions[2][0] == f"{sid}:2:payee" and mentions[2][6] == "suspect"


def test_amount_currency_from_the_mapping_when_the_file_has_none(ws, tmp_path):
    csv = write_file(tmp_path / "p.csv", "montant;date\n12,50;2026-03-02\n120 £;2026-03-02\n")
    props = {"amount": {"column": "montant", "currency": "EUR"}, "paid_at": "date"}
    ingest_file(ws, csv, load_mapping(write_mapping(tmp_path, "payments", props)))
    assert ws.con.execute("SELECT amount, currency FROM payments ORDER BY source_row").fetchall() == [
        (Decimal("12.50"), "EUR"), (Decimal("120.00"), "GBP")]


PERSONS_CSV = (
    "ref;nom_complet;ne_le;nationalite;statut;document\n"
    "P1;Mohammed Ali ABDULRAHMAN;00/00/1987;Érythrée;victime;ab 123-456\n"
    "P2;Hélène DUPONT;01/01/1990;française;mis en cause;\n"
    "P3;أحمد;03/1995;afghane;;\n"
)


def test_person_records_names_dates_and_nationalities(ws, tmp_path):
    csv = write_file(tmp_path / "personnes.csv", PERSONS_CSV)
    props = {
        "local_ref": "ref",
        "name": "nom_complet",
        "given_name": {"column": "nom_complet", "split": "caps_family"},
        "family_name": {"column": "nom_complet", "split": "caps_family"},
        "birth_date": "ne_le",
        "nationality": "nationalite",
        "category": "statut",
        "document": "document",
    }
    result = ingest_file(ws, csv, load_mapping(write_mapping(tmp_path, "persons", props)))
    rows = ws.con.execute(
        "SELECT mention_id, slot, given_name_raw, family_name_raw, family_name, birth_date, birth_date_precision,"
        " birth_date_placeholder, nationality_raw, nationality, category_raw, category, document"
        " FROM person_mentions ORDER BY source_row").fetchall()
    sid = result.source_id
    assert rows[0] == (f"{sid}:1:person", "person", "Mohammed Ali", "ABDULRAHMAN", "abdulrahman", date(1987, 1, 1),
                       "year", False, "Érythrée", "ERI", "victime", "victim", "AB123456")
    assert rows[1][5:8] == (date(1990, 1, 1), "day", True)
    assert rows[1][9] == "FRA" and rows[1][11] == "suspect"
    assert rows[2][2] == "أحمد" and rows[2][3] is None
    assert rows[2][5:7] == (date(1995, 3, 1), "month")
    assert rows[2][9] == "AFG"
    assert rows[2][10:12] == (None, "unknown")


def test_a_record_date_is_extracted_from_free_text_notes(ws, tmp_path):
    csv = write_file(tmp_path / "custody.csv", "ref;nom;notes\n"
                     "1;Omar ABDULLAH;Interviewed 20/12/2025\n"
                     "2;Karim HADDAD;no date given here\n"
                     "3;Samir ABDI;\n")
    props = {"local_ref": "ref", "name": "nom", "notes": "notes",
             "recorded_at": {"column": "notes", "extract": r"(\d{2}/\d{2}/\d{4})", "format": "%d/%m/%Y"}}
    result = ingest_file(ws, csv, load_mapping(write_mapping(tmp_path, "persons", props)))
    assert result.tables == {"person_mentions": 3}  # a note without a date is no error: the date stays empty
    rows = ws.con.execute("SELECT notes, recorded_at_raw, recorded_at FROM person_mentions ORDER BY source_row")
    assert rows.fetchall() == [("Interviewed 20/12/2025", "20/12/2025", datetime(2025, 12, 20)),
                               ("no date given here", None, None), (None, None, None)]


def test_split_given_family_and_joined_columns(ws, tmp_path):
    csv = write_file(tmp_path / "p.csv", "prenom;nom;tel\nAhmed Karim;;0612345678\n;Diallo;\n")
    props = {
        "name": {"columns": ["prenom", "nom"], "join": " "},
        "given_name": {"column": "prenom", "split": "given_family", "part": "given"},
        "family_name": {"column": "prenom", "split": "given_family", "part": "family"},
        "phone": "tel",
    }
    ingest_file(ws, csv, load_mapping(write_mapping(tmp_path, "persons", props)))
    rows = ws.con.execute("SELECT name_raw, given_name_raw, family_name_raw, phone FROM person_mentions"
                          " ORDER BY source_row").fetchall()
    assert rows == [("Ahmed Karim", "Ahmed", "Karim", "+33612345678"), ("Diallo", None, None, None)]


def test_relations_kind_from_a_csv(ws, tmp_path):
    csv = write_file(tmp_path / "liens.csv", "ref;a;b;lien;depuis\nL1;Karim HADDAD;Samir ABDI;cousin;2019\n")
    props = {"relation_ref": "ref", "person.name": "a", "associate.name": "b", "relationship": "lien",
             "relation_type": {"value": "family"}, "since": "depuis"}
    result = ingest_file(ws, csv, load_mapping(write_mapping(tmp_path, "relations", props)))
    sid = result.source_id
    assert ws.con.execute("SELECT person_mention_id, associate_mention_id, relation_type, relationship, since,"
                          " since_precision FROM relations").fetchone() == (
        f"{sid}:1:person", f"{sid}:1:associate", "family", "cousin", date(2019, 1, 1), "year")
    assert ws.con.execute("SELECT slot, name_raw FROM person_mentions ORDER BY slot").fetchall() == [
        ("associate", "Samir ABDI"), ("person", "Karim HADDAD")]

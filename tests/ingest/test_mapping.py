"""Mapping files: valid ones load; each mistake names the mapping file and the key."""

import pytest

from filiere.ingest.mapping import MappingError, load_mapping, load_mapping_text
from filiere.model.types import PropType

GOOD = """
version: 1
kind: payments
format: {type: csv, delimiter: ";", encoding: latin1}
source: {agency: FR-OCRIEST, phone_region: FR}
properties:
  amount: {column: montant, currency: eur, decimal: ","}
  paid_at: {column: date, format: ["%d/%m/%Y", "%d/%m/%Y %H:%M"]}
  payer.name: payeur
  payer.category: {column: statut, map: {"mis en cause": suspect}, default: unknown}
"""


def test_good_mapping_loads():
    m = load_mapping_text(GOOD, "m.yml")
    assert m.kind.name == "payments"
    assert (m.file_format.delimiter, m.file_format.encoding) == (";", "latin-1")
    by_key = {s.key: s for s in m.properties}
    assert by_key["amount"].currency == "EUR" and by_key["amount"].decimal == ","
    assert by_key["paid_at"].formats == ("%d/%m/%Y", "%d/%m/%Y %H:%M")
    assert by_key["payer.name"].column == "payeur" and by_key["payer.name"].slot == "payer"
    assert by_key["payer.category"].prop.ptype is PropType.CATEGORY
    assert by_key["payer.category"].vocab.lookup("Mis en cause") == ("suspect", None)


@pytest.mark.parametrize(("edit", "key", "reason"), [
    (("kind: payments", "kind: paiements"), "kind", "unknown record kind 'paiements'"),
    (("type: csv", "type: xlsx"), "format.type", "unknown format 'xlsx'"),
    (("encoding: latin1", "encoding: ebcdic"), "format.encoding", "unsupported encoding"),
    (('delimiter: ";"', 'delimiter: ";;"'), "format.delimiter", "expected one character"),
    (("payer.name: payeur", "payer.nom: payeur"), "properties.payer.nom", "'nom' is not a person property"),
    (("payer.name: payeur", "witness.name: payeur"), "properties.witness.name", "has no person slot 'witness'"),
    (("payer.name: payeur", "caller: payeur"), "properties.caller", "kind payments has no property 'caller'"),
    (("{column: montant,", "{column: montant, region: FR,"), "properties.amount.region", "only applies to phone"),
    (("suspect}", "suspected}"), "properties.payer.category.map", "not in the category vocabulary"),
    (("default: unknown", "default: chef"), "properties.payer.category.default", "'chef' is not in the category"),
    (("currency: eur", "currency: zorkmid"), "properties.amount.currency", "not an ISO 4217 currency"),
    (('["%d/%m/%Y", "%d/%m/%Y %H:%M"]', "dd/mm/yyyy"), "properties.paid_at.format", "strptime format"),
    (("  paid_at:", "  paid_on:"), "properties.paid_on", "no property 'paid_on'"),
    (("phone_region: FR", "phone_region: XX"), "source.phone_region", "not an ISO 3166 alpha-2"),
    (("payer.name: payeur", "payer.name: {column: payeur, extract: 'M\\. .*'}"), "properties.payer.name.extract",
     "has no group"),
    (("payer.name: payeur", "payer.name: {column: payeur, extract: '(unclosed'}"), "properties.payer.name.extract",
     "not a regular expression"),
    (("agency: FR-OCRIEST", "agence: FR-OCRIEST"), "source", "unknown key(s) agence"),
])
def test_errors_name_file_and_key(edit, key, reason):
    with pytest.raises(MappingError) as err:
        load_mapping_text(GOOD.replace(*edit), "fr_paiements.yml")
    assert err.value.file == "fr_paiements.yml"
    assert err.value.field == key
    assert reason in str(err.value)


def test_required_properties_must_be_mapped():
    text = GOOD.replace("  paid_at: {column: date, format: [\"%d/%m/%Y\", \"%d/%m/%Y %H:%M\"]}\n", "")
    with pytest.raises(MappingError, match="needs property paid_at"):
        load_mapping_text(text, "m.yml")


def test_one_source_of_values_per_property():
    with pytest.raises(MappingError, match="exactly one of column:, columns: or value:"):
        load_mapping_text(GOOD.replace("payer.name: payeur", "payer.name: {column: a, value: b}"), "m.yml")


def test_not_yaml_and_missing_file(tmp_path):
    with pytest.raises(MappingError, match="not valid YAML"):
        load_mapping_text("kind: [calls", "m.yml")
    with pytest.raises(MappingError, match="cannot read mapping file"):
        load_mapping(tmp_path / "absent.yml")


def test_ftm_mapping_needs_no_kind():
    m = load_mapping_text("format: {type: ftm}\nsource: {agency: UK-NCA}\n", "ftm.yml")
    assert m.kind is None and m.file_format.type == "ftm"

import pytest

from filiere.ingest.normalise.categories import VocabularyMap


def test_mapping_entries_win_and_ignore_case_and_accents():
    vm = VocabularyMap.build("category", {"Mis en cause": "suspect", "Témoin": "other"})
    assert vm.lookup("MIS EN CAUSE") == ("suspect", None)
    assert vm.lookup("temoin") == ("other", None)


def test_vocabulary_values_and_builtin_synonyms():
    vm = VocabularyMap.build("category")
    assert vm.lookup("Victim")[0] == "victim"
    assert vm.lookup("victime")[0] == "victim"
    assert vm.lookup("migrant")[0] == "victim"
    assert vm.lookup("condamné")[0] == "convicted"


def test_unmapped_value_without_default_is_an_error():
    value, error = VocabularyMap.build("category").lookup("chef de réseau")
    assert value is None and "category" in error


def test_default_applies_to_unmapped_values():
    assert VocabularyMap.build("call_type", default="other").lookup("MMS") == ("other", None)


@pytest.mark.parametrize(("raw", "value"), [("Voice", "voice"), ("SMS", "sms")])
def test_enum_vocabulary(raw, value):
    assert VocabularyMap.build("call_type").lookup(raw) == (value, None)

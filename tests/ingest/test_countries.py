import pytest

from filiere.ingest.normalise.countries import normalise_country


@pytest.mark.parametrize(("raw", "alpha3"), [
    ("ERI", "ERI"), ("ER", "ERI"), ("er", "ERI"), ("Eritrea", "ERI"), ("Érythrée", "ERI"), ("ERYTHREE", "ERI"),
    ("érythréenne", "ERI"), ("Afghanistan", "AFG"), ("afghane", "AFG"), ("Afghan", "AFG"),
    ("Soudan", "SDN"), ("Sudanese", "SDN"), ("Royaume-Uni", "GBR"), ("United Kingdom", "GBR"), ("UK", "GBR"),
    ("GB", "GBR"), ("France", "FRA"), ("française", "FRA"), ("Syrie", "SYR"), ("Iraq", "IRQ"), ("irakien", "IRQ"),
    ("Viet Nam", "VNM"), ("Vietnamese", "VNM"), ("Allemagne", "DEU"),
])
def test_codes_names_and_nationalities(raw, alpha3):
    assert normalise_country(raw) == alpha3


@pytest.mark.parametrize("raw", ["Atlantis", "", "   ", "XX1", "Kurdistan"])
def test_unknown_values_give_none(raw):
    assert normalise_country(raw) is None

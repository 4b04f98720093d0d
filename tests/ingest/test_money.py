from decimal import Decimal

import pytest

from filiere.ingest.normalise.money import normalise_currency, normalise_money


@pytest.mark.parametrize(("raw", "amount"), [
    ("1234.56", "1234.56"), ("1234,56", "1234.56"), ("1 234,56", "1234.56"), ("1.234,56", "1234.56"),
    ("1,234.56", "1234.56"), ("1.234.567", "1234567.00"), ("500", "500.00"), ("-25,5", "-25.50"),
    ("12'500.00", "12500.00"),
])
def test_decimal_and_grouping_separators(raw, amount):
    assert normalise_money(raw).amount == Decimal(amount)


def test_currency_written_in_the_amount():
    assert normalise_money("120 €") == normalise_money("€120")
    r = normalise_money("1 500,00 EUR")
    assert (r.amount, r.currency) == (Decimal("1500.00"), "EUR")
    assert normalise_money("£800").currency == "GBP"


def test_ambiguous_thousands_needs_the_mapping_decimal():
    assert normalise_money("1,500").error
    assert normalise_money("1,500", decimal=",").amount == Decimal("1.50")
    assert normalise_money("1,500", decimal=".").amount == Decimal("1500.00")


@pytest.mark.parametrize("raw", ["abc", "12 zorkmids", "1,2,3.4,5", "--5", ""])
def test_bad_amounts_are_errors(raw):
    r = normalise_money(raw)
    assert r.amount is None and r.error


def test_currencies():
    assert normalise_currency("eur") == "EUR"
    assert normalise_currency("€") == "EUR"
    assert normalise_currency("livres sterling") == "GBP"
    assert normalise_currency("USD") == "USD"
    assert normalise_currency("XYZ") is None

from filiere.ingest.normalise.phones import clean, normalise_phone


def test_national_french_number_with_spaces_and_dots():
    assert normalise_phone("06 12 34 56 78", "FR").e164 == "+33612345678"
    assert normalise_phone("06.12.34.56.78", "FR").e164 == "+33612345678"
    assert normalise_phone("06-12-34-56-78", "FR").valid


def test_international_prefixes_plus_and_double_zero():
    assert normalise_phone("+33 6 12 34 56 78", "GB").e164 == "+33612345678"
    assert normalise_phone("0033612345678", "GB").e164 == "+33612345678"
    assert normalise_phone("0044 7911 123456", "FR").e164 == "+447911123456"


def test_default_region_decides_national_numbers():
    uk = normalise_phone("07911 123456", "GB")
    assert uk.e164 == "+447911123456"
    assert normalise_phone("07911 123456", "FR").e164 != "+447911123456"


def test_international_number_written_without_prefix():
    assert normalise_phone("447911123456", "FR").e164 == "+447911123456"


def test_invalid_numbers_are_flagged_not_dropped():
    for raw in ("12", "not a number", "+33 1", ""):
        r = normalise_phone(raw, "FR")
        assert r.e164 is None
        assert r.valid is False


def test_clean_removes_separators_and_rewrites_00():
    assert clean(" 00 33 (6) 12/34.56-78 ") == "+33612345678"

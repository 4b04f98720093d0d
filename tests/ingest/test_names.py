from filiere.ingest.normalise.names import normalise_name


def test_case_punctuation_and_spaces():
    assert normalise_name("  ABDULRAHMAN,  Mohammed ") == "abdulrahman mohammed"
    assert normalise_name("Al-Amin O'Neil") == "al amin o neil"


def test_nfkc_and_casefold():
    assert normalise_name("ＫＡＲＩＭ") == "karim"  # full-width letters
    assert normalise_name("STRAßE") == "strasse"


def test_script_and_accents_are_kept():
    assert normalise_name("محمد  عبد") == "محمد عبد"
    assert normalise_name("Hélène") == "hélène"


def test_nothing_left_gives_none():
    assert normalise_name(" - . ") is None

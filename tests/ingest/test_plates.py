from filiere.ingest.normalise.plates import normalise_plate


def test_plates_keep_letters_and_digits_upper_case():
    assert normalise_plate("ab-123 cd") == "AB123CD"
    assert normalise_plate("YX19 ABC") == "YX19ABC"
    assert normalise_plate("ＡＢ１２３") == "AB123"


def test_empty_plate_gives_none():
    assert normalise_plate(" - ") is None

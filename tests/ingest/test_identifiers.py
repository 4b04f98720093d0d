from filiere.ingest.normalise.identifiers import normalise_identifier


def test_iban_and_document_numbers():
    assert normalise_identifier("fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert normalise_identifier("P-123.456") == "P123456"


def test_empty_identifier_gives_none():
    assert normalise_identifier("--") is None

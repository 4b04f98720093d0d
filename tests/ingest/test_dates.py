from datetime import date

from filiere.ingest.normalise.dates import DAY, MONTH, YEAR, parse_date


def test_iso_and_french_full_dates():
    assert parse_date("1987-03-14").value == date(1987, 3, 14)
    r = parse_date("14/03/1987")
    assert (r.value, r.precision, r.placeholder) == (date(1987, 3, 14), DAY, False)
    assert parse_date("14.03.1987").value == date(1987, 3, 14)
    assert parse_date("19870314").value == date(1987, 3, 14)


def test_partial_dates_keep_their_precision():
    assert (parse_date("1987").value, parse_date("1987").precision) == (date(1987, 1, 1), YEAR)
    assert (parse_date("03/1987").value, parse_date("03/1987").precision) == (date(1987, 3, 1), MONTH)
    assert parse_date("1987-03").precision == MONTH
    assert parse_date("00/03/1987").precision == MONTH
    assert parse_date("00/00/1987").precision == YEAR
    assert parse_date("XX/XX/1987").precision == YEAR


def test_year_only_is_not_flagged_as_placeholder():
    assert parse_date("1987").placeholder is False


def test_first_of_january_is_flagged_as_placeholder():
    assert parse_date("01/01/1990").placeholder is True
    assert parse_date("1990-01-01").placeholder is True
    assert parse_date("02/01/1990").placeholder is False


def test_mapping_format_first_and_its_precision():
    r = parse_date("03-14-1987", ("%m-%d-%Y",))
    assert (r.value, r.precision) == (date(1987, 3, 14), DAY)
    r = parse_date("mars 1987".replace("mars", "03"), ("%m %Y",))
    assert (r.value, r.precision) == (date(1987, 3, 1), MONTH)


def test_iso_timestamp_gives_its_date():
    assert parse_date("1987-03-14T10:00:00Z").value == date(1987, 3, 14)


def test_unparseable_and_impossible_dates_are_errors():
    for raw in ("hier", "31/02/1987", "14/13/1987", "1987-13"):
        r = parse_date(raw)
        assert r.value is None
        assert r.error

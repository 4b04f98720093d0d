"""File-level errors: each is clear, and nothing is written."""

from datetime import date

import pytest

from filiere.errors import InputError, UsageError
from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping
from filiere.ingest.source import SourceOptions
from ingest.ingest_helpers import CALL_PROPS, CALLS_CSV, SOURCE, counts, write_mapping


def _run(ws, tmp_path, content: bytes | str, fmt=None, props=CALL_PROPS, source=None, **kw):
    path = tmp_path / "export.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    mapping = load_mapping(write_mapping(tmp_path, "calls", props, fmt=fmt, source=source))
    return ingest_file(ws, path, mapping, **kw)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n"])
def test_empty_file(ws, tmp_path, content):
    before = counts(ws)
    with pytest.raises(InputError, match="the file is empty"):
        _run(ws, tmp_path, content)
    assert counts(ws) == before


def test_header_only_file_is_refused(ws, tmp_path):
    before = counts(ws)
    with pytest.raises(InputError, match="header but no data rows"):
        _run(ws, tmp_path, "appelant;appele;date_heure;duree\n")
    assert counts(ws) == before


def test_wrong_delimiter_lists_the_columns_found(ws, tmp_path):
    with pytest.raises(InputError) as err:
        _run(ws, tmp_path, CALLS_CSV, fmt={"type": "csv", "delimiter": ","})
    message = str(err.value)
    assert "mapped column(s) 'appelant', 'appele', 'date_heure', 'duree' not found" in message
    assert "'appelant;appele;date_heure;duree'" in message and "is the delimiter ',' right?" in message


def test_missing_mapped_column(ws, tmp_path):
    props = {**CALL_PROPS, "cell_id": "cellule"}
    with pytest.raises(InputError, match=r"mapped column\(s\) 'cellule' not found in the file; its columns are: "
                                         r"'appelant', 'appele', 'date_heure', 'duree'"):
        _run(ws, tmp_path, CALLS_CSV, props=props)


def test_undecodable_bytes_give_offset_and_line(ws, tmp_path):
    content = CALLS_CSV.encode("utf-8") + b"0612345678;0612345679;01/03/2026 10:00:00;5\n" \
        + b"0612345678;06\xe912345679;01/03/2026 10:00:00;5\n"
    offset = content.index(b"\xe9")
    before = counts(ws)
    with pytest.raises(InputError, match=rf"byte {offset} \(line 6\) is not valid utf-8"):
        _run(ws, tmp_path, content)
    assert counts(ws) == before


def test_undecodable_cp1252_bytes(ws, tmp_path):
    content = b"appelant;appele;date_heure;duree\n0612345678;0612345679;01/03/2026 10:00:00;\x81\n"
    offset = content.index(b"\x81")
    with pytest.raises(InputError, match=rf"byte {offset} \(line 2\) is not valid cp1252"):
        _run(ws, tmp_path, content, fmt={"type": "csv", "delimiter": ";", "encoding": "cp1252"})


def test_missing_file(ws, tmp_path):
    mapping = load_mapping(write_mapping(tmp_path, "calls", CALL_PROPS))
    with pytest.raises(InputError, match="no such file"):
        ingest_file(ws, tmp_path / "absent.csv", mapping)


def test_missing_agency_or_grading_is_a_usage_error(ws, tmp_path):
    source = {k: v for k, v in SOURCE.items() if k not in ("agency", "grading")}
    with pytest.raises(UsageError, match=r"--agency .*--scheme .*--handling"):
        _run(ws, tmp_path, CALLS_CSV, source=source)
    opts = SourceOptions(agency="UK-NCA", scheme="uk3x5x2", source_grade="1", info_grade="A", handling="C",
                         releasable_to=("FR-OCRIEST",))
    result = _run(ws, tmp_path, CALLS_CSV, source=source, opts=opts)
    row = ws.con.execute("SELECT agency, grading_scheme, source_grade, information_grade, handling_code,"
                         " partner_visibility, releasable_to FROM sources WHERE source_id = ?",
                         [result.source_id]).fetchone()
    assert row == ("UK-NCA", "uk3x5x2", "1", "A", "C", "releasable", ["FR-OCRIEST"])


def test_command_line_overrides_mapping_defaults(ws, tmp_path):
    opts = SourceOptions(handling="H2", nature="assessment", case_ref="OP-2")
    result = _run(ws, tmp_path, CALLS_CSV, opts=opts)
    row = ws.con.execute("SELECT agency, handling_code, partner_visibility, nature, case_ref FROM sources"
                         " WHERE source_id = ?", [result.source_id]).fetchone()
    assert row == ("FR-OCRIEST", "H2", "owner_only", "assessment", "OP-2")


@pytest.mark.parametrize(("override", "message"), [
    ({"source": "Z"}, "source grade 'Z' is not valid in scheme eu4x4"),
    ({"handling": "H9"}, "handling grade 'H9' is not valid"),
    ({"scheme": "nato"}, "unknown grading scheme 'nato'"),
])
def test_bad_grading_codes(ws, tmp_path, override, message):
    source = {**SOURCE, "grading": {**SOURCE["grading"], **override}}
    before = counts(ws)
    with pytest.raises(UsageError, match=message):
        _run(ws, tmp_path, CALLS_CSV, source=source)
    assert counts(ws) == before


def test_past_review_date_needs_a_reason(ws, tmp_path):
    source = {**SOURCE, "collected_on": "2015-01-01", "review_on": "2016-01-01"}
    source.pop("retention_days")
    with pytest.raises(UsageError, match="review date 2016-01-01 is already past"):
        _run(ws, tmp_path, CALLS_CSV, source=source)
    result = _run(ws, tmp_path, CALLS_CSV, source=source, reason="judge's order 2026/17: re-examined")
    assert result.rows_loaded == 3
    why, details = ws.con.execute("SELECT why, details FROM processing_log WHERE action = 'collection'").fetchone()
    assert why == "judge's order 2026/17: re-examined" and '"past_review": true' in details


def test_review_date_is_required(ws, tmp_path):
    source = {k: v for k, v in SOURCE.items() if k != "retention_days"}
    with pytest.raises(UsageError, match="needs a review date"):
        _run(ws, tmp_path, CALLS_CSV, source=source)
    result = _run(ws, tmp_path, CALLS_CSV, source=source, opts=SourceOptions(review_on=date(2030, 1, 1)))
    assert ws.con.execute("SELECT review_on FROM sources WHERE source_id = ?",
                          [result.source_id]).fetchone()[0] == date(2030, 1, 1)

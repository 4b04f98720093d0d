"""The ingest verbs through the CLI: exit codes 0/1/2 and what they print."""

from datetime import date, timedelta

from typer.testing import CliRunner

from filiere.cli import app
from filiere.workspace import Workspace
from ingest.ingest_helpers import CALL_PROPS, CALLS_CSV, SOURCE, write_file, write_mapping

runner = CliRunner()


def _setup(tmp_path, source=None):
    ws_dir = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws_dir)]).exit_code == 0
    csv = write_file(tmp_path / "appels.csv", CALLS_CSV)
    mapping = write_mapping(tmp_path, "calls", CALL_PROPS, source=source)
    return ws_dir, csv, mapping


def flat(text: str) -> str:
    return " ".join(text.split())


def _row_count(ws_dir, table):
    with Workspace.open(ws_dir, read_only=True) as ws:
        return ws.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_ingest_then_again(tmp_path):
    ws_dir, csv, mapping = _setup(tmp_path)
    first = runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping)])
    assert first.exit_code == 0, first.output
    assert "3 of 3 rows ingested" in flat(first.output)
    second = runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping)])
    assert second.exit_code == 0 and "already ingested" in flat(second.output)
    assert _row_count(ws_dir, "calls") == 3 and _row_count(ws_dir, "sources") == 1


def test_bad_rows_exit_1_and_max_rejects(tmp_path):
    ws_dir, _, mapping = _setup(tmp_path)
    csv = write_file(tmp_path / "bad.csv", CALLS_CSV + "0612345678;;01/03/2026 10:00:00;5\n")
    bad = runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping)])
    assert bad.exit_code == 1
    assert "row 4" in flat(bad.output) and "appele" in flat(bad.output)
    assert _row_count(ws_dir, "calls") == 0
    ok = runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping), "--max-rejects", "1"])
    assert ok.exit_code == 0 and "1 bad rows in rejects" in flat(ok.output)
    assert _row_count(ws_dir, "rejects") == 1


def test_missing_agency_is_usage_error_and_cli_fills_it(tmp_path):
    source = {k: v for k, v in SOURCE.items() if k != "agency"}
    ws_dir, csv, mapping = _setup(tmp_path, source=source)
    res = runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping)])
    assert res.exit_code == 2 and "--agency" in res.output
    res = runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping), "--agency", "UK-NCA",
                              "--collected-on", "2026-02-01", "--review-on", "2027-02-01"])
    assert res.exit_code == 0, res.output
    with Workspace.open(ws_dir, read_only=True) as ws:
        assert ws.con.execute("SELECT agency, collected_on, review_on FROM sources").fetchone() == (
            "UK-NCA", date(2026, 2, 1), date(2027, 2, 1))


def test_bad_mapping_exit_1_names_the_key(tmp_path):
    ws_dir, csv, _ = _setup(tmp_path)
    mapping = write_mapping(tmp_path, "calls", {**CALL_PROPS, "callee": {"column": "appele", "format": "%d"}})
    res = runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping)])
    assert res.exit_code == 1 and "properties.callee.format" in flat(res.output)


def test_review_exit_code_for_cron(tmp_path):
    ws_dir, csv, mapping = _setup(tmp_path)
    runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping), "--review-on",
                        (date.today() + timedelta(days=5)).isoformat()])
    assert runner.invoke(app, ["review", str(ws_dir)]).exit_code == 0
    soon = runner.invoke(app, ["review", str(ws_dir), "--within", "30"])
    assert soon.exit_code == 0 and "0 source(s) due or overdue, 1 due within 30 days" in flat(soon.output)
    late = runner.invoke(app, ["review", str(ws_dir), "--on", (date.today() + timedelta(days=6)).isoformat()])
    assert late.exit_code == 1 and "1 source(s) due or overdue" in flat(late.output)


def test_erase_then_reingest_refused(tmp_path):
    ws_dir, csv, mapping = _setup(tmp_path)
    runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping)])
    with Workspace.open(ws_dir, read_only=True) as ws:
        sid = ws.con.execute("SELECT source_id FROM sources").fetchone()[0]
    assert runner.invoke(app, ["erase", str(ws_dir), "--source", sid]).exit_code == 2  # --reason is required
    res = runner.invoke(app, ["erase", str(ws_dir), "--source", sid, "--reason", "end of retention"])
    assert res.exit_code == 0 and "calls 3" in flat(res.output)
    assert _row_count(ws_dir, "calls") == 0
    again = runner.invoke(app, ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping)])
    assert again.exit_code == 1 and "erased" in flat(again.output)


def test_kinds_lists_properties_and_vocabularies():
    res = runner.invoke(app, ["kinds", "payments"])
    assert res.exit_code == 0
    assert "payer.<person property>" in res.output or "person slots: payer, payee" in res.output
    assert "hawala" in res.output and "money" in res.output
    assert runner.invoke(app, ["kinds", "nope"]).exit_code == 2
    everything = runner.invoke(app, ["kinds"])
    assert all(k in everything.output for k in ("calls", "statements", "crossings", "persons"))


def test_every_verb_has_help():
    for verb in ("ingest", "review", "erase", "kinds"):
        res = runner.invoke(app, [verb, "--help"])
        assert res.exit_code == 0 and "Usage" in res.output


def test_status_points_at_sources_past_review(tmp_path):
    ws_dir, csv, mapping = _setup(tmp_path)
    args = ["ingest", str(ws_dir), str(csv), "--mapping", str(mapping), "--collected-on", "2015-01-01",
            "--review-on", "2016-01-01"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "already past" in flat(refused.output)
    assert runner.invoke(app, [*args, "--reason", "court order 17/2026"]).exit_code == 0
    status = runner.invoke(app, ["status", str(ws_dir)])
    assert status.exit_code == 0 and "1 source(s) past their review date" in flat(status.output)


def test_quiet_prints_nothing_on_success(tmp_path):
    ws_dir, csv, mapping = _setup(tmp_path)
    res = runner.invoke(app, ["-q", "ingest", str(ws_dir), str(csv), "--mapping", str(mapping)])
    assert res.exit_code == 0 and res.output == ""
    assert _row_count(ws_dir, "calls") == 3

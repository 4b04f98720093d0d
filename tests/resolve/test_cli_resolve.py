"""The resolve verbs end to end: resolve, entities, explain, judge, evaluate."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from filiere.cli import app
from filiere.resolve.explain import explain, format_text
from filiere.resolve.phones import SwapParams
from filiere.resolve.splink_model import DEFAULT_THRESHOLD

runner = CliRunner()


def _answer_key(table, directory: Path) -> Path:
    directory.mkdir()
    with (directory / "mentions.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "row", "slot", "person_id"])
        for src, row, slot, truth in zip(*(table.column(c).to_pylist() for c in
                                           ("source_id", "source_row", "slot", "truth")), strict=True):
            w.writerow([f"{src}.csv", row, slot, truth])
    return directory


def test_resolve_entities_explain_judge_evaluate(world, tmp_path: Path) -> None:
    ws, table = world
    path = ws.path
    ws.close()  # the CLI opens the workspace itself

    res = runner.invoke(app, ["resolve", str(path), "--reason", "test", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["mentions"] == table.num_rows
    # the verb runs the stage with the stage's own defaults (the swap threshold once drifted apart)
    con = duckdb.connect(str(path / "filiere.duckdb"), read_only=True)
    params = json.loads(con.execute("SELECT params FROM stage_runs WHERE stage = 'resolve'").fetchall()[-1][0])
    con.close()
    assert params["swap"] == SwapParams().as_dict() and params["threshold"] == DEFAULT_THRESHOLD

    res = runner.invoke(app, ["entities", str(path), "persons", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert len(rows) == table.num_rows
    assert {"file", "row", "slot", "mention_id", "person_id"} <= set(rows[0])
    assert rows[0]["file"].endswith(".csv") and int(rows[0]["row"]) >= 1

    by_person: dict[str, list[str]] = {}
    for r in rows:
        by_person.setdefault(r["person_id"], []).append(r["mention_id"])
    merged = next(p for p, ms in by_person.items() if len(ms) > 1)
    res = runner.invoke(app, ["explain", str(path), merged])
    assert res.exit_code == 0, res.output
    assert merged in res.output and "evidence:" in res.output
    assert "name" in res.output and "birth_date" in res.output and "weight" in res.output
    for mention in by_person[merged]:
        assert mention in res.output

    res = runner.invoke(app, ["explain", str(path), merged, "--json"])
    detail = json.loads(res.output)
    assert detail["evidence"] and detail["evidence"][0]["features"]["name"]["level"]

    a, b = by_person[merged][:2]
    res = runner.invoke(app, ["judge", str(path), a, b, "--different", "--reason", "different fathers"])
    assert res.exit_code == 0, res.output
    jid = res.output.split("recorded ")[1].split(":")[0]
    assert runner.invoke(app, ["resolve", str(path)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["entities", str(path), "persons"]).output)))
    person_of = {r["mention_id"]: r["person_id"] for r in rows}
    assert person_of[a] != person_of[b]
    res = runner.invoke(app, ["judge", str(path), "--revoke", jid, "--reason", "mistake"])
    assert res.exit_code == 0, res.output

    key = _answer_key(table, tmp_path / "key")
    res = runner.invoke(app, ["evaluate", str(path), "--answer-key", str(key), "--json"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.output)
    assert scores["matched_mentions"] == table.num_rows
    assert 0.5 < scores["pairwise_f1"] <= 1.0 and 0.5 < scores["bcubed_f1"] <= 1.0


def test_cli_errors_have_exit_codes(world, tmp_path: Path) -> None:
    ws, _ = world
    path = ws.path
    ws.close()
    assert runner.invoke(app, ["judge", str(path), "x", "y", "--same", "--different", "--reason", "r"]).exit_code == 2
    assert runner.invoke(app, ["judge", str(path), "x:1:person", "y:1:person", "--same", "--reason", "r"]
                         ).exit_code == 1
    assert runner.invoke(app, ["entities", str(path), "boats"]).exit_code == 2
    assert runner.invoke(app, ["explain", str(path), "P-nobody"]).exit_code == 1
    assert runner.invoke(app, ["evaluate", str(path), "--answer-key", str(tmp_path / "none")]).exit_code == 1
    assert runner.invoke(app, ["resolve", str(path), "--threshold", "1.5"]).exit_code == 2
    for verb in ("resolve", "explain", "judge", "entities", "evaluate"):
        assert runner.invoke(app, [verb, "--help"]).exit_code == 0


def test_explain_text_names_the_levels_that_agreed(world) -> None:
    from filiere.resolve.stage import resolve

    ws, _ = world
    resolve(ws)
    pid = ws.con.execute("SELECT person_id FROM persons WHERE n_mentions > 1 ORDER BY person_id LIMIT 1"
                         ).fetchall()[0][0]
    ex = explain(ws, pid)
    assert len(ex.mentions) > 1 and ex.evidence
    text = format_text(ex)
    first = ex.evidence[0]["features"]
    assert first["name"]["level"] in text
    assert first["birth_date"]["level"] in text


def test_resolve_passes_the_swap_options_to_the_stage(world) -> None:
    ws, _ = world
    path = ws.path
    ws.close()
    res = runner.invoke(app, ["resolve", str(path), "--swap-country-change", "--swap-threshold", "0.05",
                              "--swap-matching", "greedy", "--json"])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(path / "filiere.duckdb"), read_only=True)
    params = json.loads(con.execute("SELECT params FROM stage_runs WHERE stage = 'resolve'").fetchall()[-1][0])
    con.close()
    assert params["swap"]["country_change"] is True and params["swap"]["merge_threshold"] == 0.05
    assert params["swap"]["matching"] == "greedy"


def test_resolve_refuses_an_unknown_swap_matching(world) -> None:
    ws, _ = world
    path = ws.path
    ws.close()
    res = runner.invoke(app, ["resolve", str(path), "--swap-matching", "best"])
    assert res.exit_code != 0 and "best" in res.output and "optimal" in res.output

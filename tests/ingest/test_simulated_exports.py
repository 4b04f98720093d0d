"""Integration: every export the simulator writes ingests with its own mapping file, and the malformed rows it
plants (listed in its answer key) are exactly the rows ingest refuses."""

import csv
from pathlib import Path

import pytest

from filiere.ingest.loader import ingest_file
from filiere.ingest.mapping import load_mapping

simulate = pytest.importorskip("filiere.simulate.run")
config = pytest.importorskip("filiere.simulate.config")


@pytest.mark.slow
def test_simulated_exports_ingest_and_bad_rows_match_the_answer_key(ws, tmp_path):
    out = tmp_path / "sim"
    simulate.simulate(out, config.make_options("small", 11, dirty=True))
    key = out / "answer_key"
    with (key / "files.csv").open() as fh:
        files = list(csv.DictReader(fh))
    with (key / "dirty_rows.csv").open() as fh:
        planted = {(r["file"], int(r["row"])) for r in csv.DictReader(fh)}
    assert files and planted
    for f in files:
        folder = out / f["agency"]
        result = ingest_file(ws, folder / f["file"], load_mapping(folder / f["mapping"]),
                             max_rejects=int(f["dirty_rows"]))
        assert (result.row_count, result.rows_loaded) == (int(f["rows"]), int(f["clean_rows"])), f["file"]
    refused = {(Path(name).name, int(row)) for name, row in
               ws.con.execute("SELECT DISTINCT file_name, source_row FROM rejects").fetchall()}
    assert refused == planted

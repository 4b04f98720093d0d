"""End to end: the demo pipeline on a small generated world (what `make demo` runs before serving)."""

from __future__ import annotations

from pathlib import Path

import pytest

from filiere import audit
from filiere.demo import run_demo
from filiere.errors import UsageError
from filiere.workspace import Workspace


@pytest.fixture(scope="module")
def demo_result(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("demo")
    return run_demo(root, size="small", seed=7, say=lambda _m: None)


@pytest.mark.slow
def test_demo_runs_every_stage_and_keeps_the_law(demo_result) -> None:
    files_written = list(demo_result.world.glob("*/*.yml"))
    assert demo_result.files_ingested == len(files_written) > 10
    assert demo_result.persons > 0 and demo_result.networks > 0
    with Workspace.open(demo_result.workspace, read_only=True) as ws:
        con = ws.con
        victims_in_networks = con.execute(
            "SELECT count(*) FROM network_members m JOIN persons p USING (person_id) WHERE p.category = 'victim'"
        ).fetchone()[0]
        assert victims_in_networks == 0
        agencies = {r[0] for r in con.execute("SELECT DISTINCT agency FROM sources").fetchall()}
        users = {r[0]: r[1] for r in con.execute("SELECT username, agency FROM users").fetchall()}
        actions = {r[0] for r in con.execute("SELECT DISTINCT action FROM processing_log").fetchall()}
        assert audit.verify(ws).ok
    assert agencies <= set(users.values())
    assert {"collection", "combination"} <= actions


def test_demo_refuses_a_non_empty_directory_without_fresh(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    with pytest.raises(UsageError, match="--fresh"):
        run_demo(tmp_path, say=lambda _m: None)

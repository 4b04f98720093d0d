"""The web verbs: user add/list, serve --help."""

from __future__ import annotations

from typer.testing import CliRunner

from filiere.cli import app
from filiere.web.auth.passwords import verify_password
from filiere.web.users import get_user
from filiere.workspace import Workspace

runner = CliRunner()


def test_user_add_with_password_on_stdin_and_list(tmp_path):
    path = tmp_path / "ws"
    Workspace.create(path).close()
    r = runner.invoke(app, ["user", "add", str(path), "alice", "--agency", "FR-OCRIEST", "--role", "analyst",
                            "--password-stdin"], input="a long enough password\n")
    assert r.exit_code == 0, r.output
    with Workspace.open(path) as ws:
        user = get_user(ws.con, "alice")
        assert user.agency == "FR-OCRIEST" and user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "a long enough password")
        logged = ws.con.execute("SELECT count(*) FROM processing_log WHERE what = 'user alice created'").fetchone()
        assert logged[0] == 1
    listed = runner.invoke(app, ["user", "list", str(path)])
    assert listed.exit_code == 0 and "alice" in listed.output and "FR-OCRIEST" in listed.output


def test_user_add_generates_a_password(tmp_path):
    path = tmp_path / "ws"
    Workspace.create(path).close()
    r = runner.invoke(app, ["user", "add", str(path), "bob", "--agency", "UK-NCA", "--role", "auditor"])
    assert r.exit_code == 0, r.output
    password = r.output.split("password:")[1].strip()
    with Workspace.open(path) as ws:
        assert verify_password(get_user(ws.con, "bob").password_hash, password)


def test_user_add_refuses_bad_role_and_duplicates(tmp_path):
    path = tmp_path / "ws"
    Workspace.create(path).close()
    bad = runner.invoke(app, ["user", "add", str(path), "eve", "--agency", "FR-X", "--role", "root"])
    assert bad.exit_code == 2 and "role" in bad.output
    ok = ["user", "add", str(path), "eve", "--agency", "FR-X", "--role", "analyst"]
    assert runner.invoke(app, ok).exit_code == 0
    assert runner.invoke(app, ok).exit_code == 2


def test_serve_help():
    r = runner.invoke(app, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.output

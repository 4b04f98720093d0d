"""Verbs of the web workbench: serve a workspace, manage its users."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from filiere.cli.common import console, handle_errors, say
from filiere.errors import UsageError
from filiere.workspace import Workspace

user_app = typer.Typer(help="Users of the web workbench (one agency and one role each).", no_args_is_help=True)


@handle_errors
def serve(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on (put TLS in front for anything but localhost)."),
    port: int = typer.Option(8000, help="Port."),
    insecure_cookies: bool = typer.Option(False, "--insecure-cookies",
                                          help="Send the session cookie over plain HTTP (testing on a LAN only)."),
) -> None:
    """Serve the analyst workbench over one workspace."""
    import uvicorn

    from filiere.web import create_app

    app = create_app(workspace, secure_cookies=not insecure_cookies, warm_up=True)
    say(f"workbench for [bold]{workspace}[/bold] at http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", workers=1, timeout_keep_alive=30)


@user_app.command("add")
@handle_errors
def user_add(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    username: str = typer.Argument(..., help="User name (lower case)."),
    agency: str = typer.Option(..., "--agency", help="The user's agency, e.g. FR-OCRIEST."),
    role: str = typer.Option(..., "--role", help="analyst, supervisor, auditor or admin."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
) -> None:
    """Add a user; without --password-stdin a password is generated and printed once."""
    from filiere.web.auth.passwords import generate_password
    from filiere.web.users import add_user

    generated = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise UsageError("no password on standard input")
    else:
        password = generated = generate_password()
    with Workspace.open(workspace) as ws:
        user = add_user(ws, username, agency, role, password)
    say(f"added [bold]{user.username}[/bold] ({user.role}, {user.agency})")
    if generated:
        console.print(f"password: {generated}", highlight=False)


@user_app.command("list")
@handle_errors
def user_list(workspace: Path = typer.Argument(..., help="Workspace directory.")) -> None:
    """List the users of a workspace."""
    from filiere.web.users import list_users

    with Workspace.open(workspace, read_only=True) as ws:
        rows = list_users(ws.con)
    tab = Table()
    for col in ("user", "agency", "role", "created", "disabled"):
        tab.add_column(col)
    for r in rows:
        tab.add_row(r["username"], r["agency"], r["role"], r["created_at"] or "", "yes" if r["disabled"] else "")
    console.print(tab)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(user_app, name="user")

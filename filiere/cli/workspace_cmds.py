"""Verbs on the workspace itself: init, status, audit."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from filiere import audit
from filiere.cli.common import console, handle_errors, say
from filiere.model.schema import SCHEMA_VERSION
from filiere.model.vocab import LogAction
from filiere.workspace import Workspace

audit_app = typer.Typer(help="Read and verify the processing log (LED art. 25).", no_args_is_help=True)


@handle_errors
def init(
    workspace: Path = typer.Argument(..., help="Directory of the new workspace (one investigation)."),
    reason: str = typer.Option(None, "--reason", help="Case reference and purpose, for the log."),
) -> None:
    """Create a new, empty workspace."""
    ws = Workspace.create(workspace)
    with ws, ws.transaction():
        audit.append(ws, LogAction.ADMINISTRATION, f"workspace created at {workspace}", reason,
                     details={"schema_version": SCHEMA_VERSION})
    say(f"created workspace [bold]{workspace}[/bold] (schema version {SCHEMA_VERSION})")


@handle_errors
def status(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Sources, row counts per table, rejects and schema version."""
    with Workspace.open(workspace, read_only=True) as ws:
        counts = ws.table_counts()
        sources = ws.con.execute(
            "SELECT source_id, file_name, record_kind, agency, grading_scheme, source_grade, information_grade,"
            " handling_code, nature, rows_loaded, status, CAST(review_on AS VARCHAR) FROM sources"
            " ORDER BY ingested_at"
        ).fetchall()
        rejects = counts.get("rejects", 0)
        version = ws.schema_version()
    if as_json:
        keys = ("source_id", "file_name", "record_kind", "agency", "grading_scheme", "source_grade",
                "information_grade", "handling_code", "nature", "rows_loaded", "status", "review_on")
        console.print_json(json.dumps({
            "schema_version": version,
            "sources": [dict(zip(keys, s, strict=True)) for s in sources],
            "tables": counts,
            "rejects": rejects,
        }))
        return
    say(f"workspace [bold]{workspace}[/bold] — schema version {version}")
    src = Table(title=f"sources ({len(sources)})")
    for col in ("id", "file", "kind", "agency", "grading", "nature", "rows", "status", "review on"):
        src.add_column(col)
    for s in sources:
        grading = f"{s[4]} {s[5]}{s[6]} {s[7]}"
        src.add_row(s[0], s[1], s[2], s[3], grading, s[8], f"{s[9]:,}", s[10], s[11] or "")
    console.print(src)
    tab = Table(title="rows per table")
    tab.add_column("table")
    tab.add_column("rows", justify="right")
    for name, n in counts.items():
        if n:
            tab.add_row(name, f"{n:,}")
    console.print(tab)
    say(f"rejects: {rejects:,}")
    due = sum(1 for s in sources if s[10] == "active" and s[11] and s[11] <= date.today().isoformat())
    if due:
        say(f"[red]{due} source(s) past their review date[/red] — see 'filiere review {workspace}'")


@audit_app.command("verify")
@handle_errors
def audit_verify(workspace: Path = typer.Argument(..., help="Workspace directory.")) -> None:
    """Check the processing log's hash chain end to end; exit 1 if any entry was edited, removed or moved."""
    with Workspace.open(workspace, read_only=True) as ws:
        result = audit.verify(ws)
    if result.ok:
        say(f"[green]log intact[/green]: {result.entries} entries, chain verified")
        return
    for p in result.problems:
        console.print(f"[red]✗[/red] {p}")
    raise typer.Exit(1)


@audit_app.command("log")
@handle_errors
def audit_log(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    action: str = typer.Option(None, help="Only this action (collection, consultation, …)."),
    actor: str = typer.Option(None, help="Only this actor."),
    limit: int = typer.Option(50, help="Most recent N entries."),
) -> None:
    """Show the processing log, newest first."""
    where, params = [], []
    if action:
        where.append("action = ?")
        params.append(action)
    if actor:
        where.append("actor = ?")
        params.append(actor)
    sql = ("SELECT seq, CAST(logged_at AS VARCHAR), actor, action, what, why, to_whom FROM processing_log"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq DESC LIMIT ?")
    with Workspace.open(workspace, read_only=True) as ws:
        rows = ws.con.execute(sql, [*params, limit]).fetchall()
    tab = Table()
    for col in ("seq", "when", "who", "action", "what", "why", "to whom"):
        tab.add_column(col)
    for r in rows:
        tab.add_row(*[str(v) if v is not None else "" for v in r])
    console.print(tab)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("status")(status)
    app.add_typer(audit_app, name="audit")

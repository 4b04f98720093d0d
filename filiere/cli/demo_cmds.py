"""`filiere demo`: the whole pipeline on a generated scenario, then the workbench."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from filiere.cli.common import console, handle_errors, say


@handle_errors
def demo(
    directory: Path = typer.Argument(Path("demo"), help="Where to put the generated world and the workspace."),
    size: str = typer.Option("small", help="World size: small (seconds), medium, large."),
    seed: int = typer.Option(7, help="Random seed of the world."),
    fresh: bool = typer.Option(False, "--fresh", help="Rebuild the demo if the directory is not empty."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the workbench at the end."),
    host: str = typer.Option("127.0.0.1", help="Address for the workbench."),
    port: int = typer.Option(8000, help="Port for the workbench."),
) -> None:
    """Simulate a world, ingest its exports, resolve, analyze, and serve the result."""
    from filiere.demo import run_demo

    result = run_demo(directory, size=size, seed=seed, fresh=fresh, say=say)
    say(f"ingested {result.files_ingested} files ({result.rows_ingested:,} rows); "
        f"{result.persons:,} resolved persons; {result.networks} candidate networks")
    from filiere.workspace import Workspace

    with Workspace.open(result.workspace, read_only=True) as ws:
        top = ws.con.execute(
            "SELECT network_id, round(score, 3), n_members, explanation FROM networks ORDER BY rank LIMIT 5"
        ).fetchall()
    tab = Table(title="top candidate networks (advice to an analyst, not a finding)")
    for col in ("network", "score", "members", "why"):
        tab.add_column(col)
    for row in top:
        tab.add_row(str(row[0]), str(row[1]), str(row[2]), str(row[3] or "")[:90])
    console.print(tab)
    logins = Table(title="demo logins (generated data only)")
    for col in ("user", "agency", "role", "password"):
        logins.add_column(col)
    for u in result.users:
        logins.add_row(*u)
    console.print(logins)
    if not serve:
        return
    import uvicorn

    from filiere.web import create_app

    app = create_app(result.workspace, secure_cookies=False, warm_up=True)
    console.print(f"workbench: [bold]http://{host}:{port}/[/bold]  (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", workers=1)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)

"""Verbs of the ingest stage: ingest, review, erase, kinds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from filiere.cli.common import console, debug, handle_errors, progress, say
from filiere.errors import FiliereError, UsageError
from filiere.workspace import Workspace


def _date_option(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: expected a date YYYY-MM-DD, got {value!r}") from None


@handle_errors
def ingest(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    file: Path = typer.Argument(..., help="The agency export (csv, parquet, jsonl or FtM entity stream)."),
    mapping: Path = typer.Option(..., "--mapping", "-m", help="Mapping file (YAML, see docs/mappings.md)."),
    agency: str = typer.Option(None, help="Owning agency (overrides source.agency)."),
    scheme: str = typer.Option(None, help="Grading scheme: eu4x4, uk3x5x2 or legacy5x5x5."),
    source_grade: str = typer.Option(None, "--source-grade", help="Source evaluation code as written."),
    info_grade: str = typer.Option(None, "--info-grade", help="Information/intelligence assessment code."),
    handling: str = typer.Option(None, help="Handling code (H0–H3, P/C, 1–5)."),
    nature: str = typer.Option(None, help="fact or assessment (LED art. 7)."),
    legal_basis: str = typer.Option(None, "--legal-basis", help="Legal basis for holding the data."),
    case_ref: str = typer.Option(None, "--case-ref", help="Case reference."),
    collected_on: str = typer.Option(None, "--collected-on", help="Collection date YYYY-MM-DD (default today)."),
    review_on: str = typer.Option(None, "--review-on", help="Retention review date YYYY-MM-DD."),
    releasable_to: str = typer.Option(None, "--releasable-to", help="Comma-separated agencies (handling terms)."),
    reason: str = typer.Option(None, "--reason", help="Why it is ingested (logged); needed past the review date."),
    max_rejects: int = typer.Option(None, "--max-rejects", help="Send up to N bad rows to rejects, ingest the rest."),
) -> None:
    """Ingest one file in one transaction: a sources row, the kind's rows, and a processing-log entry."""
    from filiere.ingest.loader import ingest_file
    from filiere.ingest.mapping import load_mapping
    from filiere.ingest.source import SourceOptions

    loaded = load_mapping(mapping)
    opts = SourceOptions(
        agency=agency, scheme=scheme, source_grade=source_grade, info_grade=info_grade, handling=handling,
        nature=nature, legal_basis=legal_basis, case_ref=case_ref,
        collected_on=_date_option(collected_on, "--collected-on"),
        review_on=_date_option(review_on, "--review-on"),
        releasable_to=None if releasable_to is None else tuple(a.strip() for a in releasable_to.split(",")
                                                                if a.strip()),
    )
    with Workspace.open(workspace) as ws, progress(f"ingest {file.name}") as advance:
        result = ingest_file(ws, file, loaded, opts, reason=reason, max_rejects=max_rejects,
                             progress=lambda n, total: advance(n, total))
    if result.already and result.status == "erased":
        raise FiliereError(f"{file} has the content of source {result.source_id}, which was erased; "
                           "erased data is not ingested again")
    if result.already:
        say(f"{file} was already ingested as source [bold]{result.source_id}[/bold] "
            f"(status {result.status}); nothing added")
        return
    debug("phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items()))
    tables = ", ".join(f"{t} {n:,}" for t, n in sorted(result.tables.items()))
    say(f"source [bold]{result.source_id}[/bold]: {result.rows_loaded:,} of {result.row_count:,} rows ingested "
        f"({tables})" + (f"; {result.rejected:,} bad rows in rejects" if result.rejected else ""))


@handle_errors
def review(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    within: int = typer.Option(0, "--within", help="Also list sources due within this many days."),
    on: str = typer.Option(None, "--on", help="Review as of this date YYYY-MM-DD (default today)."),
) -> None:
    """List sources whose retention review date has come; exit 1 if any is due (for cron alerts)."""
    from filiere.ingest.retention import due_for_review

    today = _date_option(on, "--on") or date.today()
    with Workspace.open(workspace, read_only=True) as ws:
        due = due_for_review(ws, today, within)
    overdue = [d for d in due if d.overdue]
    if not due:
        say(f"no source is due for review (as of {today}" + (f", within {within} days)" if within else ")"))
        return
    tab = Table(title=f"sources due for review as of {today}")
    for col in ("source", "file", "agency", "case", "review on", "state"):
        tab.add_column(col)
    for d in due:
        state = f"[red]overdue by {d.days_over} days[/red]" if d.overdue else f"due in {-d.days_over} days"
        if d.overdue and d.days_over == 0:
            state = "[red]due today[/red]"
        tab.add_row(d.source_id, d.file_name, d.agency, d.case_ref or "", str(d.review_on), state)
    console.print(tab)
    say(f"{len(overdue)} source(s) due or overdue, {len(due) - len(overdue)} due within {within} days")
    if overdue:
        raise typer.Exit(1)


@handle_errors
def erase(
    workspace: Path = typer.Argument(..., help="Workspace directory."),
    source: str = typer.Option(..., "--source", help="Source id (see 'filiere status')."),
    reason: str = typer.Option(..., "--reason", help="Why it is erased (logged)."),
) -> None:
    """Erase a source's rows from every table, mark derived results stale, and log it — one transaction."""
    from filiere.ingest.retention import erase_source

    if not reason.strip():
        raise UsageError("--reason must say why the source is erased")
    with Workspace.open(workspace) as ws:
        result = erase_source(ws, source, reason)
    removed = ", ".join(f"{t} {n:,}" for t, n in sorted(result.removed.items()) if n) or "no rows"
    say(f"source [bold]{source}[/bold] erased: {removed}; {result.stale_runs} later stage run(s) marked stale")


def kinds(kind: str = typer.Argument(None, help="One kind to describe (default: all).")) -> None:
    """Record kinds a mapping can name, with their properties, types and vocabularies."""
    from filiere.ingest.describe import describe_kinds

    try:
        console.print(describe_kinds(kind), highlight=False, markup=False)
    except KeyError as exc:
        console.print(f"[bold red]error:[/bold red] {exc.args[0]}")
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("review")(review)
    app.command("erase")(erase)
    app.command("kinds")(kinds)




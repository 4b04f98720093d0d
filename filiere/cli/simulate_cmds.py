"""Verb ``simulate``: write a synthetic smuggling world as several agencies' exports, with its answer key."""

from __future__ import annotations

from pathlib import Path

import typer

from filiere.cli.common import handle_errors, progress, say
from filiere.errors import UsageError
from filiere.simulate.config import make_options
from filiere.simulate.run import simulate as run_simulation


@handle_errors
def simulate(
    out: Path = typer.Argument(..., help="Output folder (one sub-folder per agency, and answer_key/)."),
    size: str = typer.Option(None, "--size", help="small (seconds) | medium (~1M calls) | large (~10M calls); "
                                                 "default small, or chosen from --calls."),
    seed: int = typer.Option(7, "--seed", help="Random seed: the same seed and size give identical files."),
    calls: int = typer.Option(None, "--calls", help="Number of call events to generate (streams to disk)."),
    dirty: bool = typer.Option(False, "--dirty", help="Add deliberately malformed rows (listed in the key)."),
    agencies: str = typer.Option(None, "--agencies", help="Comma-separated subset of fr,uk,be (default all)."),
    networks: int = typer.Option(None, "--networks", help="Number of smuggling networks (default by size)."),
    force: bool = typer.Option(False, "--force", help="Write into OUT even if it is not empty."),
) -> None:
    """Simulate a smuggling world and write each agency's exports, mapping files and the answer key."""
    options = make_options(size, seed, calls=calls, agencies=agencies, dirty=dirty, networks=networks)
    if out.exists() and any(out.iterdir()) and not force:
        raise UsageError(f"{out} is not empty; choose another folder or pass --force")
    with progress("calls", total=options.size.calls) as advance:
        summary = run_simulation(out, options, progress=advance)
    say(f"simulated [bold]{options.size.name}[/bold] world (seed {seed}): {summary.persons:,} persons, "
        f"{summary.networks} networks, {summary.phones:,} numbers, {summary.calls_generated:,} calls")
    for f in summary.files:
        extra = f" ({f['dirty']} malformed)" if f["dirty"] else ""
        say(f"  {f['agency']}/{f['file']}: {f['rows']:,} rows{extra}")
    say(f"answer key in {out / 'answer_key'}")


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)

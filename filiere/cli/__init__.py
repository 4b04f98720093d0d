"""The ``filiere`` command: one Typer app; each verb is a thin call into a stage.

Exit codes: 0 success, 1 the operation failed (bad data, workspace problem), 2 wrong usage.
Each verb group lives in its own module below and registers itself with :func:`register`.
"""

from __future__ import annotations

import importlib

import typer

from filiere import __version__
from filiere.cli.common import state

app = typer.Typer(
    name="filiere",
    help="Map and dismantle migrant-smuggling networks from several agencies' exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Modules that add verbs; each has a ``register(app)`` function.
COMMAND_MODULES = (
    "filiere.cli.workspace_cmds",
    "filiere.cli.ingest_cmds",
    "filiere.cli.simulate_cmds",
    "filiere.cli.resolve_cmds",
    "filiere.cli.analyze_cmds",
    "filiere.cli.web_cmds",
    "filiere.cli.demo_cmds",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"filiere {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors and requested output."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Extra detail on stderr."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    state.quiet = quiet
    state.verbose = verbose


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()

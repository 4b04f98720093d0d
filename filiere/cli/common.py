"""Shared CLI plumbing: consoles, verbosity, progress bars, error-to-exit-code mapping."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from filiere.errors import FiliereError

console = Console()
err_console = Console(stderr=True)


class _State:
    quiet = False
    verbose = False


state = _State()

F = TypeVar("F", bound=Callable[..., Any])


def say(message: str) -> None:
    """Normal output (silenced by --quiet)."""
    if not state.quiet:
        console.print(message)


def debug(message: str) -> None:
    if state.verbose:
        err_console.print(f"[dim]{message}[/dim]")


def fail(message: str, code: int = 1) -> None:
    err_console.print(f"[bold red]error:[/bold red] {message}", highlight=False)
    raise typer.Exit(code)


def handle_errors(func: F) -> F:
    """Turn FiliereError (and workspace errors) into a clear message and the right exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from filiere.workspace import WorkspaceError

        try:
            return func(*args, **kwargs)
        except FiliereError as exc:
            fail(str(exc), exc.exit_code)
        except WorkspaceError as exc:
            fail(str(exc), 1)
        except KeyboardInterrupt:
            fail("interrupted; nothing was committed by the interrupted step", 130)

    return wrapper  # type: ignore[return-value]


class RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text("", style="progress.data.speed")
        return Text(f"{speed:,.0f} rows/s", style="progress.data.speed")


@contextmanager
def progress(description: str, total: int | None = None):
    """A progress bar with rows/s; yields ``advance(n)``. Hidden with --quiet or when not a terminal."""
    disable = state.quiet or not sys.stderr.isatty()
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=disable,
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1, total: int | None = None) -> None:
            if total is not None:
                bar.update(task, total=total)
            bar.advance(task, n)

        yield advance

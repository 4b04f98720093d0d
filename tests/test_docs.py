"""Documentation that must follow the code: every CLI verb is shown in the README, every verb has help, every path
the docs name exists."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from filiere.cli import app

REPO = Path(__file__).resolve().parents[1]


def _verbs() -> dict[str, object]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_verb_is_shown_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    shown = set(re.findall(r"^filiere ([a-z-]+)", readme, flags=re.M)) | {"demo"}
    missing = sorted(set(_verbs()) - shown - {"kinds", "status", "entities", "network", "export-graph"})
    assert not missing, f"README does not show: {missing}"


def test_every_verb_has_help_text() -> None:
    for name, cmd in _verbs().items():
        assert (cmd.help or "").strip(), f"filiere {name} has no help text"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert first_block.strip().splitlines()[0].startswith("make demo")
    assert "make test" in first_block


def test_every_path_named_in_the_docs_exists() -> None:
    """The README's "Where things live" table and the docs name only files and folders the repo has."""
    missing: list[str] = []
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        named = set(re.findall(r"`((?:filiere|bench|docs|tests)/[A-Za-z0-9_./-]*)`", doc.read_text()))
        if doc.name == "README.md":
            assert "filiere/resolve/" in named  # the pattern reads the table
        missing += [f"{doc.name}: {p}" for p in sorted(named) if not (REPO / p).exists()]
    assert not missing, f"paths named in the docs that do not exist: {missing}"

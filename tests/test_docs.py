"""Documentation that must follow the code: every CLI verb is shown in the README, every verb has help."""

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

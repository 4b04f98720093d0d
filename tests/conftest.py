"""Shared fixtures. Real public data lives in ../shared/data (never copied into the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

from filiere.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def ws(tmp_path: Path):
    w = Workspace.create(tmp_path / "ws")
    yield w
    w.close()


def shared_data(*parts: str) -> Path:
    """Path into ../shared/data; skips the test when the shared data is not laid beside the repo."""
    p = SHARED_DATA.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"shared data not available: {p}")
    return p

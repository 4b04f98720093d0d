"""Fixtures of the web tests: the two-agency world and its users (built once, copied per test), an app and
signed-in clients."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from filiere.web import create_app
from filiere.web.auth.ratelimit import LoginLimiter
from filiere.web.users import add_user
from filiere.workspace import Workspace
from web.world import BE, FR, UK, World, build_world

PASSWORD = "correct horse battery"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # test users only
USERS = {
    "alice": (FR, "analyst"),
    "sam": (FR, "supervisor"),
    "bob": (UK, "analyst"),
    "carol": (BE, "analyst"),
    "audrey": (FR, "auditor"),
    "adam": (FR, "admin"),
}
CASE = {"case_ref": "OP-CHANNEL-2026/014", "purpose": "identify the organisers of the March crossings"}
JUSTIFICATION = f"{CASE['case_ref']}: {CASE['purpose']}"


def build_world_workspace(path: Path) -> None:
    """A closed workspace at ``path`` holding the test world and the users above."""
    with Workspace.create(path) as ws:
        build_world(ws)
        for name, (agency, role) in USERS.items():
            add_user(ws, name, agency, role, PASSWORD, actor="test", hasher=FAST_HASHER)


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("world") / "ws"
    build_world_workspace(path)
    return path


@pytest.fixture
def wws(world_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A fresh copy of the world workspace for one test."""
    path = tmp_path / "ws"
    shutil.copytree(world_template, path)
    ws = Workspace.open(path)
    yield ws
    ws.close()


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def app(wws: Workspace):
    return create_app(wws.path, workspace=wws, secret_key="test-secret", login_limiter=LoginLimiter(5, 300))


def sign_in(app, username: str, *, case: bool = True) -> TestClient:
    client = TestClient(app, base_url="https://testserver")
    body = {"username": username, "password": PASSWORD, **(CASE if case else {})}
    r = client.post("/api/login", json=body)
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf"]
    return client


@pytest.fixture
def client_for(app) -> Iterator[Callable[..., TestClient]]:
    made: list[TestClient] = []

    def make(username: str, case: bool = True) -> TestClient:
        c = sign_in(app, username, case=case)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()

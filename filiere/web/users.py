"""Users of the workbench: one agency and one role each; passwords stored as argon2id hashes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
from argon2 import PasswordHasher

from filiere import audit
from filiere.access import ROLES, Viewer
from filiere.errors import UsageError
from filiere.model.vocab import LogAction
from filiere.web.auth.passwords import hash_password
from filiere.workspace import Workspace

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
AGENCY_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,39}$")


@dataclass(frozen=True)
class User:
    username: str
    agency: str
    role: str
    password_hash: str
    disabled: bool = False

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.username, self.agency, self.role)


def add_user(ws: Workspace, username: str, agency: str, role: str, password: str, actor: str | None = None,
             hasher: PasswordHasher | None = None) -> User:
    """Create a user (and log it); raises UsageError on a bad name, agency, role or duplicate."""
    if not USERNAME_RE.match(username):
        raise UsageError(f"user name {username!r}: use 2-40 lower-case letters, digits, '.', '_' or '-'")
    if not AGENCY_RE.match(agency):
        raise UsageError(f"agency {agency!r}: use upper-case letters, digits, '-' or '_' (e.g. FR-OCRIEST)")
    if role not in ROLES:
        raise UsageError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise UsageError("password too short: at least 10 characters")
    if get_user(ws.con, username) is not None:
        raise UsageError(f"user {username!r} already exists")
    user = User(username, agency, role, hash_password(password, hasher))
    with ws.transaction() as con:
        con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, false)",
                    [username, agency, role, user.password_hash, datetime.now(UTC).replace(tzinfo=None)])
        audit.append(ws, LogAction.ADMINISTRATION, f"user {username} created", None, actor=actor,
                     details={"username": username, "agency": agency, "role": role})
    return user


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    row = con.execute("SELECT username, agency, role, password_hash, coalesce(disabled, false) FROM users"
                      " WHERE username = ?", [username]).fetchone()
    return User(*row) if row else None


def list_users(con: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = con.execute("SELECT username, agency, role, CAST(created_at AS VARCHAR), coalesce(disabled, false)"
                       " FROM users ORDER BY agency, username").fetchall()
    return [dict(zip(("username", "agency", "role", "created_at", "disabled"), r, strict=True)) for r in rows]

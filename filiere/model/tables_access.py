"""Users of the web workbench (passwords hashed with argon2)."""

from __future__ import annotations

from filiere.model.table import C, Table

USERS = Table(
    "users",
    "analysts, supervisors, auditors and admins; each belongs to one agency",
    (
        C("username", "VARCHAR", ""),
        C("agency", "VARCHAR", ""),
        C("role", "VARCHAR", "analyst, supervisor, auditor, admin"),
        C("password_hash", "VARCHAR", "argon2id"),
        C("created_at", "TIMESTAMP", ""),
        C("disabled", "BOOLEAN", ""),
    ),
    primary_key=("username",),
    stage="web",
)

ACCESS_TABLES = (USERS,)

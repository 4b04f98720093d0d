"""Password hashing with argon2id (argon2-cffi)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password")


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    """argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile) unless a hasher is given (tests use
    cheaper parameters; verification reads the parameters from the hash itself)."""
    return (hasher or _HASHER).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(15)

"""Sessions in signed cookies (itsdangerous): who is logged in, the case justification, the CSRF token."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "filiere_session"
MAX_AGE_S = 8 * 3600  # a working day


@dataclass(frozen=True)
class Justification:
    case_ref: str
    purpose: str

    def text(self) -> str:
        return f"{self.case_ref}: {self.purpose}"


@dataclass(frozen=True)
class Session:
    username: str
    csrf: str
    case_ref: str | None = None
    purpose: str | None = None

    @property
    def justification(self) -> Justification | None:
        if self.case_ref and self.purpose:
            return Justification(self.case_ref, self.purpose)
        return None

    def with_justification(self, j: Justification) -> Session:
        return Session(self.username, self.csrf, j.case_ref, j.purpose)


def new_session(username: str, justification: Justification | None) -> Session:
    return Session(username, secrets.token_urlsafe(24), justification.case_ref if justification else None,
                   justification.purpose if justification else None)


class SessionCodec:
    def __init__(self, secret_key: str) -> None:
        self._s = URLSafeTimedSerializer(secret_key, salt="filiere-session")

    def dumps(self, session: Session) -> str:
        return self._s.dumps(asdict(session))

    def loads(self, token: str | None) -> Session | None:
        if not token:
            return None
        try:
            data = self._s.loads(token, max_age=MAX_AGE_S)
            return Session(**data)
        except (BadSignature, TypeError):
            return None

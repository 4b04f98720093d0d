"""Reading the processing log (auditors: all of it; supervisors: their agency's entries)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from filiere.access import Scoped


def entries(db: Scoped, *, agency: str | None = None, actor: str | None = None, action: str | None = None,
            text: str | None = None, since: datetime | None = None, until: datetime | None = None,
            limit: int = 200) -> list[dict[str, Any]]:
    where, params = ["TRUE"], {"limit": limit}
    for col, val in (("agency", agency), ("actor", actor), ("action", action)):
        if val:
            where.append(f"{col} = ${col}")
            params[col] = val
    if text:
        where.append("(what ILIKE $text OR why ILIKE $text OR details ILIKE $text)")
        params["text"] = f"%{text}%"
    if since:
        where.append("logged_at >= $since")
        params["since"] = since
    if until:
        where.append("logged_at <= $until")
        params["until"] = until
    return db.rows(
        f"""SELECT seq, CAST(logged_at AS VARCHAR) AS logged_at, actor, agency, action, what, why, to_whom, details
            FROM processing_log WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT $limit""",
        params, public=True,
    )

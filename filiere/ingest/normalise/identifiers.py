"""Identifiers (documents, accounts, IMEIs): upper-case letters and digits only.

"fr76 3000 6000 0112 3456 7890 189" → "FR7630006000011234567890189"; "P-123.456" → "P123456".
"""

from __future__ import annotations

import unicodedata


def normalise_identifier(raw: str) -> str | None:
    s = unicodedata.normalize("NFKC", raw).upper()
    s = "".join(ch for ch in s if ch.isalnum())
    return s or None

"""Registration plates: upper-case letters and digits only ("ab-123 cd" → "AB123CD")."""

from __future__ import annotations

import unicodedata


def normalise_plate(raw: str) -> str | None:
    s = unicodedata.normalize("NFKC", raw).upper()
    s = "".join(ch for ch in s if ch.isalnum())
    return s or None

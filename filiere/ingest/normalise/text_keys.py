"""Comparison keys for short labels: accents stripped, case folded, spaces collapsed."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """'  Mis en CAUSE ' → 'mis en cause'; 'Érythrée' → 'erythree'."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def fold_alnum(value: str) -> str:
    """Like :func:`fold`, with every non-alphanumeric character removed: "Royaume-Uni" → 'royaumeuni'."""
    return "".join(ch for ch in fold(value) if ch.isalnum())

"""Which script a token is written in, and its Latin form (Arabic script by rules, others by ICU)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.text import ascii_text

from filiere.resolve.names.arabic import arabic_to_latin, is_arabic

_NOT_LATIN_LETTER = re.compile(r"[^a-z0-9]+")


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters and digits only (accents stripped, punctuation dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if not stripped.isascii():
        stripped = ascii_text(stripped).lower()
    return _NOT_LATIN_LETTER.sub("", stripped)


@lru_cache(maxsize=500_000)
def latinise(token: str, arabic_rules: bool = True) -> str:
    """The Latin, lower-case, letters-only form of one token in any script."""
    if arabic_rules and is_arabic(token):
        return arabic_to_latin(token)
    return fold_latin(token)

"""Person names: kept as written, plus a normalised form for matching.

Normalised: Unicode NFKC, case folded, punctuation and symbols replaced by spaces, spaces collapsed.  The
script is kept (no transliteration: "محمد" stays Arabic); accents are kept too — resolution decides how
to compare them.
"""

from __future__ import annotations

import unicodedata


def normalise_name(raw: str) -> str | None:
    s = unicodedata.normalize("NFKC", raw).casefold()
    s = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in s)
    s = " ".join(s.split())
    return s or None

"""Name search in any spelling or script.

Two keyings are indexed side by side: the canonical tokens of :mod:`filiere.resolve.names`
(``name_keys(name).sorted_key``, when that module is installed) and a fallback: transliterate to ASCII
(normality), drop hyphens and apostrophes, take the metaphone of each token. "Mohammed AL-HASSAN",
"Muhammad Alhasan" and "محمد الحسن" all give ``ALHSN MHMT``. Candidates are ranked with
``name_similarity`` (resolver) or Jaro-Winkler over the fallback keys.

The index maps key tokens to the distinct names written in ``person_mentions``. It only narrows which
written names to look for: results are always read back through the access rule (:mod:`.search`).
"""

from __future__ import annotations

import contextlib
import importlib
import re
import threading
from collections import defaultdict
from collections.abc import Callable

import duckdb
import jellyfish
from normality import ascii_text

# The name a mention is shown under (over ``person_mentions m``): as written, else given + family, else the alias.
DISPLAY_NAME = ("coalesce(m.name_raw, nullif(trim(concat_ws(' ', m.given_name_raw, m.family_name_raw)), ''),"
                " m.alias_raw)")
# The written names a search matches (over ``person_mentions``).
NAME_EXPRS = (
    "name_raw",
    "alias_raw",
    "nullif(trim(concat_ws(' ', given_name_raw, family_name_raw)), '')",
)
_JOINERS = re.compile(r"[-'’`.]")
_SPLIT = re.compile(r"[^a-z0-9]+")


def _resolve_names() -> object | None:
    try:
        return importlib.import_module("filiere.resolve.names")
    except ImportError:
        return None


def fallback_tokens(name: str) -> list[str]:
    text = _JOINERS.sub("", (ascii_text(name) or "").lower())
    return sorted({jellyfish.metaphone(t) or t for t in _SPLIT.split(text) if t})


def key_tokens(name: str) -> list[str]:
    """Prefixed tokens of two keyings: ``r:`` the resolver's canonical tokens (when installed), ``f:`` the
    fallback's metaphones. A name matches a query when it has every token of either keying of the query."""
    tokens = [f"f:{t}" for t in fallback_tokens(name)]
    mod = _resolve_names()
    if mod is not None and hasattr(mod, "name_keys"):
        with contextlib.suppress(Exception):  # a name the resolver's keyer refuses: the fallback keys serve
            tokens += [f"r:{t}" for t in str(mod.name_keys(name).sorted_key).split() if t]
    return tokens


def similarity(a: str, b: str) -> float:
    mod = _resolve_names()
    if mod is not None and hasattr(mod, "name_similarity"):
        try:
            return float(mod.name_similarity(a, b))
        except Exception:
            pass
    fa, fb = " ".join(fallback_tokens(a)), " ".join(fallback_tokens(b))
    return jellyfish.jaro_winkler_similarity(fa, fb)


class NameIndex:
    """Inverted index key token → written names, built on first use (or by ``warm_up`` at server start)."""

    def __init__(self, keyer: Callable[[str], list[str]] = key_tokens) -> None:
        self._keyer = keyer
        self._by_token: dict[str, set[str]] = {}
        self._folded: dict[str, str] = {}
        self._built_for = -1
        self._lock = threading.Lock()

    def _refresh(self, con: duckdb.DuckDBPyConnection) -> None:
        """Build once: while the server holds the workspace no stage can add mentions (one writer process)."""
        if self._built_for >= 0:
            return
        with self._lock:
            if self._built_for >= 0:
                return
            self._build(con)

    def _build(self, con: duckdb.DuckDBPyConnection) -> None:
        count = con.execute("SELECT count(*) FROM person_mentions").fetchone()[0]
        union = " UNION ".join(f"SELECT {e} AS n FROM person_mentions WHERE {e} IS NOT NULL" for e in NAME_EXPRS)
        names = [r[0] for r in con.execute(union).fetchall()]
        index: dict[str, set[str]] = defaultdict(set)
        folded: dict[str, str] = {}
        for n in names:
            folded[n] = " ".join(fallback_tokens(n))
            for t in self._keyer(n):
                index[t].add(n)
        self._by_token, self._folded, self._built_for = dict(index), folded, count

    def rank(self, query: str, names: list[str], keep: int = 100) -> dict[str, float]:
        """Similarity of the query to each name: a cheap Jaro-Winkler over the fallback keys for all of them,
        the full name similarity for the ``keep`` best."""
        q = " ".join(fallback_tokens(query))
        folded = self._folded
        cheap = {n: jellyfish.jaro_winkler_similarity(q, folded.get(n) or " ".join(fallback_tokens(n)))
                 for n in names}
        best = sorted(cheap, key=lambda n: (-cheap[n], n))[:keep]
        # the refined scores stay above every unrefined one, so the order of the best names is the fine one
        return {**{n: cheap[n] - 1.0 for n in cheap}, **{n: similarity(query, n) for n in best}}

    def candidates(self, con: duckdb.DuckDBPyConnection, query: str, limit: int = 60) -> list[str]:
        """Written names whose key tokens include every key token of the query, most similar first: a cheap
        Jaro-Winkler over the fallback keys keeps ``2 * limit``, the name similarity orders those."""
        self._refresh(con)
        by_token, folded = self._by_token, self._folded  # an immutable snapshot: no lock needed to read it
        tokens = self._keyer(query)
        found: set[str] = set()
        for prefix in {t.split(":", 1)[0] for t in tokens}:
            sets = [by_token.get(t, set()) for t in tokens if t.startswith(prefix + ":")]
            found |= set.intersection(*sets)
        q = " ".join(fallback_tokens(query))
        cheap = sorted(found, key=lambda n: (-jellyfish.jaro_winkler_similarity(q, folded.get(n, "")), n))
        ranked = sorted(cheap[: 2 * limit], key=lambda n: (-similarity(query, n), n))
        return ranked[:limit]

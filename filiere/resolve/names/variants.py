"""Variant-group canonical forms of name tokens.

A token reaches a cluster of lexicon.py either directly (its Latin form is listed) or through the Wikidata-based
person-name groups shipped inside the installed `rigour` package: the token and each listed form are looked up
in rigour's name tagger, and the token joins the cluster with which it shares the most group ids (counting only
groups that hold the cluster's canonical form or two of its forms, and only if the consonant skeletons are at
least 60% alike). This is how Arabic-script forms (محمد) and unlisted spellings (Muhamed) reach "muhammad".
Tokens in no cluster keep their Latin form.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from jellyfish import levenshtein_distance
from rigour.names import NameTypeTag, SymbolCategory, analyze_names

from filiere.resolve.names.lexicon import VARIANT_LINES
from filiere.resolve.names.skeleton import skeleton


@lru_cache(maxsize=500_000)
def rigour_group_ids(token: str) -> frozenset[str]:
    """Ids of the rigour person-name groups that contain this single token (any script)."""
    if not token:
        return frozenset()
    ids: set[str] = set()
    for name in analyze_names(NameTypeTag.PER, [token], phonetics=False, numerics=False, consolidate=False):
        for span in name.spans:
            if span.symbol.category == SymbolCategory.NAME and len(span.parts) == 1:
                ids.add(span.symbol.id)
    return frozenset(ids)


@dataclass(frozen=True)
class VariantIndex:
    """The lexicon clusters and the rigour group ids each one covers."""

    heads: tuple[str, ...]  # canonical form per cluster
    cluster_of_form: dict[str, int]  # listed Latin form → cluster
    clusters_of_group: dict[str, tuple[int, ...]]  # rigour group id → clusters holding it


@cache
def variant_index() -> VariantIndex:
    """Built on first use (a few milliseconds per lexicon form), then shared."""
    heads: list[str] = []
    cluster_of_form: dict[str, int] = {}
    groups: dict[str, list[int]] = {}
    for line in VARIANT_LINES:
        forms = list(dict.fromkeys(line.split()))
        cluster = len(heads)
        heads.append(forms[0])
        counts: Counter[str] = Counter()
        for form in forms:
            cluster_of_form.setdefault(form, cluster)
            counts.update(rigour_group_ids(form))
        # a group speaks for the cluster if it holds the canonical form or two of its forms: a short variant
        # such as "jaan" may sit in unrelated groups
        head_groups = rigour_group_ids(forms[0])
        for gid, count in counts.items():
            if count >= 2 or gid in head_groups:
                groups.setdefault(gid, []).append(cluster)
    return VariantIndex(tuple(heads), cluster_of_form, {g: tuple(c) for g, c in groups.items()})


@lru_cache(maxsize=500_000)
def variant_cluster(raw: str, latin: str) -> int | None:
    """The lexicon cluster of a token given in its original script (raw) and Latin form, or None."""
    index = variant_index()
    if latin in index.cluster_of_form:
        return index.cluster_of_form[latin]
    gids = rigour_group_ids(raw.casefold()) | (rigour_group_ids(latin) if latin != raw else frozenset())
    votes: Counter[int] = Counter()
    for gid in gids:
        for cluster in index.clusters_of_group.get(gid, ()):
            votes[cluster] += 1
    # a group link must also look alike: the consonant skeletons at least 60% the same
    plausible = {c: v for c, v in votes.items() if _alike(latin, index.heads[c])}
    if not plausible:
        return None
    best = max(plausible.values())
    return min(c for c, v in plausible.items() if v == best)


def _alike(latin: str, head: str) -> bool:
    a, b = skeleton(latin), skeleton(head)
    longest = max(len(a), len(b))
    return bool(longest) and levenshtein_distance(a, b) <= 0.4 * longest


def cluster_head(cluster: int) -> str:
    """Canonical form of a cluster."""
    return variant_index().heads[cluster]

"""Similarity of two names in 0..1: canonical tokens aligned regardless of order, each pair scored by variant
group, skeleton, phonetic key and Jaro-Winkler; extra tokens on the longer side cost a little, a mismatched
pair costs a lot, and tokens matched in a shuffled order (not the same order nor a rotation such as
surname-first) cost a little (Ahmad bin Hasan ≠ Hasan bin Ahmad)."""

from __future__ import annotations

import itertools

from jellyfish import jaro_winkler_similarity, levenshtein_distance

from filiere.resolve.names.config import DEFAULT_CONFIG, NameConfig
from filiere.resolve.names.keys import NameKeys, TokenKey, name_keys

SKELETON_MATCH = 0.92  # same consonant skeleton, different spelling (Mouhamed / Muhammad)
PHONETIC_MATCH = 0.9  # same phonetic key (Qaddafi / Gaddafi)
INITIAL_MATCH = 0.9  # "J" against "Joachim"
KNOWN_DIFFERENT_CAP = 0.5  # two different known names (Ahmad / Hamid) never score above this
EXTRA_TOKEN_COST = 0.04  # per token present on one side only (a dropped middle name)
SINGLE_TOKEN_COST = 0.05  # a one-token name against a longer one: one shared token is weak evidence
ORDER_COST = 0.05  # matched tokens in a shuffled order


def _levenshtein_similarity(a: str, b: str) -> float:
    longest = max(len(a), len(b))
    return 1.0 - levenshtein_distance(a, b) / longest if longest else 0.0


def token_similarity(a: TokenKey, b: TokenKey, config: NameConfig = DEFAULT_CONFIG) -> float:
    """Similarity of two canonical tokens in 0..1."""
    if a.canon == b.canon:
        return 1.0
    if config.initials and (len(a.canon) == 1 or len(b.canon) == 1):
        return INITIAL_MATCH if a.canon[0] == b.canon[0] else 0.0
    score = (jaro_winkler_similarity(a.canon, b.canon) + _levenshtein_similarity(a.canon, b.canon)) / 2
    if a.from_arabic or b.from_arabic:  # short vowels unwritten: compare consonants, then close consonants
        consonants = max(
            _levenshtein_similarity(a.skeleton, b.skeleton),
            _levenshtein_similarity(a.alt_skeleton, b.alt_skeleton),
            0.95 * _levenshtein_similarity(a.phonetic, b.phonetic),
        )
        score = max(score, 0.9 * consonants + 0.1 * score)
    if config.skeleton and len(a.skeleton) > 1 and (a.skeleton == b.skeleton or a.alt_skeleton == b.alt_skeleton):
        score = max(score, SKELETON_MATCH)
    elif config.phonetic and a.phonetic == b.phonetic and len(a.phonetic) > 2:
        score = max(score, PHONETIC_MATCH)
    if config.known_different and a.cluster is not None and b.cluster is not None and a.cluster != b.cluster:
        score = min(score, KNOWN_DIFFERENT_CAP)
    return score


def _aligned(
    left: tuple[TokenKey, ...], right: tuple[TokenKey, ...], config: NameConfig
) -> list[tuple[float, int, int]]:
    """Best one-to-one pairing of tokens (greedy on the similarity matrix, or position by position)."""
    if not config.order_free:
        return [(token_similarity(a, b, config), i, i) for i, (a, b) in enumerate(zip(left, right, strict=False))]
    pairs = sorted(
        ((token_similarity(a, b, config), i, j) for i, a in enumerate(left) for j, b in enumerate(right)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    chosen: list[tuple[float, int, int]] = []
    for score, i, j in pairs:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        chosen.append((score, i, j))
    return chosen


def _shuffled(chosen: list[tuple[float, int, int]]) -> bool:
    """True if the well-matched tokens are neither in the same order nor a rotation of it."""
    order = [j for s, i, j in sorted(chosen, key=lambda p: p[1]) if s >= SKELETON_MATCH]
    if len(order) < 3:
        return False
    descents = sum(1 for x, y in itertools.pairwise(order) if y < x)
    return descents > 1 or (descents == 1 and order[-1] > order[0])


def keys_similarity(a: NameKeys, b: NameKeys, config: NameConfig = DEFAULT_CONFIG) -> float:
    """Similarity of two names given their keys."""
    left, right = a.token_keys, b.token_keys
    if not left or not right:
        return 0.0
    if a.tokens == b.tokens:
        return 1.0
    if len(left) == 1 and len(right) == 1:
        return token_similarity(left[0], right[0], config)
    chosen = _aligned(left, right, config)
    longest = max(len(left), len(right))
    extra = longest - len(chosen)
    score = sum(s for s, _, _ in chosen) / len(chosen) - EXTRA_TOKEN_COST * extra
    if len(chosen) == 1 and longest > 1:
        score -= SINGLE_TOKEN_COST
    if config.order_penalty and _shuffled(chosen):
        score -= ORDER_COST
    if config.joined:  # Zabiullah / Zabi Ullah, Plat Ono Vich / Platonovich
        joined = _levenshtein_similarity("".join(a.tokens), "".join(b.tokens))
        joined_latin = _levenshtein_similarity("".join(t.latin for t in left), "".join(t.latin for t in right))
        score = max(score, joined, joined_latin)
    return max(0.0, score)


def name_similarity(a: str, b: str, config: NameConfig = DEFAULT_CONFIG) -> float:
    """Similarity of two names in 0..1: transliteration- and script-aware, token-order-insensitive."""
    return keys_similarity(name_keys(a, config), name_keys(b, config), config)

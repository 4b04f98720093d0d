"""Per-name keys: canonical tokens, sorted key, consonant skeleton, phonetic keys (cached per token)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from filiere.resolve.names.arabic import arabic_to_latin, is_arabic
from filiere.resolve.names.config import DEFAULT_CONFIG, NameConfig
from filiere.resolve.names.skeleton import phonetic, skeleton
from filiere.resolve.names.tokens import Piece, pieces
from filiere.resolve.names.variants import cluster_head, variant_cluster


@dataclass(frozen=True)
class TokenKey:
    """One canonical token with what the similarity needs about it."""

    canon: str  # canonical form (variant-group head, else the Latin form), with "abd" prefix if any
    latin: str  # Latin form as written (after particle handling)
    skeleton: str
    phonetic: str
    cluster: int | None  # variant cluster id (None when the token is in no cluster)
    from_arabic: bool  # transliterated from Arabic script (vowels mostly unwritten)
    alt_skeleton: str  # skeleton of the Persian reading of an Arabic-script token (رضا Reza), else the skeleton


@dataclass(frozen=True)
class NameKeys:
    """Keys of one name. tokens are canonical tokens in original order."""

    tokens: tuple[str, ...]
    sorted_key: str
    skeleton: str
    phonetic: tuple[str, ...]
    token_keys: tuple[TokenKey, ...]


@lru_cache(maxsize=500_000)
def token_key(piece: Piece, config: NameConfig = DEFAULT_CONFIG) -> TokenKey:
    """Canonical key of one token piece."""
    cluster = variant_cluster(piece.raw, piece.latin) if config.variants else None
    body = cluster_head(cluster) if cluster is not None else piece.latin
    canon = piece.prefix + body
    if piece.prefix and cluster is not None:
        cluster = -1 - cluster  # abd + X is a different name from X
    skel = skeleton(canon)
    alt = skel
    if cluster is None and config.arabic_rules and is_arabic(piece.raw):
        alt = skeleton(piece.prefix + arabic_to_latin(piece.raw, persian=True))
    return TokenKey(canon, piece.prefix + piece.latin, skel, phonetic(canon), cluster, piece.raw != piece.latin, alt)


@lru_cache(maxsize=400_000)
def name_keys(name: str, config: NameConfig = DEFAULT_CONFIG) -> NameKeys:
    """Keys of one name (any script, any token order)."""
    parts = pieces(name, arabic_rules=config.arabic_rules, particles=config.particles)
    tks = tuple(token_key(p, config) for p in parts)
    tokens = tuple(t.canon for t in tks)
    return NameKeys(
        tokens=tokens,
        sorted_key=" ".join(sorted(tokens)),
        skeleton=" ".join(sorted(t.skeleton for t in tks)),
        phonetic=tuple(t.phonetic for t in tks),
        token_keys=tks,
    )

"""Name features for person resolution across transliterations and scripts.

`name_keys(name)` gives canonical tokens (latinised, particles handled, each replaced by its variant-group
canonical form), a token-order-free key, a consonant skeleton and phonetic keys; `name_similarity(a, b)` scores
two names in 0..1; `name_feature_frame(names)` gives the columns the person linkage compares. Every choice can be
switched off through `NameConfig` to measure it (bench/names.py).
"""

from filiere.resolve.names.config import DEFAULT_CONFIG, FEATURES, NameConfig
from filiere.resolve.names.frame import FRAME_COLUMNS, name_feature_frame
from filiere.resolve.names.keys import NameKeys, TokenKey, name_keys
from filiere.resolve.names.similarity import keys_similarity, name_similarity, token_similarity

__all__ = [
    "DEFAULT_CONFIG",
    "FEATURES",
    "FRAME_COLUMNS",
    "NameConfig",
    "NameKeys",
    "TokenKey",
    "keys_similarity",
    "name_feature_frame",
    "name_keys",
    "name_similarity",
    "token_similarity",
]

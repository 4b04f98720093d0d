"""Name features as a table, one row per input name, for the person linkage (Splink) to compare."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from filiere.resolve.names.config import DEFAULT_CONFIG, NameConfig
from filiere.resolve.names.keys import NameKeys, name_keys

FRAME_COLUMNS = ("name", "name_canon", "name_sorted", "name_skeleton", "name_tokens", "name_first", "name_last",
                 "name_token_skeletons")
_NO_KEYS = NameKeys(tokens=(), sorted_key="", skeleton="", phonetic=(), token_keys=())


def name_feature_frame(names: Sequence[str], config: NameConfig = DEFAULT_CONFIG) -> pd.DataFrame:
    """One row per input name, same order: name, name_canon, name_sorted, name_skeleton, name_tokens,
    name_first, name_last (None where the name has no usable token; non-strings count as no name), and
    name_token_skeletons: the consonant skeleton of every token (and of the Persian reading of an Arabic-script
    token), for telling whether a nickname and a name share a token across spellings (Azad / Azaad)."""
    keys = [name_keys(n, config) if isinstance(n, str) and n else _NO_KEYS for n in names]
    return pd.DataFrame(
        {
            "name": list(names),
            "name_canon": [" ".join(k.tokens) or None for k in keys],
            "name_sorted": [k.sorted_key or None for k in keys],
            "name_skeleton": [k.skeleton or None for k in keys],
            "name_tokens": [list(k.tokens) for k in keys],
            "name_first": [k.tokens[0] if k.tokens else None for k in keys],
            "name_last": [k.tokens[-1] if k.tokens else None for k in keys],
            "name_token_skeletons": [sorted({s for t in k.token_keys for s in (t.skeleton, t.alt_skeleton) if s})
                                     for k in keys],
        },
        columns=list(FRAME_COLUMNS),
    )

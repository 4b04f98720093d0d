"""Name features as a table, one row per input name, for the person linkage (Splink) to compare."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from filiere.resolve.names.config import DEFAULT_CONFIG, NameConfig
from filiere.resolve.names.keys import name_keys

FRAME_COLUMNS = ("name", "name_canon", "name_sorted", "name_skeleton", "name_tokens", "name_first", "name_last")


def name_feature_frame(names: Sequence[str], config: NameConfig = DEFAULT_CONFIG) -> pd.DataFrame:
    """One row per input name, same order: name, name_canon, name_sorted, name_skeleton, name_tokens,
    name_first, name_last (None where the name has no usable token)."""
    rows = []
    for name in names:
        keys = name_keys(name or "", config) if isinstance(name, str) else None
        tokens = list(keys.tokens) if keys else []
        rows.append(
            (
                name,
                " ".join(tokens) or None,
                keys.sorted_key or None if keys else None,
                keys.skeleton or None if keys else None,
                tokens,
                tokens[0] if tokens else None,
                tokens[-1] if tokens else None,
            )
        )
    return pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS))

"""Deliberately malformed rows (``--dirty``): each breaks one rule that makes ``filiere ingest`` reject it.

A dirty row is a copy of a real row of the same file with one field spoiled: a required value emptied, a
date-time or birth date that does not exist, an amount that is not a number, a whole number with a unit, a
word outside the mapping's vocabulary.  The answer key lists each one (file, row, field, reason).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from filiere.model.kinds import KINDS, PERSON_PROPS
from filiere.model.types import PropType

_PERSON_TYPES = {p.name: p.ptype for p in PERSON_PROPS}


def _ptype(kind_name: str, key: str) -> PropType:
    kind = KINDS[kind_name]
    name = key.split(".", 1)[1] if "." in key else key
    if "." in key or (kind.own_person and name in _PERSON_TYPES):
        return _PERSON_TYPES[name]
    return kind.prop(name).ptype


def spoilers(kind_name: str, properties: dict[str, dict[str, Any]]) -> list[tuple[list[str], str, str]]:
    """Ways to spoil a row of this layout: (columns to set, value, reason)."""
    out: list[tuple[list[str], str, str]] = []
    kind = KINDS[kind_name]
    for requirement in kind.required:
        cols = [spec["column"] for key, spec in properties.items()
                if key in requirement.split("|") and "column" in spec]
        if cols:
            out.append((cols, "", f"required {' or '.join(requirement.split('|'))} is empty"))
    for key, spec in properties.items():
        if "column" not in spec:
            continue
        ptype = _ptype(kind_name, key)
        col = spec["column"]
        if ptype is PropType.DATETIME:
            out.append(([col], "31/02/2026 25:61", f"{key}: not a date-time"))
        elif ptype is PropType.DATE:
            out.append(([col], "32/13/1990", f"{key}: not a date"))
        elif ptype is PropType.MONEY:
            out.append(([col], "douze cents", f"{key}: not an amount"))
        elif ptype is PropType.INT:
            out.append(([col], "12 min", f"{key}: not a whole number"))
        elif ptype in (PropType.ENUM, PropType.CATEGORY) and "map" in spec and "default" not in spec:
            out.append(([col], "???", f"{key}: value outside the vocabulary"))
    return out


def dirty_rows(kind_name: str, columns: list[str], properties: dict[str, dict[str, Any]],
               sample_rows: list[list[str]], count: int, rng: np.random.Generator) -> list[tuple[list[str], str, str]]:
    """``count`` spoiled copies of rows drawn from ``sample_rows``: (values, field, reason)."""
    ways = spoilers(kind_name, properties)
    if not ways or not sample_rows:
        return []
    out = []
    index = {c: i for i, c in enumerate(columns)}
    for k in range(count):
        row = list(sample_rows[int(rng.integers(len(sample_rows)))])
        cols, value, reason = ways[int(rng.integers(len(ways)))] if k else ways[0]
        for c in cols:
            row[index[c]] = value
        out.append((row, "+".join(cols), reason))
    return out

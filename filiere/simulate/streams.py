"""Seeded random streams: every part of the simulation draws from its own stream, named by stable keys.

A stream depends only on the seed and its keys (never on the order other parts ran, on dict/set order or on
the clock), so adding a new export does not change the people or calls already generated.
"""

from __future__ import annotations

import zlib

import numpy as np


def _key_int(key: str | int) -> int:
    if isinstance(key, int):
        return key
    return zlib.crc32(key.encode("utf-8"))


def stream(seed: int, *keys: str | int) -> np.random.Generator:
    """A PCG64 generator for ``(seed, *keys)``."""
    entropy = [int(seed), *(_key_int(k) for k in keys)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))

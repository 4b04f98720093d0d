"""Number plates in each country's current format (as registration authorities issue them)."""

from __future__ import annotations

import numpy as np

_LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"  # no I, O, Q, U: excluded in FR and UK series


def _letters(rng: np.random.Generator, n: int) -> str:
    return "".join(_LETTERS[i] for i in rng.integers(0, len(_LETTERS), size=n))


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(d) for d in rng.integers(0, 10, size=n))


def draw_plate(rng: np.random.Generator, country: str) -> str:
    """A plate as printed: FR ``AB-123-CD``, GB ``AB12 CDE``, BE ``1-ABC-234``, PL ``WGM 12345``, RO ``B 123 ABC``."""
    match country:
        case "FR":
            return f"{_letters(rng, 2)}-{int(rng.integers(1, 1000)):03d}-{_letters(rng, 2)}"
        case "GB":
            return f"{_letters(rng, 2)}{int(rng.integers(15, 75)):02d} {_letters(rng, 3)}"
        case "BE":
            return f"{int(rng.integers(1, 3))}-{_letters(rng, 3)}-{_digits(rng, 3)}"
        case "PL":
            return f"{_letters(rng, 3)} {_digits(rng, 5)}"
        case "RO":
            return f"B {_digits(rng, 3)} {_letters(rng, 3)}"
    raise ValueError(f"no plate format for {country}")


def plate_variant(plate: str, rng: np.random.Generator) -> str:
    """As a camera or an officer writes it: without separators, or with spaces for dashes."""
    r = rng.random()
    if r < 0.35:
        return plate.replace("-", "").replace(" ", "")
    if r < 0.45:
        return plate.replace("-", " ")
    return plate

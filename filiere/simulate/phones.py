"""Phone numbers: drawing valid mobile numbers per country, and writing them the way each source does.

Numbers are drawn inside mobile ranges that ``phonenumbers`` accepts as valid (checked by the tests), so
an export only carries an invalid number when the dirty-row injector puts it there on purpose.
"""

from __future__ import annotations

import numpy as np

# ISO2 -> (country calling code, list of national-number prefixes, national number length)
MOBILE_RANGES: dict[str, tuple[str, tuple[str, ...], int]] = {
    "FR": ("33", ("60", "61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78"), 9),
    "GB": ("44", ("7400", "7401", "7710", "7720", "7735", "7747", "7751", "7765", "7766", "7774",
                  "7780", "7788", "7796", "7800", "7810", "7825", "7840", "7852", "7871", "7880", "7894",
                  "7904", "7912", "7920", "7931", "7946", "7951", "7960", "7970", "7983"), 10),
    "BE": ("32", ("45", "46", "47", "48", "49"), 9),
    "IQ": ("964", ("750", "751", "770", "771", "780", "781", "790"), 10),
    "IR": ("98", ("901", "912", "913", "919", "930", "935", "936"), 10),
    "AF": ("93", ("70", "72", "78", "79"), 9),
    "ER": ("291", ("71", "72", "73"), 7),
    "SY": ("963", ("93", "94", "95", "99"), 9),
    "SD": ("249", ("91", "92", "99"), 9),
    "DE": ("49", ("151", "152", "157", "160", "170", "171", "176"), 11),
    "TR": ("90", ("530", "532", "533", "535", "542", "544", "555"), 10),
    "PL": ("48", ("50", "51", "53", "60", "66", "69", "78"), 9),
    "RO": ("40", ("72", "73", "74", "75", "76"), 9),
}

ISO3_TO_PHONE_COUNTRY = {"IRQ": "IQ", "IRN": "IR", "AFG": "AF", "ERI": "ER", "SYR": "SY", "SDN": "SD"}


class NumberPool:
    """Draws unique numbers; the same draws in the same order give the same numbers."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def draw(self, rng: np.random.Generator, country: str) -> str:
        cc, prefixes, length = MOBILE_RANGES[country]
        while True:
            prefix = prefixes[rng.integers(len(prefixes))]
            rest = "".join(str(d) for d in rng.integers(0, 10, size=length - len(prefix)))
            e164 = f"+{cc}{prefix}{rest}"
            if e164 not in self._used:
                self._used.add(e164)
                return e164


def country_of(e164: str) -> str:
    for iso2, (cc, _, length) in MOBILE_RANGES.items():
        if e164.startswith("+" + cc) and len(e164) == 1 + len(cc) + length:
            return iso2
    raise ValueError(f"not a simulated number: {e164}")


def national_digits(e164: str) -> tuple[str, str]:
    """(country code, national significant number)."""
    iso2 = country_of(e164)
    cc = MOBILE_RANGES[iso2][0]
    return cc, e164[1 + len(cc):]


def _group(digits: str, sizes: tuple[int, ...]) -> str:
    out, i = [], 0
    for s in sizes:
        out.append(digits[i:i + s])
        i += s
    if i < len(digits):
        out.append(digits[i:])
    return " ".join(p for p in out if p)


def _national_grouping(iso2: str, nsn: str) -> str:
    """Digits after the trunk prefix, grouped as the country writes them."""
    match iso2:
        case "FR":
            return _group(nsn, (1, 2, 2, 2, 2))
        case "GB":
            return _group(nsn, (4, 6))
        case "BE":
            return _group(nsn, (3, 2, 2, 2))
        case _:
            return _group(nsn, (3, 3, 4))


def fmt(e164: str, style: str, home: str) -> str:
    """Write a number in one of the styles sources use, as a source in country ``home`` (ISO2) writes it.

    ``e164`` +33612345678 · ``intl`` +33 6 12 34 56 78 · ``intl00`` 0033612345678 · ``msisdn`` 33612345678
    · ``national`` 06 12 34 56 78 (or 07912 345678) · ``national_compact`` 0612345678.
    National and bare-MSISDN styles apply only to numbers of the home country (which is how the source's
    readers interpret them); other numbers fall back to ``intl`` (national styles) or ``intl00`` (MSISDN).
    """
    iso2 = country_of(e164)
    cc, nsn = national_digits(e164)
    if iso2 != home:
        style = {"national": "intl", "national_compact": "intl", "msisdn": "intl00"}.get(style, style)
    match style:
        case "e164":
            return e164
        case "msisdn":
            return cc + nsn
        case "intl00":
            return "00" + cc + nsn
        case "intl":
            return f"+{cc} {_national_grouping(iso2, nsn)}"
        case "national":
            return "0" + _national_grouping(iso2, nsn)
        case "national_compact":
            return "0" + nsn
    raise ValueError(f"unknown phone style {style!r}")

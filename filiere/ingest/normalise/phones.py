"""Phone numbers → E.164 with ``phonenumbers``.

National formats use the source's default region; ``00`` and ``+`` international prefixes, spaces, dots,
dashes, slashes and brackets are accepted.  A value that is not a valid number is kept raw and flagged
(``valid=False``, ``e164=None``) — never dropped and never a bad row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

_SEPARATORS = re.compile(r"[\s.\-/()\u00a0]")


@dataclass(frozen=True)
class PhoneResult:
    e164: str | None
    valid: bool


def clean(raw: str) -> str:
    """Remove separators and turn a leading ``00`` into ``+``."""
    s = _SEPARATORS.sub("", raw.strip())
    if s.startswith("00"):
        s = "+" + s[2:]
    return s


def _parse(value: str, region: str | None) -> str | None:
    try:
        num = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str, region: str | None = None) -> PhoneResult:
    """E.164 of ``raw`` read with ``region`` (ISO 3166 alpha-2) as the default for national numbers."""
    s = clean(raw)
    if not s or not re.fullmatch(r"\+?\d+", s):
        return PhoneResult(None, False)
    region = region.upper() if region else None
    e164 = _parse(s, region)
    if e164 is None and not s.startswith("+") and len(s) >= 10:
        # international number written without its prefix, e.g. 447700900123
        e164 = _parse("+" + s, None)
    return PhoneResult(e164, e164 is not None)


def is_region(code: str) -> bool:
    """Whether ``code`` is a region phonenumbers knows (for validating mappings)."""
    return code.upper() in phonenumbers.SUPPORTED_REGIONS

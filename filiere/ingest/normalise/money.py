"""Amounts and currencies: '1 234,56 €' → (Decimal('1234.56'), 'EUR').

Decimal separator: ``,`` or ``.``; the other one (and spaces, apostrophes) groups thousands.  A lone
separator followed by exactly three digits ("1,500") is ambiguous: it is an error unless the mapping says
which character is the decimal separator (``decimal: ","``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry

_SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "us$": "USD", "¥": "JPY", "chf": "CHF"}
_WORDS = {"euro": "EUR", "euros": "EUR", "livre": "GBP", "livres": "GBP", "livresterling": "GBP",
          "livressterling": "GBP", "pound": "GBP", "pounds": "GBP", "dollar": "USD", "dollars": "USD"}
_CURRENCY_PART = re.compile(r"^\s*([^\d\s+\-.,]+)\s*|\s*([^\d\s.,]+)\s*$")


@dataclass(frozen=True)
class MoneyResult:
    amount: Decimal | None
    currency: str | None  # currency written beside the amount, if any
    error: str | None = None


def normalise_currency(raw: str) -> str | None:
    """ISO 4217 code from a code, symbol or word; None when not recognised."""
    s = raw.strip()
    key = re.sub(r"[\s.]", "", s.lower())
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    if key in _WORDS:
        return _WORDS[key]
    if re.fullmatch(r"[A-Za-z]{3}", s) and pycountry.currencies.get(alpha_3=s.upper()) is not None:
        return s.upper()
    return None


def _number(text: str, decimal: str | None) -> Decimal:
    s = re.sub(r"[\s'\u00a0\u202f]", "", text)
    sign = ""
    if s and s[0] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    if not re.fullmatch(r"[\d.,]+", s) or not re.search(r"\d", s):
        raise ValueError("not a number")
    if decimal is None:
        last = max(s.rfind(","), s.rfind("."))
        if last < 0:
            decimal = "."
        elif "," in s and "." in s:
            decimal = s[last]
        else:
            sep = s[last]
            digits_after = len(s) - last - 1
            if s.count(sep) > 1:
                decimal = "," if sep == "." else "."  # repeated: thousands
            elif digits_after == 3:
                raise ValueError(f"ambiguous separator {sep!r} (set decimal: in the mapping)")
            else:
                decimal = sep
    group = "." if decimal == "," else ","
    s = s.replace(group, "")
    if s.count(decimal) > 1:
        raise ValueError("several decimal separators")
    return Decimal(sign + s.replace(decimal, "."))


def normalise_money(raw: str, decimal: str | None = None) -> MoneyResult:
    """Amount (2 decimals) and the currency written beside it, if any."""
    s = raw.strip()
    if not re.search(r"\d", s):
        return MoneyResult(None, None, "not an amount: no digits")
    currency = None
    m = _CURRENCY_PART.search(s)
    while m:
        token = m.group(1) or m.group(2)
        code = normalise_currency(token)
        if code is None:
            return MoneyResult(None, None, f"unknown currency {token.strip()!r} in amount")
        currency = code
        s = s[: m.start()] + s[m.end():]
        m = _CURRENCY_PART.search(s)
    try:
        value = _number(s, decimal)
    except (ValueError, InvalidOperation) as exc:
        return MoneyResult(None, currency, f"not an amount: {exc}")
    if abs(value) >= Decimal(10) ** 16:
        return MoneyResult(None, currency, "amount too large")
    return MoneyResult(value.quantize(Decimal("0.01")), currency)

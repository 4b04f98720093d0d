"""Dates → ISO with a precision (day, month, year) and a flag for the 1 January placeholder.

Birth dates of people without papers are often partial ("1987", "03/1987", "00/00/1987") or set to
1 January of a guessed year.  A partial date is stored as its first day with the precision saying how much
of it is known; a full date of 1 January is flagged ``placeholder`` so resolution can weigh it down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

DAY, MONTH, YEAR = "day", "month", "year"


@dataclass(frozen=True)
class DateResult:
    value: date | None
    precision: str | None
    placeholder: bool
    error: str | None = None


_PARTIAL = (
    # (pattern, has day, has month); groups: year, month, day by name
    # unknown parts written as 00 or XX (checked first)
    (re.compile(r"(?:00|xx|XX)[/.\-](?:00|xx|XX)[/.\-](?P<y>\d{4})"), False, False),
    (re.compile(r"(?:00|xx|XX)[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})"), False, True),
    (re.compile(r"(?P<y>\d{4})"), False, False),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})"), False, True),
    (re.compile(r"(?P<m>\d{1,2})[/.\-](?P<y>\d{4})"), False, True),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"), True, True),
    (re.compile(r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})"), True, True),
    (re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"), True, True),
)


def _result(y: int, m: int | None, d: int | None) -> DateResult:
    try:
        value = date(y, m or 1, d or 1)
    except ValueError as exc:
        return DateResult(None, None, False, f"not a valid date: {exc}")
    if d is not None:
        return DateResult(value, DAY, m == 1 and d == 1)
    if m is not None:
        return DateResult(value, MONTH, False)
    return DateResult(value, YEAR, False)


def _precision_of(fmt: str) -> tuple[bool, bool]:
    has_day = "%d" in fmt or "%j" in fmt or "%-d" in fmt
    has_month = has_day or any(c in fmt for c in ("%m", "%b", "%B", "%-m"))
    return has_day, has_month


def parse_date(raw: str, formats: tuple[str, ...] = ()) -> DateResult:
    """Parse ``raw`` with the mapping's ``formats`` first, then ISO and the common partial forms."""
    s = raw.strip()
    for fmt in formats:
        try:
            parsed = datetime.strptime(s, fmt)
        except ValueError:
            continue
        has_day, has_month = _precision_of(fmt)
        return _result(parsed.year, parsed.month if has_month else None, parsed.day if has_day else None)
    for pattern, has_day, has_month in _PARTIAL:
        m = pattern.fullmatch(s)
        if m is None:
            continue
        groups = m.groupdict()
        return _result(int(groups["y"]), int(groups["m"]) if has_month else None,
                       int(groups["d"]) if has_day else None)
    expected = f" (expected {' or '.join(formats)}, ISO 8601 or a partial date such as 1987 or 03/1987)"
    return DateResult(None, None, False, "not a date" + expected)

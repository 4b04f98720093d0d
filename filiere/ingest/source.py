"""The ``sources`` row: provenance, grading, legal basis and review date, from mapping defaults and the CLI.

Every source must have an agency, a complete grading in a known scheme, its nature (fact or assessment),
a legal basis and a review date; a missing or invalid one is a usage error naming the option to give.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from filiere.errors import UsageError
from filiere.model.grading import Grading, GradingError
from filiere.model.vocab import Nature

HASH_CHUNK = 1 << 22


@dataclass(frozen=True)
class SourceOptions:
    """Command-line values; each one that is not None overrides the mapping's ``source:`` default."""

    agency: str | None = None
    scheme: str | None = None
    source_grade: str | None = None
    info_grade: str | None = None
    handling: str | None = None
    nature: str | None = None
    legal_basis: str | None = None
    case_ref: str | None = None
    collected_on: date | None = None
    review_on: date | None = None
    releasable_to: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SourceInfo:
    agency: str
    grading: Grading
    nature: str
    legal_basis: str
    case_ref: str | None
    collected_on: date
    review_on: date
    releasable_to: tuple[str, ...] = field(default=())
    phone_region: str | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def source_id_for(sha256: str) -> str:
    """Stable source id: 'S' + the first 16 hex digits of the content hash."""
    return "S" + sha256[:16]


def _date(value: Any, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{what}: expected a date YYYY-MM-DD, got {value!r}") from None


def resolve_source(defaults: dict[str, Any], opts: SourceOptions, mapping_name: str, today: date) -> SourceInfo:
    """Merge the mapping's ``source:`` block with the command line and check the result."""
    grading = defaults.get("grading") or {}

    def pick(cli: Any, default: Any) -> Any:
        return cli if cli is not None else default

    agency = pick(opts.agency, defaults.get("agency"))
    scheme = pick(opts.scheme, grading.get("scheme"))
    src = pick(opts.source_grade, grading.get("source"))
    info = pick(opts.info_grade, grading.get("information"))
    handling = pick(opts.handling, grading.get("handling"))
    nature = pick(opts.nature, defaults.get("nature"))
    legal_basis = pick(opts.legal_basis, defaults.get("legal_basis"))
    missing = [name for name, value in (
        ("--agency (source.agency)", agency), ("--scheme (source.grading.scheme)", scheme),
        ("--source-grade (source.grading.source)", src), ("--info-grade (source.grading.information)", info),
        ("--handling (source.grading.handling)", handling), ("--nature (source.nature)", nature),
        ("--legal-basis (source.legal_basis)", legal_basis),
    ) if value is None or str(value).strip() == ""]
    if missing:
        raise UsageError(f"the source needs {', '.join(missing)}: give them on the command line or in the "
                         f"source: block of {mapping_name}")
    try:
        parsed = Grading.parse(str(scheme), str(src), str(info), str(handling))
    except GradingError as exc:
        raise UsageError(f"grading: {exc}") from None
    try:
        nature_value = Nature(str(nature).strip().lower()).value
    except ValueError:
        raise UsageError(f"nature: expected fact or assessment, got {nature!r}") from None
    collected_on = pick(opts.collected_on, _date(defaults.get("collected_on"), "source.collected_on")) or today
    review_on = pick(opts.review_on, _date(defaults.get("review_on"), "source.review_on"))
    if review_on is None and defaults.get("retention_days"):
        review_on = collected_on + timedelta(days=int(defaults["retention_days"]))
    if review_on is None:
        raise UsageError(f"the source needs a review date: --review-on, or source.review_on or "
                         f"source.retention_days in {mapping_name}")
    if review_on < collected_on:
        raise UsageError(f"review date {review_on} is before the collection date {collected_on}")
    rel = opts.releasable_to if opts.releasable_to is not None else defaults.get("releasable_to") or ()
    if isinstance(rel, str):
        rel = [r for r in rel.split(",") if r.strip()]
    region = defaults.get("phone_region")
    return SourceInfo(
        agency=str(agency).strip(), grading=parsed, nature=nature_value, legal_basis=str(legal_basis).strip(),
        case_ref=pick(opts.case_ref, defaults.get("case_ref")), collected_on=collected_on, review_on=review_on,
        releasable_to=tuple(str(r).strip() for r in rel), phone_region=str(region).upper() if region else None,
    )

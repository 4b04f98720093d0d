"""A person as one agency writes them in one record: spelling, order, capitals, typos, gaps, formats.

Every call draws afresh, so two records of the same person differ the way real records do; what they share
(a phone, a birth date, a document) is what makes linking them possible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from filiere.simulate.agencies import AgencyStyle, nationality_as_written
from filiere.simulate.names import arabic, spell, typo
from filiere.simulate.phones import fmt
from filiere.simulate.world import Person


@dataclass
class Written:
    given: str = ""
    family: str = ""
    alias: str = ""
    birth_date: str = ""
    nationality: str = ""
    gender: str = ""
    document: str = ""
    phone: str = ""

    @property
    def full(self) -> str:
        return " ".join(x for x in (self.given, self.family) if x)


def phone_as_written(e164: str, style: AgencyStyle, rng: np.random.Generator) -> str:
    styles = [s for s, _ in style.phone_styles]
    w = np.array([p for _, p in style.phone_styles])
    return fmt(e164, styles[int(rng.choice(len(styles), p=w / w.sum()))], style.country)


def birth_as_written(p: Person, style: AgencyStyle, rng: np.random.Generator, missing_rate: float) -> str:
    if rng.random() < missing_rate:
        return ""
    birth = p.birth
    if p.birth_year_only:
        # unknown day and month: written as 1 January of the year (placeholder) or as a partial date
        if rng.random() < 0.7:
            return birth.replace(month=1, day=1).strftime(style.date_fmt)
        return birth.strftime(style.partial_date_fmts[0])
    if p.role == "migrant" and rng.random() < 0.08:
        # age dispute / misheard: another year
        birth = birth.replace(year=birth.year + int(rng.choice([-2, -1, 1])), day=min(birth.day, 28))
    return birth.strftime(style.date_fmt)


def name_as_written(p: Person, style: AgencyStyle, rng: np.random.Generator) -> tuple[str, str]:
    """(given, family) as written; may be swapped, capitalised, misspelt, or missing a part."""
    name = p.name
    given = spell(name.given, name.origin, rng, style.variant_rate)
    family = spell(name.family, name.origin, rng, style.variant_rate)
    if name.has_variants and rng.random() < 0.08:
        given, family = family, given  # family name taken for the given name and vice versa
    if rng.random() < 0.04:
        given = typo(given, rng)
    elif rng.random() < 0.04:
        family = typo(family, rng)
    if style.caps_family or rng.random() < 0.2:
        family = family.upper()
    if name.has_variants and rng.random() < 0.05:
        family = ""  # only one name recorded
    return given, family


def write_person(p: Person, style: AgencyStyle, rng: np.random.Generator, *, phone: str = "",
                 with_document: float = 0.5, birth_missing: float = 0.15, alias_rate: float = 0.5) -> Written:
    """The person's fields as this agency writes them (``phone``: E.164 of a number given, if any)."""
    given, family = name_as_written(p, style, rng)
    w = Written(given=given, family=family)
    if p.nick and rng.random() < alias_rate:
        w.alias = p.nick
    w.birth_date = birth_as_written(p, style, rng, birth_missing)
    if rng.random() > 0.05:
        w.nationality = nationality_as_written(style, p.nationality, p.gender)
    w.gender = style.gender_words[p.gender] if rng.random() > 0.1 else ""
    if p.documents and rng.random() < with_document:
        doc = p.documents[int(rng.integers(len(p.documents)))]
        w.document = doc if rng.random() < 0.8 else " ".join((doc[:4], doc[4:])).lower()
    if phone:
        w.phone = phone_as_written(phone, style, rng)
    return w


def label_in_arabic(p: Person) -> str:
    return " ".join(x for x in (arabic(p.name.given, p.name.origin), arabic(p.name.family, p.name.origin)) if x)

"""Intelligence grading schemes, kept exactly as written.

Three schemes are in use between the partner agencies and none is converted into another:

* ``eu4x4``  — source reliability A/B/C/X, information 1–4, handling code H0–H3 (Europol).
* ``uk3x5x2`` — source evaluation 1–3, intelligence assessment A–E, handling code P or C (UK, 2016 on).
* ``legacy5x5x5`` — source A–E, intelligence 1–5, handling 1–5 (UK legacy).

For access control we need one question answered for every code: may a *partner* agency (not the owner)
see rows under it?  :func:`partner_visibility` answers it from the code's published meaning; the original
code is what is stored and shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Scheme(StrEnum):
    EU4X4 = "eu4x4"
    UK3X5X2 = "uk3x5x2"
    LEGACY5X5X5 = "legacy5x5x5"


class PartnerVisibility(StrEnum):
    """What a handling code allows towards other agencies of the joint team."""

    PARTNERS = "partners"  # any agency of the joint team may see it
    RELEASABLE = "releasable"  # only agencies named in the source's releasable_to list
    OWNER_ONLY = "owner_only"  # the owning agency alone


@dataclass(frozen=True)
class SchemeCodes:
    source: tuple[str, ...]
    information: tuple[str, ...]
    handling: tuple[str, ...]
    # handling code -> visibility towards partners
    visibility: dict[str, PartnerVisibility]


SCHEMES: dict[Scheme, SchemeCodes] = {
    Scheme.EU4X4: SchemeCodes(
        source=("A", "B", "C", "X"),
        information=("1", "2", "3", "4"),
        handling=("H0", "H1", "H2", "H3"),
        visibility={
            # H0: no restriction beyond the law; H1: not for use in court without permission (intelligence
            # use inside the team is fine); H2: no dissemination without the provider's permission;
            # H3: other restrictions stated by the provider (releasable_to lists who may see it).
            "H0": PartnerVisibility.PARTNERS,
            "H1": PartnerVisibility.PARTNERS,
            "H2": PartnerVisibility.OWNER_ONLY,
            "H3": PartnerVisibility.RELEASABLE,
        },
    ),
    Scheme.UK3X5X2: SchemeCodes(
        source=("1", "2", "3"),
        information=("A", "B", "C", "D", "E"),
        handling=("P", "C"),
        visibility={
            # P: lawful sharing permitted; C: lawful sharing permitted with conditions (the conditions name
            # the recipients: releasable_to).
            "P": PartnerVisibility.PARTNERS,
            "C": PartnerVisibility.RELEASABLE,
        },
    ),
    Scheme.LEGACY5X5X5: SchemeCodes(
        source=("A", "B", "C", "D", "E"),
        information=("1", "2", "3", "4", "5"),
        handling=("1", "2", "3", "4", "5"),
        visibility={
            # 1: may go to UK and non-UK law enforcement; 2: UK law enforcement only; 3: non-prosecuting
            # parties (named); 4: originating agency only; 5: no further dissemination.
            "1": PartnerVisibility.PARTNERS,
            "2": PartnerVisibility.RELEASABLE,
            "3": PartnerVisibility.RELEASABLE,
            "4": PartnerVisibility.OWNER_ONLY,
            "5": PartnerVisibility.OWNER_ONLY,
        },
    ),
}


class GradingError(ValueError):
    """A grading code that does not exist in its scheme."""


@dataclass(frozen=True)
class Grading:
    scheme: Scheme
    source: str
    information: str
    handling: str

    @classmethod
    def parse(cls, scheme: str, source: str, information: str, handling: str) -> Grading:
        try:
            sch = Scheme(str(scheme).strip().lower())
        except ValueError:
            raise GradingError(
                f"unknown grading scheme {scheme!r}; expected one of {', '.join(s.value for s in Scheme)}"
            ) from None
        codes = SCHEMES[sch]
        src, info, hnd = (str(v).strip().upper() for v in (source, information, handling))
        for label, value, allowed in (
            ("source", src, codes.source),
            ("information", info, codes.information),
            ("handling", hnd, codes.handling),
        ):
            if value not in allowed:
                raise GradingError(
                    f"{label} grade {value!r} is not valid in scheme {sch.value} (allowed: {', '.join(allowed)})"
                )
        return cls(sch, src, info, hnd)

    @property
    def partner_visibility(self) -> PartnerVisibility:
        return partner_visibility(self.scheme, self.handling)

    def label(self) -> str:
        return f"{self.scheme.value}:{self.source}{self.information}/{self.handling}"


def partner_visibility(scheme: Scheme | str, handling: str) -> PartnerVisibility:
    return SCHEMES[Scheme(scheme)].visibility[handling]

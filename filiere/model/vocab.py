"""Closed vocabularies used across the model (LED art. 6 categories, fact/assessment, log actions)."""

from __future__ import annotations

from enum import StrEnum


class SubjectCategory(StrEnum):
    """Data-subject category of a person (Law Enforcement Directive, art. 6)."""

    SUSPECT = "suspect"
    CONVICTED = "convicted"
    VICTIM = "victim"
    OTHER = "other"  # other party: witness, contact, informant, associate
    UNKNOWN = "unknown"


# A person resolved from several mentions takes the category that protects them most when any
# mention says victim (a smuggled migrant is never turned into a target by another agency's label),
# otherwise the most incriminating one stated.
CATEGORY_PRECEDENCE: tuple[SubjectCategory, ...] = (
    SubjectCategory.VICTIM,
    SubjectCategory.CONVICTED,
    SubjectCategory.SUSPECT,
    SubjectCategory.OTHER,
    SubjectCategory.UNKNOWN,
)


class Nature(StrEnum):
    """Whether a source states facts or an assessment (LED art. 7)."""

    FACT = "fact"
    ASSESSMENT = "assessment"


class LogAction(StrEnum):
    """Processing operations that must be logged (LED art. 25)."""

    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"
    ADMINISTRATION = "administration"

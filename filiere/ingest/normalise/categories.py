"""Closed vocabularies: data-subject categories (LED art. 6) and the kinds' enumerations.

A raw value is looked up, ignoring case, accents and extra spaces, in: the mapping's ``map:``, then the
vocabulary's own values, then the built-in synonyms below (French and English terms used by the partner
agencies); otherwise the mapping's ``default:`` applies, and without one the value is an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from filiere.ingest.normalise.text_keys import fold
from filiere.model.vocab import SubjectCategory

CATEGORY_VOCABULARY = "category"

# Built-in synonyms per vocabulary (folded keys).
SYNONYMS: dict[str, dict[str, str]] = {
    CATEGORY_VOCABULARY: {
        "mis en cause": SubjectCategory.SUSPECT, "mec": SubjectCategory.SUSPECT,
        "suspect": SubjectCategory.SUSPECT, "suspecte": SubjectCategory.SUSPECT,
        "suspected": SubjectCategory.SUSPECT, "accused": SubjectCategory.SUSPECT,
        "condamne": SubjectCategory.CONVICTED, "condamnee": SubjectCategory.CONVICTED,
        "convicted": SubjectCategory.CONVICTED, "offender": SubjectCategory.CONVICTED,
        "victime": SubjectCategory.VICTIM, "victim": SubjectCategory.VICTIM,
        "migrant": SubjectCategory.VICTIM, "passager": SubjectCategory.VICTIM,
        "passenger": SubjectCategory.VICTIM, "smuggled person": SubjectCategory.VICTIM,
        "temoin": SubjectCategory.OTHER, "witness": SubjectCategory.OTHER, "contact": SubjectCategory.OTHER,
        "autre": SubjectCategory.OTHER, "other": SubjectCategory.OTHER, "associate": SubjectCategory.OTHER,
        "informateur": SubjectCategory.OTHER, "informant": SubjectCategory.OTHER,
        "inconnu": SubjectCategory.UNKNOWN, "unknown": SubjectCategory.UNKNOWN,
        "non renseigne": SubjectCategory.UNKNOWN,
    },
    "gender": {"m": "male", "h": "male", "homme": "male", "masculin": "male", "man": "male",
               "f": "female", "femme": "female", "feminin": "female", "woman": "female"},
}


def vocabulary_values(vocabulary: str) -> tuple[str, ...]:
    from filiere.model.kinds import VOCABULARIES

    if vocabulary == CATEGORY_VOCABULARY:
        return tuple(c.value for c in SubjectCategory)
    return VOCABULARIES[vocabulary]


@dataclass(frozen=True)
class VocabularyMap:
    """How raw values of one property become values of its vocabulary."""

    vocabulary: str
    mapping: dict[str, str]  # folded raw → value, from the mapping file
    default: str | None = None

    @classmethod
    def build(cls, vocabulary: str, mapping: dict[str, str] | None = None, default: str | None = None
              ) -> VocabularyMap:
        return cls(vocabulary, {fold(str(k)): str(v) for k, v in (mapping or {}).items()}, default)

    def lookup(self, raw: str) -> tuple[str | None, str | None]:
        """(value, error) for one raw value."""
        key = fold(raw)
        if key in self.mapping:
            return self.mapping[key], None
        values = vocabulary_values(self.vocabulary)
        if key in values:
            return key, None
        synonym = SYNONYMS.get(self.vocabulary, {}).get(key)
        if synonym is not None:
            return str(synonym), None
        if self.default is not None:
            return self.default, None
        return None, (f"value not in the {self.vocabulary} vocabulary and the mapping has no map: entry or "
                      f"default: for it (allowed: {', '.join(values)})")

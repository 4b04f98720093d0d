"""Property types: how one mapped property becomes columns in a mention or event table.

A property of a normalised type keeps the value *as written* in ``<name>_raw`` beside the normalised
value in ``<name>`` (and, for some types, a flag or precision column).  Plain types (text, integers,
floats) are stored once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PropType(StrEnum):
    TEXT = "text"  # free text, trimmed
    INT = "int"
    FLOAT = "float"
    NAME = "name"  # a person's name: raw + normalised form
    PHONE = "phone"  # raw + E.164 (NULL when invalid) + _valid flag
    DATE = "date"  # raw + DATE + _precision (day|month|year) + _placeholder (1 January)
    DATETIME = "datetime"  # raw + TIMESTAMP
    COUNTRY = "country"  # raw + ISO 3166 alpha-3
    MONEY = "money"  # raw + DECIMAL(18,2)
    CURRENCY = "currency"  # raw + ISO 4217
    PLATE = "plate"  # raw + normalised plate (upper-case alphanumerics)
    IDENTIFIER = "identifier"  # raw + normalised (upper-case alphanumerics): documents, accounts
    CATEGORY = "category"  # raw + LED art. 6 subject category
    ENUM = "enum"  # raw + a value of the property's vocabulary


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    doc: str = ""
    generated: str | None = None  # SQL over the row's other columns: a VIRTUAL column, computed when read

    @property
    def stored(self) -> bool:
        return self.generated is None


def columns_for(name: str, ptype: PropType, doc: str = "") -> list[Column]:
    """The table columns a property of this type occupies."""
    raw = Column(f"{name}_raw", "VARCHAR", f"{doc} (as written)".strip())
    match ptype:
        case PropType.TEXT:
            return [Column(name, "VARCHAR", doc)]
        case PropType.INT:
            return [Column(name, "BIGINT", doc)]
        case PropType.FLOAT:
            return [Column(name, "DOUBLE", doc)]
        case PropType.PHONE:
            return [
                raw,
                Column(name, "VARCHAR", f"{doc} in E.164, NULL when not a valid number".strip()),
                Column(f"{name}_valid", "BOOLEAN", "whether the raw value parsed as a valid number"),
            ]
        case PropType.DATE:
            return [
                raw,
                Column(name, "DATE", doc),
                Column(f"{name}_precision", "VARCHAR", "day, month or year"),
                Column(f"{name}_placeholder", "BOOLEAN", "1 January given for an unknown date"),
            ]
        case PropType.DATETIME:
            return [raw, Column(name, "TIMESTAMP", doc)]
        case PropType.MONEY:
            return [raw, Column(name, "DECIMAL(18,2)", doc)]
        case _:
            return [raw, Column(name, "VARCHAR", doc)]

"""A bad row: where it is and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based data row
    field: str | None  # column(s) of the file
    value: str | None  # as written
    reason: str

    def describe(self, file: str) -> str:
        where = f"{file}, row {self.row}"
        if self.field:
            where += f", column {self.field!r}"
        shown = f" (value {self.value[:80]!r})" if self.value is not None else ""
        return f"{where}: {self.reason}{shown}"

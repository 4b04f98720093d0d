"""Errors that reach the user. Each carries what to say; the CLI maps them to exit codes."""

from __future__ import annotations


class FiliereError(Exception):
    """An operation failed because of the data or the workspace (exit code 1)."""

    exit_code = 1


class UsageError(FiliereError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


class InputError(FiliereError):
    """Bad input data: names the file, the 1-based data row, the field and the reason."""

    def __init__(self, file: str, reason: str, row: int | None = None, field: str | None = None,
                 value: str | None = None) -> None:
        self.file, self.row, self.field, self.reason, self.value = file, row, field, reason, value
        where = file
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        shown = f" (value {value[:80]!r})" if value is not None else ""
        super().__init__(f"{where}: {reason}{shown}")

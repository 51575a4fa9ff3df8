"""The one problem type of every sheet import: where it is in the file, and what it is.

A :class:`SheetProblem` names the file, the sheet, the spreadsheet row (None for the whole
sheet), the column letter and the field, its severity, and a registered problem ``code``
with its ``params`` (``genebank.problems``). ``message`` is the code's English (the CLI's
and the report files'); the GUI words the code and params in the user's language
(``ui.messages.problem_text``). Passport, test and participant imports all say their
problems with it, so one preview table, one report file and one CLI printer serve them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from genebank import problems
from genebank.mcpd import Severity

__all__ = ["Severity", "SheetProblem"]


@dataclass(frozen=True, slots=True)
class SheetProblem:
    """A problem located in a sheet: ``row`` and ``column`` None (or "") for the whole sheet
    or row. ``column`` is the spreadsheet's letter ("C"), ``field`` the field's code
    ("ORIGCTY", "DATE", "email")."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    field: str | None
    severity: Severity
    code: str
    params: Mapping[str, object] = field(default_factory=dict, compare=False)
    message: str = field(default="", compare=False)  # the English, from the code's template

    @classmethod
    def said(cls, file: str, sheet: str, row: int | None, column: str | None,
             field: str | None, severity: Severity, code: str, /,
             **params: object) -> SheetProblem:
        """A problem with its registered ``code`` and ``params``; its English is the code's
        template filled (an unregistered code or a missing param fails at once)."""
        return cls(file, sheet, row, column, field, severity, code, params,
                   problems.registered_english(code, params))

    @classmethod
    def of(cls, file: str, sheet: str, row: int | None, column: str | None,
           field: str | None, error: problems.Coded, *,
           severity: Severity = Severity.ERROR) -> SheetProblem:
        """A coded error (a value that could not be read) as a problem of its cell; its
        English is the error's own."""
        return cls(file, sheet, row, column, field, severity, error.code,
                   dict(error.params), str(error))

    @property
    def error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def warning(self) -> bool:
        return self.severity is not Severity.ERROR

    def where(self) -> str:
        """The place in words: "file x.xlsx, sheet 'S', row 12, column C (ORIGCTY)"."""
        place = f"file {self.file}, sheet '{self.sheet}'" if self.file else \
            f"sheet '{self.sheet}'"
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column {self.column}"
        if self.field:
            place += f" ({self.field})"
        return place

    def cause(self) -> dict[str, object]:
        """The params that carry this problem as the cause of another (``{cause:problem}``)."""
        return {"cause": {"code": self.code, "params": dict(self.params)}}



"""The problems of an import as a copy of the person's own sheet with a PROBLEMS column, so
the person who keeps the spreadsheet can fix it row by row and import it again.

The copy keeps every row where it was (title rows above the headings too, row 7 stays row
7), every column in its place (column C stays column C) and every value as read (text as
string cells, numbers, dates, percentages still shown as percentages); the PROBLEMS column
comes after the last used column and says each row's problems: severity, column, field and
message. Problems of no data row (a missing column, the headings themselves) are listed
on a second sheet, after the copy, so the first sheet stays the one an import reads.
Corrected in place, the file imports back: no field is headed PROBLEMS, so that column is
left out like any other column the import does not know.

Any import's problems can be written: each needs ``row`` (the spreadsheet's row number,
None for the whole sheet), ``column`` (its letter, maybe with a label), ``field``,
``severity`` and ``message`` (English, as the CLI prints it). The sheet prints with its
headings on every page (:mod:`genebank.io.print_layout`). Written by
:mod:`genebank.io.plain_xlsx`, which puts any row in its place, fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from genebank.io import plain_xlsx, print_layout
from genebank.io.files import write_whole
from genebank.io.spreadsheet import Sheet

PROBLEM_COLUMN = "PROBLEMS"
PROBLEM_WIDTH = 60
SHEET_PROBLEMS = "Problems of the sheet"


class Located(Protocol):
    """A problem the report can place: any import's problem type has these."""

    row: int | None
    column: str | None
    field: str | None
    message: str


class Judged(Protocol):
    """An import's check of a sheet (``passport_preview.ImportPreview``, ...): its
    problems, and the row of its headings."""

    header_row: int

    def problems(self) -> list[Located]: ...


def write_problem_report(sheet: Sheet, problems: Iterable[Located] | Judged, path: Path, *,
                         header_row: int | None = None, replace: bool = True) -> Path:
    """The report on ``sheet`` as ``path`` with the suffix .xlsx. ``problems`` is a list of
    problems, or a check with ``problems()`` and ``header_row`` (which then need not be
    given). ``sheet`` must be the whole sheet, not its first rows. An existing file is
    refused unless ``replace``, and the file being imported always is (it would be lost)."""
    if hasattr(problems, "problems"):
        judged: Judged = problems  # type: ignore[assignment]
        header_row = judged.header_row if header_row is None else header_row
        found = list(judged.problems())
    else:
        found = list(problems)  # type: ignore[arg-type]
    data_rows = {number for number in sheet.row_numbers if header_row is None
                 or number > header_row}
    by_row: dict[int, list[str]] = defaultdict(list)
    about_sheet: list[Located] = []
    for problem in found:
        if problem.row in data_rows:
            by_row[problem.row].append(said(problem))  # type: ignore[index]
        else:
            about_sheet.append(problem)
    path = report_path(path)
    return write_whole(path, lambda partial: _write(partial, sheet, header_row, by_row,
                                                    about_sheet),
                       overwrite=replace, inputs=(sheet.file,))


def said(problem: Located) -> str:
    """One problem as the PROBLEMS cell says it: "ERROR C (GENUS): Genus is required"."""
    severity = getattr(problem, "severity", None)
    if severity is None:  # a problem type that says only whether it is a warning
        severity = "warning" if getattr(problem, "warning", False) else "error"
    column, field = problem.column or "", problem.field or ""
    # a column's letter with the field's code, unless the column names its field already
    place = f"{column} ({field})" if column and field and "(" not in column \
        else column or field
    return f"{str(severity).upper()}{' ' + place if place else ''}: {problem.message}"


def report_path(path: Path) -> Path:
    """The file a report asked as ``path`` is written to: always a workbook (.xlsx)."""
    return Path(path).with_suffix(".xlsx")


def _write(path: Path, sheet: Sheet, header_row: int | None, by_row: dict[int, list[str]],
           about_sheet: list[Located]) -> None:
    width = _used_width(sheet.rows)  # the PROBLEMS column comes after the last used one
    copy = plain_xlsx.PlainSheet(
        _sheet_title(sheet.name), _copied_rows(sheet, width, header_row, by_row),
        widths={width + 1: PROBLEM_WIDTH}, freeze_below=header_row,
        layout=print_layout.layout_for([*([None] * width), PROBLEM_WIDTH],
                                       title_rows=(header_row, header_row) if header_row
                                       else None))
    sheets = [copy]
    if about_sheet:  # the problems of no data row, one a line, on a sheet of their own
        listed: list[tuple[int, list[object]]] = [
            (1, [(heading, plain_xlsx.BOLD) for heading in ("Row", "Column", PROBLEM_COLUMN)])]
        listed += [(number, [problem.row, problem.column or problem.field or None,
                             said(problem)])
                   for number, problem in enumerate(about_sheet, start=2)]
        sheets.append(plain_xlsx.PlainSheet(
            SHEET_PROBLEMS, listed, widths={1: 8, 2: 30, 3: 90}, freeze_below=1,
            layout=print_layout.layout_for([8, 30, 90], title_rows=(1, 1))))
    plain_xlsx.write(path, sheets)


def _copied_rows(sheet: Sheet, width: int, header_row: int | None,
                 by_row: dict[int, list[str]]) -> Iterator[tuple[int, list[object]]]:
    """Each row of ``sheet`` at its own number, its cells in their columns, then its
    problems (or the PROBLEMS heading) in column ``width`` + 1."""
    percent = sheet.percent_cells
    for number, cells in zip(sheet.row_numbers, sheet.rows, strict=True):
        row: list[object] = [None if value == "" else value for value in cells[:width]]
        if percent:
            row = [(value, plain_xlsx.PERCENT) if (number, index) in percent else value
                   for index, value in enumerate(row, start=1)]
        row.extend([None] * (width - len(row)))
        if number == header_row:
            row.append((PROBLEM_COLUMN, plain_xlsx.BOLD))
        elif number in by_row:
            row.append(("\n".join(by_row[number]), plain_xlsx.WRAPPED))
        yield number, row


def _used_width(rows: list[list[object]]) -> int:
    """How many columns hold a value in some row (trailing empty cells are not used)."""
    width = 0
    for cells in rows:
        for index in range(len(cells) - 1, width - 1, -1):
            if cells[index] is not None and cells[index] != "":
                width = index + 1
                break
    return width


def _sheet_title(name: str) -> str:
    """The copy keeps the sheet's name, as far as Excel allows (31 characters, none of
    []:*?/\\), so that importing it by name finds it."""
    title = "".join(" " if c in "[]:*?/\\" else c for c in name)[:31].strip(" '")
    return title if title and title != SHEET_PROBLEMS else "Sheet1"

"""The problems of an import preview as a copy of the input with a PROBLEMS column, so the
person who keeps the spreadsheet can fix it row by row and import it again."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from genebank.io import xlsx_writer
from genebank.io.files import write_whole
from genebank.io.passport_preview import ImportPreview
from genebank.io.spreadsheet import Sheet, column_letter

PROBLEM_COLUMN = "PROBLEMS"


def write_problem_report(sheet: Sheet, preview: ImportPreview, path: Path, *,
                         replace: bool = True) -> Path:
    """The report as ``path`` with the suffix .xlsx; an existing file is refused unless
    ``replace``, and the file being imported always is (it would be lost)."""
    path = report_path(path)
    by_row: dict[int | None, list[str]] = defaultdict(list)
    for problem in preview.problems():
        place = f"{problem.column}: " if problem.column else ""
        by_row[problem.row].append(f"{problem.severity.upper()} {place}{problem.message}")
    header_index = sheet.row_numbers.index(preview.header_row) if preview.header_row else 0
    headers = [str(h) if h not in (None, "") else column_letter(i + 1)
               for i, h in enumerate(sheet.rows[header_index])]
    keys = _unique([PROBLEM_COLUMN, *headers])
    # The first record names every column: the writer takes the headings from it.
    records: list[dict[str, object]] = [
        {keys[0]: "\n".join(by_row.get(preview.header_row, [])), **dict.fromkeys(keys[1:])}]
    for cells, number in zip(sheet.rows[header_index + 1:],
                             sheet.row_numbers[header_index + 1:], strict=True):
        record: dict[str, object] = {keys[0]: "\n".join(by_row.get(number, []))}
        for key, value in zip(keys[1:], cells, strict=False):
            record[key] = value
        records.append(record)
    return write_whole(path, lambda partial: xlsx_writer.write_worksheet(
        records, str(partial), sheet_name="Problems", freeze_row=1, bold_headers=True,
        column_widths={PROBLEM_COLUMN: 60}), overwrite=replace, inputs=(sheet.file,))


def report_path(path: Path) -> Path:
    """The file a report asked as ``path`` is written to: always a workbook (.xlsx)."""
    return Path(path).with_suffix(".xlsx")


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if not count else f"{name} ({count + 1})")
    return result

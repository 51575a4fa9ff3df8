"""The MCPD template workbook that technicians fill in Excel or LibreOffice and import back.

One column per descriptor headed by its MCPD code, text-formatted where Excel would mangle
values (dates such as 1975----, DMS such as 076----W, leading zeros, 20;30), drop-down lists
for coded columns, frozen header; a second sheet explains every descriptor and its codes.
Written with openpyxl, which does data validation and a small workbook well.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from genebank import countries, mcpd
from genebank.io.files import write_whole
from genebank.io.passport_export import NUMERIC_KINDS

TEMPLATE_ROWS = 5000  # rows prepared with formats and drop-downs
CODED = ("SAMPSTAT", "COLLSRC", "MLSSTAT", "STORAGE")
# Columns whose cell may hold more than the list offers (STORAGE 13;20): the list helps,
# a typed value is not refused by the spreadsheet (the import judges it).
TYPED_TOO = ("ORIGCTY", "STORAGE")
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def write_template(path: Path, *, replace: bool = True) -> Path:
    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        path = path.with_suffix(".xlsx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "MCPD"
    lists = workbook.create_sheet("Lists")
    _fill_lists(lists)
    guide = workbook.create_sheet("Descriptors")
    _fill_guide(guide)
    for column, descriptor in enumerate(mcpd.DESCRIPTORS, start=1):
        letter = get_column_letter(column)
        cell = sheet.cell(row=1, column=column, value=descriptor.code)
        cell.font = Font(bold=True)
        if descriptor.code in mcpd.REQUIRED:
            cell.fill = REQUIRED_FILL
        sheet.column_dimensions[letter].width = max(12, len(descriptor.code) + 4,
                                                    min(len(descriptor.hint), 40) * 0.6)
        if descriptor.kind not in NUMERIC_KINDS:  # Excel would turn 19750600 into a number
            sheet.column_dimensions[letter].number_format = "@"
        validation = _validation(descriptor.code)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
        cell.comment = Comment(f"{descriptor.label} (MCPD {descriptor.number})"
                               + (f"\n{descriptor.hint}" if descriptor.hint else ""), "Genebank")
    sheet.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    return write_whole(path, workbook.save, overwrite=replace)


def _fill_lists(lists: object) -> None:
    sheet = lists  # type: ignore[assignment]
    for column, code in enumerate(CODED, start=1):
        sheet.cell(row=1, column=column, value=code)
        for row, (value, meaning) in enumerate(mcpd.CODE_LISTS[code].items(), start=2):
            sheet.cell(row=row, column=column, value=f"{value} {meaning}")
    sheet.cell(row=1, column=len(CODED) + 1, value="ORIGCTY")
    for row, code in enumerate(countries.current_countries(), start=2):
        sheet.cell(row=row, column=len(CODED) + 1, value=code)


def _validation(code: str) -> DataValidation | None:
    if code in CODED:
        column = get_column_letter(CODED.index(code) + 1)
        size = len(mcpd.CODE_LISTS[code]) + 1
        source = f"=Lists!${column}$2:${column}${size}"
    elif code == "ORIGCTY":
        column = get_column_letter(len(CODED) + 1)
        source = f"=Lists!${column}$2:${column}${len(countries.current_countries()) + 1}"
    else:
        return None
    return DataValidation(type="list", formula1=source, allow_blank=True,
                          showErrorMessage=code not in TYPED_TOO, errorTitle=code,
                          error=f"Choose a {code} code from the list")


def _fill_guide(guide: object) -> None:
    sheet = guide  # type: ignore[assignment]
    headings = ("Code", "MCPD no.", "Descriptor", "Group", "Required", "How to write it",
                "Codes")
    for column, heading in enumerate(headings, start=1):
        sheet.cell(row=1, column=column, value=heading).font = Font(bold=True)
    for row, d in enumerate(mcpd.DESCRIPTORS, start=2):
        codes = mcpd.CODE_LISTS.get(d.code, {})
        values = (d.code, d.number, d.label, str(d.group),
                  "yes" if d.code in mcpd.REQUIRED else "", d.hint,
                  "\n".join(f"{c} {m}" for c, m in codes.items()))
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"
    for letter, width in zip("ABCDEFG", (16, 9, 34, 24, 9, 50, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

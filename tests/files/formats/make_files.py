"""How the files beside this script were made (run once by hand; the tests only read the
files). Needs openpyxl, xlwt and LibreOffice (``soffice``) on the PATH.

    python tests/files/formats/make_files.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

import xlwt
from openpyxl import Workbook

HERE = Path(__file__).parent
HEADERS = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACCENAME", "ACQDATE", "COLLDATE",
           "ELEVATION", "GERMINATION", "TOTAL", "ORIGCTY", "SAMPSTAT", "STORAGE"]
ROWS = [
    ["KAZ001", "KZ-1", "Triticum", "aestivum", "Пшеница озимая", "19980312",
     dt.date(1998, 3, 12), 528, 0.065, "=I2*2", "KAZ", 300, "13"],
    ["KAZ001", "KZ-2", "Hordeum", "vulgare", "شعير بلدي", "2001----",
     dt.date(2001, 7, 4), 1200.5, 0.9, "=I3*2", "SYR", 300, "13"],
    ["KAZ001", "KZ-3", "Zea", "mays", "Maïs précoce", "19751001",
     dt.date(1975, 10, 1), -12, 1, "=I4*2", "FRA", 500, "12"],
]
NOTES = [["Remarque", "Valeur"], ["Mission", "Sahel 1998"]]


def libreoffice_files() -> None:
    """A workbook with column A empty, a date column (DD/MM/YYYY), a percentage column, a
    formula column and a second sheet, saved by LibreOffice Calc as .xls and .ods."""
    book = Workbook()
    sheet = book.active
    sheet.title = "MCPD"
    for column, heading in enumerate(HEADERS, start=2):
        sheet.cell(1, column, heading)
    for row, values in enumerate(ROWS, start=2):
        for column, value in enumerate(values, start=2):
            sheet.cell(row, column, value)
        sheet.cell(row, 8).number_format = "DD/MM/YYYY"
        sheet.cell(row, 10).number_format = "0.0%"
    notes = book.create_sheet("Notes")
    for values in NOTES:
        notes.append(values)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "libreoffice.xlsx"
        book.save(source)
        for suffix in ("xls", "ods"):
            subprocess.run(["soffice", "--headless", "--convert-to", suffix, "--outdir",
                            folder, str(source)], check=True, capture_output=True)
            shutil.copy(Path(folder) / f"libreoffice.{suffix}", HERE)


def xlwt_file() -> None:
    """The same sheet written by xlwt, a BIFF8 writer of Excel 97's own shape (formulas
    without a cached value, as xlwt writes them)."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("MCPD")
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    percent = xlwt.easyxf(num_format_str="0.0%")
    for column, heading in enumerate(HEADERS, start=1):
        sheet.write(0, column, heading)
    for row, values in enumerate(ROWS, start=1):
        for column, value in enumerate(values, start=1):
            if column == 7:
                sheet.write(row, column, value, dates)
            elif column == 9:
                sheet.write(row, column, value, percent)
            elif isinstance(value, str) and value.startswith("="):
                sheet.write(row, column, xlwt.Formula(value[1:]))
            else:
                sheet.write(row, column, value)
    notes = book.add_sheet("Notes")
    for row, values in enumerate(NOTES):
        for column, value in enumerate(values):
            notes.write(row, column, value)
    book.save(str(HERE / "xlwt.xls"))


def mac_file() -> None:
    """An .xls in the 1904 date system (Excel for Mac before 2011): day 0 is 1904-01-01."""
    book = xlwt.Workbook(encoding="utf-8")
    book.dates_1904 = True
    sheet = book.add_sheet("MCPD")
    sheet.write(0, 0, "ACCENUMB")
    sheet.write(0, 1, "COLLDATE")
    sheet.write(1, 0, "KZ-1")
    sheet.write(1, 1, dt.date(1998, 3, 12), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    book.save(str(HERE / "xlwt_1904.xls"))


def text_files() -> None:
    """Text tables as Excel saves them: 'Unicode text' (UTF-16 LE with its BOM, tabs, CRLF),
    'CSV' in the computer's code page with the list separator of its language (a semicolon in
    Russian, Arabic and French Windows; decimal commas in French)."""
    table = [["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACCENAME", "ELEVATION",
              "STORAGE"],
             ["KAZ001", "KZ-1", "Triticum", "aestivum", "Пшеница озимая", "528", "13"],
             ["KAZ001", "KZ-2", "Hordeum", "vulgare", "Ячмень", "1200", "13"]]
    text = "\r\n".join("\t".join(row) for row in table) + "\r\n"
    (HERE / "excel_unicode.txt").write_bytes(text.encode("utf-16"))  # BOM, then LE
    (HERE / "russian_cp1251.csv").write_bytes(
        ("\r\n".join(";".join(row) for row in table) + "\r\n").encode("cp1251"))
    arabic = [["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACCENAME", "ELEVATION",
               "STORAGE"],
              ["SYR002", "SY-1", "Hordeum", "vulgare", "شعير بلدي", "350", "13"],
              ["SYR002", "SY-2", "Triticum", "durum", "قمح حوراني", "410", "13"]]
    (HERE / "arabic_cp1256.csv").write_bytes(
        ("\r\n".join(";".join(row) for row in arabic) + "\r\n").encode("cp1256"))
    french = [["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACCENAME", "ELEVATION",
               "DECLATITUDE", "STORAGE"],
              ["FRA010", "FR-1", "Zea", "mays", "Maïs précoce d'Île-de-France", "528,5",
               "48,8566", "13"],
              ["FRA010", "FR-2", "Beta", "vulgaris", "Betterave « Crapaudine »", "96",
               "49,25", "13"]]
    (HERE / "french_latin1.csv").write_bytes(
        ("\r\n".join(";".join(row) for row in french) + "\r\n").encode("latin-1"))


if __name__ == "__main__":
    libreoffice_files()
    xlwt_file()
    mac_file()
    text_files()

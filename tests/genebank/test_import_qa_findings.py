"""What a QA tester met importing passport files as users have them (issue 14, the QA
report's findings): each value is refused, read or said as a technician needs it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from genebank import db
from genebank.io.passport_preview import ImportPreview, preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.passport.passport_existing import mark_existing

TODAY = dt.date(2026, 11, 23)
HEADER = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACQDATE", "COLLDATE", "ORIGCTY",
          "SAMPSTAT", "MLSSTAT", "STORAGE", "DECLATITUDE", "DECLONGITUDE", "LATITUDE"]


def workbook(path: Path, header: list[str], *rows: list[object]) -> Path:
    """A sheet as Excel or LibreOffice saves it (openpyxl writes the same cell types)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Passport"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def row(**cells: object) -> list[object]:
    base: dict[str, object] = {"INSTCODE": "ESP004", "ACCENUMB": "BGE-1", "GENUS": "Zea",
                               "SPECIES": "mays", "ORIGCTY": "ESP", "SAMPSTAT": 300,
                               "MLSSTAT": 1, "STORAGE": 13}
    base.update(cells)
    return [base.get(code) for code in HEADER]


def judged(path: Path, tmp_path: Path, **options: object) -> ImportPreview:
    """The preview as the CLI and the wizard show it: every row judged, existing ones found."""
    preview = preview_passports(read_sheet(path), today=TODAY, **options)  # type: ignore[arg-type]
    database = db.open_database(db.sqlite_url(tmp_path / "t.sqlite"), user="tester")
    try:
        with database.session_factory() as session:
            mark_existing(session, preview, clear_blank=False)
    finally:
        database.close()
    return preview


def test_a_species_naming_another_genus_is_refused_on_its_cell(tmp_path: Path) -> None:
    """QA #1: GENUS Sorghum with SPECIES "Zea mays" is ambiguous: refused on the SPECIES cell
    naming both genera, the row not imported (it was stored as the epithet "Zea mays")."""
    path = workbook(tmp_path / "values.xlsx", HEADER,
                    row(ACCENUMB="C-5", GENUS="Sorghum", SPECIES="Zea mays"),
                    row(ACCENUMB="C-6", GENUS="Zea", SPECIES="Zea mays"))
    preview = judged(path, tmp_path)
    refused, split = preview.rows
    assert refused.status == "error" and "SPECIES" not in refused.values
    problem, = [p for p in refused.problems if p.field == "SPECIES"]
    assert (problem.severity, problem.code, problem.column) == ("error",
                                                                "species_other_genus", "D")
    assert "Zea" in problem.message and "Sorghum" in problem.message
    assert split.status == "warning" and split.values["SPECIES"] == "mays"

"""An import takes a catalogue as gene banks have it (issue 14, "Required" and "Warnings a
user can act on"): refused only without the Genesys identity, FAO's gaps warned once and
listed, the template's own values read silently, numbers never given a spurious ".0", and
former countries stored and exported in MCPD's three letters."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from genebank import db
from genebank.conservation import worklists
from genebank.conservation.worklists import WorkQuery
from genebank.io.passport_preview import ImportPreview, RowStatus, preview_passports
from genebank.io.passport_template import write_template
from genebank.io.spreadsheet import read_sheet
from genebank.passport import mcpd_export
from genebank.passport.accession_query import AccessionFilter, matching_ids
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import OnErrors, apply_import
from tests.sheets import workbook

TODAY = dt.date(2026, 11, 23)


def checked(database: db.Database, path: Path) -> ImportPreview:
    result = preview_passports(read_sheet(path), today=TODAY)
    with database.session_factory() as session:
        mark_existing(session, result, clear_blank=False)
    return result


def imported(database: db.Database, result: ImportPreview) -> None:
    with database.session_factory.begin() as session:
        apply_import(session, result, on_errors=OnErrors.SKIP_ROWS)


def exported(database: db.Database, path: Path) -> list[dict[str, str]]:
    with database.session_factory() as session:
        ids = matching_ids(session, AccessionFilter())
        mcpd_export.export_passports(session, path, ids)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    return [{h: ("" if v is None else v) for h, v in zip(rows[0], row, strict=True)}
            for row in rows[1:]]


def test_only_instcode_accenumb_and_genus_are_required(tmp_path: Path,
                                                        database: db.Database) -> None:
    """A Genesys download has no STORAGE and often no SAMPSTAT: its rows import, warned
    (not counted for SDG 2.5.1), and appear in the worklist of missing FAO reporting data;
    a row without GENUS is refused."""
    path = workbook(tmp_path / "genesys.xlsx", {"Sheet": [
        ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "SAMPSTAT", "STORAGE"],
        ["NOR017", "NGB17773", "Allium", "cepa", None, None],
        ["NOR017", "NGB1", "Hordeum", "vulgare", 300, None],
        ["NOR017", "NGB2", "Avena", "sativa", None, "13"],
        ["NOR017", "NGB3", "Secale", "cereale", 500, "13"],
        ["NOR017", "NGB4", None, "mays", 500, "13"]]})
    result = checked(database, path)
    statuses = [r.status for r in result.rows]
    assert statuses == [RowStatus.WARNING] * 3 + [RowStatus.OK, RowStatus.ERROR]
    assert [p.code for p in result.rows[0].problems] == ["recommended_empty",
                                                         "storage_empty_sdg"]
    assert "not counted for SDG 2.5.1" in result.rows[1].problems[0].message
    imported(database, result)
    query = WorkQuery(worklists.MISSING_FAO_DATA, TODAY)
    with database.session_factory() as session:
        assert worklists.count(session, query) == 3
        assert worklists.overview(session, today=TODAY)[worklists.MISSING_FAO_DATA] == 3
        items = worklists.page(session, query)
        by_taxon = worklists.page(session, WorkQuery(worklists.MISSING_FAO_DATA, TODAY,
                                                     order="taxon"))
        found = worklists.page(session, WorkQuery(worklists.MISSING_FAO_DATA, TODAY,
                                                  search="ngb17"))
    assert [(i.accenumb, i.reason) for i in items] == [
        ("NGB1", "no storage type (not counted for SDG 2.5.1)"),
        ("NGB17773", "no storage type (not counted for SDG 2.5.1) and no biological status"),
        ("NGB2", "no biological status (SAMPSTAT)")]
    assert [i.taxon for i in by_taxon] == ["Allium cepa", "Avena sativa", "Hordeum vulgare"]
    assert [i.accenumb for i in found] == ["NGB17773"]


def test_an_empty_column_fao_reporting_uses_is_said_once(tmp_path: Path,
                                                         database: db.Database) -> None:
    """SAMPSTAT and ACQDATE headed but empty on every row (spaces and non-breaking spaces
    count as empty): one warning for each column, none on the rows, even once the rows
    are judged again against the database."""
    path = workbook(tmp_path / "empty.xlsx", {"Sheet": [
        ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "SAMPSTAT", "ACQDATE",
         "ORIGCTY", "STORAGE", "MLSSTAT"],
        *([["KAZ001", f"KZ-{n}", "Triticum", "aestivum", blank, blank, "KAZ", "13",
            1] for n, blank in enumerate([None, "", "   ", "\xa0", "\u202f\xa0"])]),
        ["KAZ001", "KZ-9", "Triticum", None, None, None, "KAZ", "13", 1]]})
    result = checked(database, path)
    sheet = [(p.code, p.column, p.field) for p in result.sheet_problems
             if p.code == "fao_column_empty"]
    assert sheet == [("fao_column_empty", "E", "SAMPSTAT"), ("fao_column_empty", "F", "ACQDATE")]
    assert all(r.status is RowStatus.OK for r in result.rows[:-1])
    assert [(p.code, p.field) for p in result.rows[-1].problems] == [
        ("recommended_empty", "SPECIES")]  # a column with values elsewhere: said on its row


def test_the_templates_own_drop_down_values_read_silently(tmp_path: Path,
                                                          database: db.Database) -> None:
    """The template offers "300 Traditional cultivar/landrace" and "10 Seed collection":
    chosen from its lists, each is its code, with nothing to say; another wording is still
    said."""
    template = write_template(tmp_path / "template.xlsx")
    lists = load_workbook(template)["Lists"]
    choices = {lists.cell(1, c).value: [lists.cell(r, c).value
                                        for r in range(2, lists.max_row + 1)
                                        if lists.cell(r, c).value]
               for c in range(1, 5)}
    header = ["INSTCODE", "ACCENUMB", "GENUS", "SAMPSTAT", "COLLSRC", "MLSSTAT", "STORAGE"]
    rows = [["KAZ001", f"KZ-{n}", "Triticum", sampstat, collsrc, mls, storage]
            for n, (sampstat, collsrc, mls, storage) in enumerate(zip(
                choices["SAMPSTAT"], choices["COLLSRC"] * 2, choices["MLSSTAT"] * 7,
                [*choices["STORAGE"], "13 Long term;20 Field collection"] * 3,
                strict=False))]
    rows.append(["KAZ001", "KZ-99", "Triticum", "300 - landrace", "10", "1", "13"])
    result = checked(database, workbook(tmp_path / "filled.xlsx", {"Sheet": [header, *rows]}))
    first = result.rows[0].values
    assert (first["SAMPSTAT"], first["COLLSRC"], first["MLSSTAT"], first["STORAGE"]) == (
        100, 10, 0, [10])
    assert result.rows[len(choices["STORAGE"])].values["STORAGE"] == [13, 20]
    said = [(r.row, p.code) for r in result.rows for p in r.problems
            if p.code == "value_read_as"]
    assert said == [(len(rows) + 1, "value_read_as")]


def test_a_formula_without_a_calculated_value_is_said(tmp_path: Path) -> None:
    """A workbook written by a program keeps formulas uncalculated: read as empty, warned."""
    path = workbook(tmp_path / "formulas.xlsx", {"Sheet": [
        ["INSTCODE", "ACCENUMB", "GENUS", "ACCENAME"],
        ["KAZ001", "KZ-1", "Triticum", '=CONCATENATE("Aral","-",1)']]})
    row, = preview_passports(read_sheet(path), today=TODAY).rows
    assert "ACCENAME" not in row.values
    assert [(p.code, p.column, p.severity) for p in row.problems] == [
        ("formula_without_value", "D", "warning")]


def test_numbers_become_text_without_a_spurious_point_zero(tmp_path: Path,
                                                           database: db.Database) -> None:
    """Number cells (as Excel and LibreOffice save them) in ACCENUMB, COLLNUMB, DONORNUMB
    and ELEVATION, and "528.0" as a program writes it in a CSV: 1234 and 528 in the
    preview, the stored record and both exports, and nothing said about "528.0"."""
    book = workbook(tmp_path / "numbers.xlsx", {"Sheet": [
        ["INSTCODE", "ACCENUMB", "GENUS", "ELEVATION", "COLLNUMB", "DONORNUMB",
         "STORAGE"], ["KAZ001", 1234, "Triticum", 528, 77.0, 5, 13]]})
    text = tmp_path / "numbers.csv"
    text.write_text("INSTCODE,ACCENUMB,GENUS,ELEVATION,COLLNUMB,STORAGE\n"
                    "KAZ001,B-1,Zea,528.0,12,13.0\n", encoding="utf-8")
    from_book, = checked(database, book).rows
    from_text, = checked(database, text).rows
    assert (from_book.values["ACCENUMB"], from_book.values["COLLNUMB"],
            from_book.values["DONORNUMB"]) == ("1234", "77", "5")
    assert from_book.problems == [] and from_text.problems == []
    for result in (checked(database, book), checked(database, text)):
        imported(database, result)
    text_rows = exported(database, tmp_path / "out.csv")
    assert [(r["ACCENUMB"], r["ELEVATION"], r["COLLNUMB"]) for r in text_rows] == [
        ("1234", "528", "77"), ("B-1", "528", "12")]
    book_rows = exported(database, tmp_path / "out.xlsx")  # text as text, numbers as numbers
    assert [(r["ACCENUMB"], r["ELEVATION"], r["COLLNUMB"]) for r in book_rows] == [
        ("1234", 528, "77"), ("B-1", 528, "12")]


def test_former_countries_are_stored_and_exported_in_three_letters(
        tmp_path: Path, database: db.Database) -> None:
    """SUHH and YUCS in a file are stored SUN and YUG, and exported so: three letters, as
    Genesys and EURISCO read MCPD."""
    path = workbook(tmp_path / "ussr.xlsx", {"Sheet": [["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY"],
        ["SUN001", "VIR-1", "Triticum", "SUHH"],
        ["YUG003", "VIR-2", "Zea", "YUCS"], ["KAZ001", "VIR-3", "Avena", "BUR"]]})
    imported(database, checked(database, path))
    rows = exported(database, tmp_path / "out.csv")
    assert [(r["INSTCODE"], r["ORIGCTY"]) for r in rows] == [
        ("SUN001", "SUN"), ("YUG003", "YUG"), ("KAZ001", "MMR")]

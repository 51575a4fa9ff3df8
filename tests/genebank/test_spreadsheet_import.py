"""Importing MCPD spreadsheets: every value shape real files hold, and every bad input."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from genebank import db, mcpd
from genebank.io import passport_preview, passport_template, spreadsheet, workbook_container
from genebank.io.passport_preview import RowStatus, preview_passports
from genebank.io.spreadsheet import UnreadableFile, read_sheet
from genebank.models import Accession, ImportLog
from genebank.passport import accessions
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import ImportRefused, OnErrors, OnExisting, apply_import
from genebank.progress import Cancelled
from tests.sheets import workbook

TODAY = dt.date(2026, 11, 23)
HEADER = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ORIGCTY", "SAMPSTAT", "ACQDATE",
          "STORAGE", "ACCENAME"]
ROW = ["KAZ001", "KZ-1", "Triticum", "aestivum", "KAZ", 300, "19750612", "13", "Aral"]


def preview(path: Path, sheet: str | None = None) -> passport_preview.ImportPreview:
    return preview_passports(read_sheet(path, sheet), today=TODAY)


def problems(result: passport_preview.ImportPreview) -> list[str]:
    return [f"{p.row}{p.column or ''}:{p.severity}:{p.message}" for p in result.problems()]


def count(database: db.Database) -> int:
    with database.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Accession)) or 0


def run_import(database: db.Database, result: passport_preview.ImportPreview,
               **options: object) -> object:
    with database.session_factory.begin() as session:
        mark_existing(session, result)
        return apply_import(session, result, **options)  # type: ignore[arg-type]


# Template -----------------------------------------------------------------------------------

def test_template_filled_by_code_imports_back(tmp_path: Path, database: db.Database) -> None:
    """The template, filled in as a person would, imports without errors."""
    from openpyxl import load_workbook

    path = passport_template.write_template(tmp_path / "template.xlsx")
    book = load_workbook(path)
    sheet = book["MCPD"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["PUID", "INSTCODE", "ACCENUMB"]
    assert sheet.freeze_panes == "A2"
    validated = {headers[sheet[str(v.sqref).split(":")[0]].column - 1]
                 for v in sheet.data_validations.dataValidation}
    assert validated == {"SAMPSTAT", "COLLSRC", "MLSSTAT", "ORIGCTY", "STORAGE"}
    assert sheet.column_dimensions["P"].number_format == "@"  # ACQDATE stays text
    assert book["Lists"].sheet_state == "hidden"
    values = {"INSTCODE": "KAZ001", "ACCENUMB": "KZ-77", "GENUS": "Hordeum",
              "SPECIES": "vulgare", "ACQDATE": "1975----", "ORIGCTY": "KAZ",
              "SAMPSTAT": "300 Traditional cultivar/landrace", "STORAGE": "12;13",
              "LONGITUDE": "076----E", "MLSSTAT": "1 Yes (included)"}
    for code, value in values.items():
        sheet.cell(row=2, column=headers.index(code) + 1, value=value)
    book.save(path)
    result = preview(path)
    assert result.count(RowStatus.ERROR) == 0, problems(result)
    run_import(database, result)
    with database.session_factory() as session:
        found = accessions.find_accession_id(session, instcode="KAZ001", accenumb="KZ-77")
        v = accessions.get_passport(session, found).values  # type: ignore[arg-type]
    assert v["ACQDATE"] == "1975----" and v["SAMPSTAT"] == 300 and v["STORAGE"] == [12, 13]
    assert v["LONGITUDE"] == "076----E" and v["MLSSTAT"] == 1


# Value shapes -------------------------------------------------------------------------------

def test_values_in_every_shape_spreadsheets_hold(tmp_path: Path) -> None:
    """Excel dates, numbers as text, stray spaces, '; ' separators, 19750600 as a number."""
    rows = [HEADER,
            ["KAZ001", "A1", "Triticum", "aestivum", " kaz ", "300", dt.datetime(1975, 6, 12),
             "13; 20", "Aral;  Bogatyr"],
            ["KAZ001", "A2", "Triticum", "aestivum", "KAZ", 300.0, 19750600, 13, "Aral"],
            ["KAZ001", "A3", "Triticum", "aestivum", "KAZ", "300 ", "1975", "13 ;20", None]]
    result = preview(workbook(tmp_path / "shapes.xlsx", {"MCPD": rows}))
    first, second, third = result.rows
    assert first.values["ACQDATE"] == "19750612"
    assert first.values["ORIGCTY"] == "KAZ"
    assert first.values["STORAGE"] == [13, 20]
    assert first.values["ACCENAME"] == ["Aral", "Bogatyr"]
    assert second.values["SAMPSTAT"] == 300 and second.values["ACQDATE"] == "197506--"
    assert second.values["STORAGE"] == [13]
    assert third.values["ACQDATE"] == "1975----"
    assert all(r.status is not RowStatus.ERROR for r in result.rows), problems(result)
    notes = problems(result)
    assert any("2G:warning:a spreadsheet date, read as 19750612" in n for n in notes)
    assert any("2H:warning:'13; 20' read as '13;20'" in n for n in notes)


def test_excel_1904_date_system(tmp_path: Path) -> None:
    """A workbook using the 1904 date system gives the same dates."""
    def use_1904(book: Workbook) -> None:
        book.epoch = dt.datetime(1904, 1, 1)  # openpyxl's switch for the 1904 system

    rows = [HEADER, ["KAZ001", "A1", "Triticum", "x", "KAZ", 300, dt.date(1999, 12, 31), "13",
                     None]]
    result = preview(workbook(tmp_path / "mac.xlsx", {"MCPD": rows}, setup=use_1904))
    assert result.rows[0].values["ACQDATE"] == "19991231"


def test_formulas_use_their_cached_value_with_a_warning(tmp_path: Path) -> None:
    """A formula cell imports its last calculated value and is flagged."""
    path = tmp_path / "formula.xlsx"
    rows = [HEADER, ["KAZ001", "A1", "Triticum", "x", "KAZ", 300, "1975", "13", "Aral"]]
    workbook(path, {"MCPD": rows})
    _set_formula(path, "F2", "=200+100", "300")
    result = preview(path)
    assert result.rows[0].values["SAMPSTAT"] == 300
    assert any("2F:warning:a formula" in n for n in problems(result))


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_formula_cells_are_found_across_read_chunks(tmp_path: Path, chunk: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The sheet XML is scanned in pieces; formulas straddling two pieces are still found."""
    monkeypatch.setattr(workbook_container, "SCAN_CHUNK_BYTES", chunk)
    path = tmp_path / "formulas.xlsx"
    rows = [HEADER] + [["KAZ001", f"A{i}", "Triticum", "x", "KAZ", 300, "1975", "13", "Aral"]
                       for i in range(30)]
    workbook(path, {"MCPD": rows})
    for cell in ("F2", "F17", "F31", "A30"):
        _set_formula(path, cell, "=1", "300" if cell[0] == "F" else "KAZ001")
    assert read_sheet(path).formula_cells == {(2, 6), (17, 6), (31, 6), (30, 1)}


def _set_formula(path: Path, cell: str, formula: str, cached: str) -> None:
    """Write a formula with a cached value, as Excel saves it (openpyxl keeps no cache)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start) + 4
    xml = xml[:start] + f'<c r="{cell}"><f>{formula[1:]}</f><v>{cached}</v></c>' + xml[end:]
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_hidden_sheets_trailing_blanks_and_merged_headers(tmp_path: Path) -> None:
    """The first visible sheet is read; blank rows/columns and merged titles are skipped."""
    def decorate(book: Workbook) -> None:
        hidden = book.create_sheet("Old", 0)
        hidden.append(["nothing", "here"])
        hidden.sheet_state = "hidden"
        book["MCPD"].merge_cells("A1:C1")

    rows = [["Collection of the Institute of Plant Biology"], HEADER,
            ["KAZ001", "A1", "Triticum", "x", "KAZ", 300, "1975", "13", "Aral", None, None],
            [None] * 9, [None, None]]
    path = workbook(tmp_path / "messy.xlsx", {"MCPD": rows}, setup=decorate)
    assert [s.name for s in spreadsheet.list_sheets(path) if s.visible] == ["MCPD"]
    result = preview(path)
    assert result.sheet == "MCPD" and result.header_row == 2
    assert len(result.rows) == 1 and result.rows[0].row == 3
    assert any("headings are on row 2" in n for n in problems(result))


def test_a_sheet_starting_in_column_c_reports_the_real_columns(tmp_path: Path) -> None:
    """Columns A and B left empty: the problems name the columns the user sees."""
    book = Workbook()
    sheet = book.active
    sheet.title = "MCPD"
    for number, row in enumerate([HEADER, [*ROW[:4], "XXX", *ROW[5:]]], start=3):
        for offset, value in enumerate(row):
            sheet.cell(number, 3 + offset, value)
    book.save(tmp_path / "shifted.xlsx")
    result = preview(tmp_path / "shifted.xlsx")
    assert result.header_row == 3 and result.rows[0].row == 4
    assert result.rows[0].values["ACCENUMB"] == "KZ-1"
    [origin] = [p for p in result.rows[0].problems if p.field == "ORIGCTY"]
    assert (origin.row, origin.column, origin.severity) == (4, "G", "error")


def test_a_boolean_cell_is_not_taken_for_the_number_one(tmp_path: Path) -> None:
    """TRUE and 1 are equal in Python, yet each cell is read for what it holds: a boolean
    in a text column is refused, the number 1 is the name "1"."""
    rows = [HEADER, [*ROW[:-1], True], [*ROW[:1], "KZ-2", *ROW[2:-1], 1]]
    result = preview(workbook(tmp_path / "bool.xlsx", {"MCPD": rows}))
    assert [p.code for p in result.rows[0].problems if p.field == "ACCENAME"] == [
        "boolean_in_text"]
    assert result.rows[1].values["ACCENAME"] == ["1"]


def test_mixed_scripts_and_column_name_variants(tmp_path: Path) -> None:
    """Arabic, Cyrillic and Latin names survive; 'Accession number' etc. are recognised."""
    rows = [["Institute code", "Accession number", "Genus", "Species", "Country of origin",
             "Biological status", "Storage type", "Accession name"],
            ["KAZ001", "A1", "Triticum", "aestivum", "KAZ", 300, 13,
             "Казахстанская 10;قمح بلدي;Aral"]]
    result = preview(workbook(tmp_path / "names.xlsx", {"MCPD": rows}))
    assert result.rows[0].values["ACCENAME"] == ["Казахстанская 10", "قمح بلدي", "Aral"]
    assert result.rows[0].status is not RowStatus.ERROR


def test_csv_with_bom_and_semicolons(tmp_path: Path, database: db.Database) -> None:
    """A UTF-8 CSV (with a BOM, ';'-separated as European Excel writes) imports."""
    path = tmp_path / "list.csv"
    path.write_text("\ufeffINSTCODE;ACCENUMB;GENUS;STORAGE;ACCENAME\n"
                    "KAZ001;C-1;Hordeum;13;\"Ақ бидай\"\n", encoding="utf-8")
    result = preview(path)
    assert result.rows[0].values["ACCENAME"] == ["Ақ бидай"]
    run_import(database, result)
    assert count(database) == 1


def test_a_name_longer_than_its_column_is_refused_on_its_cell(tmp_path: Path,
                                                              database: db.Database) -> None:
    """A 300-character name among ACCENAME's names is refused on its cell at the check (each
    name is stored on its own, at most 200 characters): it neither sank the whole import on
    PostgreSQL ("value too long") nor was stored whole on SQLite. The cell as a whole may be
    longer, as long as each name fits; so may OTHERNUMB's numbers."""
    long_name = "Ақ бидай " * 34  # 306 characters, as pasted from a mission's notes
    fitting = ";".join(["x" * 150] * 3)  # 452 characters in all, each name 150
    path = tmp_path / "mission.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS,STORAGE,ACCENAME,OTHERNUMB\n"
                    f"KAZ001,L-1,Hordeum,13,{long_name.strip()},\n"
                    f"KAZ001,L-2,Hordeum,13,{fitting},KAZ001:{'9' * 250}\n"
                    f"KAZ001,L-3,Hordeum,13,{fitting},KAZ001:N-3\n", encoding="utf-8")
    result = preview(path)
    found = problems(result)
    assert any(p.startswith("2E:error:too long:") and "(at most 200 for each one)" in p
               for p in found), found
    assert any(p.startswith("3F:error:too long:") for p in found), found
    assert [row.status is RowStatus.ERROR for row in result.rows] == [True, True, False]
    run_import(database, result, on_errors=OnErrors.SKIP_ROWS)
    with database.session_factory() as session:
        assert session.scalars(select(Accession.accenumb)).all() == ["L-3"]

# Bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "message"), [
    (b"just some text", "not an Excel workbook"),
    (spreadsheet.OLE_MAGIC + b"\x00" * 600, "is damaged or incomplete"),
])
def test_files_that_are_not_workbooks(tmp_path: Path, content: bytes, message: str) -> None:
    """Not a spreadsheet, or an OLE compound file that is no workbook: a clear message
    naming the file."""
    path = tmp_path / "input.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_sheet(path)


def test_truncated_workbook(tmp_path: Path) -> None:
    """A workbook cut off in transfer is reported as damaged."""
    good = workbook(tmp_path / "good.xlsx", {"MCPD": [HEADER, ROW]})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(UnreadableFile, match=r"damaged|not an Excel workbook"):
        read_sheet(cut)


def test_zip_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """A member that expands a thousandfold is refused before it is decompressed."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 50_000_000 + b">")
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read_sheet(path)


def test_xml_bomb_is_refused(tmp_path: Path) -> None:
    """A part declaring entities (billion laughs) is refused without parsing it."""
    path = workbook(tmp_path / "laughs.xlsx", {"MCPD": [HEADER, ROW]})
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><sst/>')
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(UnreadableFile, match="document type declaration"):
        read_sheet(path)


def test_empty_sheet_and_missing_accession_number_column(tmp_path: Path) -> None:
    """An empty sheet and a sheet without ACCENUMB cannot be imported, and say why."""
    empty = preview(workbook(tmp_path / "empty.xlsx", {"MCPD": []}))
    assert not empty.can_import and "empty" in empty.sheet_problems[0].message
    no_number = preview(workbook(tmp_path / "nonumber.xlsx", {"MCPD": [["GENUS"], ["Triticum"]]}))
    assert not no_number.can_import
    assert any("accession number" in p.message for p in no_number.sheet_problems)


def test_huge_cells_control_characters_and_wide_sheets(tmp_path: Path) -> None:
    """A 1 MB cell is an error on its cell, a control character in a name is removed with
    a warning (in an accession number it is refused); 16,384 columns read."""
    def wide(book: Workbook) -> None:
        book["MCPD"].cell(row=1, column=16384, value="far right")

    rows = [HEADER, ["KAZ001", "A1", "Triticum", "x", "KAZ", 300, "1975", "13",
                     "x" * 32_000]]
    notes = problems(preview(workbook(tmp_path / "odd.xlsx", {"MCPD": rows}, setup=wide)))
    assert any("2I:error:too long: 32,000 characters" in n for n in notes)
    assert any("column(s) are not imported: XFD" in n for n in notes)
    path = tmp_path / "pasted.csv"  # control characters arrive in text files, not .xlsx
    path.write_text("ACCENUMB,GENUS,INSTCODE,STORAGE\nA2,Trit\x07icum,KAZ001,13\n"
                    "A3," + "y" * 1_048_576 + ",KAZ001,13\nA\u202e4,Hordeum,KAZ001,13\n",
                    encoding="utf-8")
    notes = problems(preview(path))
    assert "2B:warning:'Trit\\x07icum' read as 'Triticum'" in notes  # shown, not rung
    assert any("4A:error:contains an invisible control character (U+202E)" in n
               for n in notes)
    assert any("3B:error:too long: 1,048,576 characters" in n for n in notes)


def test_too_many_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet with more rows than an import takes is refused with the limit named."""
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 5)
    path = tmp_path / "many.csv"
    path.write_text("ACCENUMB\n" + "\n".join(f"A{i}" for i in range(10)), encoding="utf-8")
    with pytest.raises(UnreadableFile, match="more than 5 rows"):
        read_sheet(path)


def test_a_locked_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file Excel keeps open (Windows refuses to read it) gets a plain message."""
    path = workbook(tmp_path / "open.xlsx", {"MCPD": [HEADER, ROW]})

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise PermissionError(13, "locked")

    monkeypatch.setattr(spreadsheet.python_calamine.CalamineWorkbook, "from_path", refuse)
    with pytest.raises(UnreadableFile, match="open in another program"):
        read_sheet(path)


def test_same_accession_twice_in_a_file_is_an_error(tmp_path: Path) -> None:
    """The second row with the same INSTCODE + ACCENUMB is an error naming the first."""
    rows = [HEADER, ROW, [*ROW[:1], "kz-1", *ROW[2:]]]
    result = preview(workbook(tmp_path / "twice.xlsx", {"MCPD": rows}))
    assert result.rows[1].status is RowStatus.ERROR
    assert any("the same accession as row 2" in n for n in problems(result))


# Applying ----------------------------------------------------------------------------------

def test_update_or_skip_existing_accessions(tmp_path: Path, database: db.Database) -> None:
    """Existing accessions are skipped by default, updated when asked, refused on 'stop'."""
    path = workbook(tmp_path / "a.xlsx", {"MCPD": [HEADER, ROW]})
    run_import(database, preview(path))
    changed = workbook(tmp_path / "b.xlsx", {"MCPD": [HEADER, [*ROW[:4], "UZB", *ROW[5:]]]})
    summary = run_import(database, preview(changed))
    assert summary.skipped == 1 and "exists already" in summary.reasons[0]  # type: ignore[attr-defined]
    with pytest.raises(ImportRefused, match="exist already"):
        run_import(database, preview(changed), on_existing=OnExisting.STOP)
    summary = run_import(database, preview(changed), on_existing=OnExisting.UPDATE)
    assert summary.updated == 1  # type: ignore[attr-defined]
    with database.session_factory() as session:
        passport = accessions.get_passport(session, 1)
        logs = session.scalars(select(ImportLog).order_by(ImportLog.id)).all()
    assert passport.values["ORIGCTY"] == "UZB" and passport.version == 2
    assert [(log.created_count, log.updated_count, log.skipped_count) for log in logs] == \
        [(1, 0, 0), (0, 0, 1), (0, 1, 0)]


def test_rows_with_errors_import_nothing_or_are_skipped(tmp_path: Path,
                                                        database: db.Database) -> None:
    """By default one bad row stops the import; with 'skip' the good rows go in."""
    rows = [HEADER, ROW, ["KAZ001", "KZ-2", "", "x", "XYZ", 300, "1975", "13", None]]
    result = preview(workbook(tmp_path / "bad.xlsx", {"MCPD": rows}))
    with pytest.raises(ImportRefused, match="1 row"):
        run_import(database, result)
    assert count(database) == 0
    summary = run_import(database, result, on_errors=OnErrors.SKIP_ROWS)
    assert summary.created == 1 and "row 3: skipped" in summary.reasons[0]  # type: ignore[attr-defined]


class CancelAt:
    def __init__(self, at: int) -> None:
        self.at, self.seen = at, 0

    def report(self, done: int, total: int, text: str = "") -> None:
        self.seen = done

    def cancelled(self) -> bool:
        return self.seen >= self.at > 0


def test_cancel_and_failure_halfway_leave_the_database_unchanged(
        tmp_path: Path, sqlite_database: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancelled after the first batch, or failing in the second: nothing is kept."""
    from genebank.passport import passport_import

    monkeypatch.setattr(passport_import, "BATCH", 10)
    rows = [HEADER] + [[*ROW[:1], f"KZ-{i}", *ROW[2:]] for i in range(35)]
    result = preview(workbook(tmp_path / "many.xlsx", {"MCPD": rows}))
    with pytest.raises(Cancelled), sqlite_database.session_factory.begin() as session:
        mark_existing(session, result)
        apply_import(session, result, progress=CancelAt(10))
    assert count(sqlite_database) == 0
    calls = {"n": 0}
    original = passport_import._insert

    def failing(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(passport_import, "_insert", failing)
    with pytest.raises(OSError, match="disk full"), \
            sqlite_database.session_factory.begin() as session:
        apply_import(session, result)
    assert count(sqlite_database) == 0
    with sqlite_database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ImportLog)) == 0


def test_a_required_descriptor_without_a_column_refuses_new_rows(tmp_path: Path) -> None:
    """No GENUS column: the sheet can still update accessions that exist (a warning says
    so once); each row for a new accession is refused, naming the missing column."""
    def without_genus(row: list[object]) -> list[object]:
        return row[:2] + row[3:]
    rows = [without_genus(HEADER), without_genus(ROW), without_genus([*ROW[:1], "KZ-2",
                                                                      *ROW[2:]])]
    result = preview(workbook(tmp_path / "nogenus.xlsx", {"MCPD": rows}))
    assert result.can_import
    assert [(p.field, p.severity) for p in result.sheet_problems
            if p.field in mcpd.REQUIRED] == [("GENUS", "warning")]
    assert all(r.status is RowStatus.ERROR for r in result.rows)
    assert all(any("no GENUS column" in p.message for p in r.problems) for r in result.rows)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_first_rows_are_the_same_as_in_the_whole_sheet(tmp_path: Path, suffix: str) -> None:
    title = ["Collection of 2024", None]
    rows = [title, [], HEADER, *([*ROW[:1], f"KZ-{i}", *ROW[2:]] for i in range(500))]
    if suffix == ".xlsx":
        def setup(book: Workbook) -> None:
            sheet = book.active
            sheet["G5"] = dt.datetime(1975, 6, 12)  # an Excel date
            sheet["F6"] = "=100*3"  # a formula among the first rows
        path = workbook(tmp_path / "long.xlsx", {"MCPD": rows}, setup=setup)
    else:
        path = tmp_path / "long.csv"
        path.write_text("\n".join(",".join("" if v is None else str(v) for v in r)
                                  for r in rows), encoding="utf-8-sig")
    whole = read_sheet(path)
    top = read_sheet(path, first_rows=50)
    assert whole.complete and not top.complete
    assert top.rows == whole.rows[:50] and top.row_numbers == whole.row_numbers[:50]
    assert top.row_numbers[:2] == [1, 3]  # blank rows are skipped as in the whole read
    assert {cell for cell in whole.formula_cells if cell[0] <= top.row_numbers[-1]} \
        == top.formula_cells == ({(6, 6)} if suffix == ".xlsx" else set())
    short = read_sheet(path, first_rows=1000)
    assert short.complete and short.rows == whole.rows


def test_formula_and_percent_cells_are_found_across_every_chunk_boundary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sheet's XML is scanned in pieces: cells cut between two pieces are still found."""
    import openpyxl

    from genebank.io import spreadsheet

    path = tmp_path / "long.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Lot", "Moisture", "Sum"])
    for row in range(2, 302):
        sheet.append([f"L-{row}", 0.065, f"=B{row}*2" if row % 7 == 0 else 1])
        if row % 5 == 0:
            sheet.cell(row, 2).number_format = "0.0%"
    workbook.save(path)
    whole = spreadsheet.read_sheet(path)
    assert whole.formula_cells == {(row, 3) for row in range(2, 302) if row % 7 == 0}
    assert whole.percent_cells == {(row, 2) for row in range(2, 302) if row % 5 == 0}
    for size in (7, 64, 1000):
        monkeypatch.setattr(workbook_container, "SCAN_CHUNK_BYTES", size)
        pieces = spreadsheet.read_sheet(path)
        assert (pieces.formula_cells, pieces.percent_cells) == \
            (whole.formula_cells, whole.percent_cells)


def _percent_and_formula_workbook(path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Lot", "Moisture", "Sum"])
    for row in range(2, 302):
        sheet.append([f"L-{row}", 0.065, f"=B{row}*2" if row % 7 == 0 else 1])
        if row % 5 == 0:
            sheet.cell(row, 2).number_format = "0.0%"
    workbook.save(path)


def test_the_sheet_is_inflated_once_before_calamine_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The extent scan, the formula cells and the percentage cells come from one pass over
    the sheet's XML (each pass inflates the whole sheet: 137 MB for 100,000 MCPD rows)."""
    path = tmp_path / "marks.xlsx"
    _percent_and_formula_workbook(path)
    opened: list[str] = []
    open_part = zipfile.ZipFile.open

    def counting_open(archive: zipfile.ZipFile, name: object, *args: object,
                      **kwargs: object) -> object:
        opened.append(name if isinstance(name, str) else name.filename)  # type: ignore[attr-defined]
        return open_part(archive, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    sheet = read_sheet(path)
    assert opened.count("xl/worksheets/sheet1.xml") == 1
    assert sheet.formula_cells == {(row, 3) for row in range(2, 302) if row % 7 == 0}
    assert sheet.percent_cells == {(row, 2) for row in range(2, 302) if row % 5 == 0}


@pytest.mark.parametrize("size", [64, 1000, 1 << 20])
def test_cells_are_marked_once_when_the_scan_starts_again_on_its_slower_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """A cell written otherwise far down the sheet sends the scan back to its start, tag by
    tag: the formula and percentage cells are those of that whole second pass."""
    path = tmp_path / "irregular.xlsx"
    _percent_and_formula_workbook(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    assert xml.count(b'<c r="A290"') == 1
    parts["xl/worksheets/sheet1.xml"] = xml.replace(b'<c r="A290"', b"<c  r='A290'")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    monkeypatch.setattr(workbook_container, "SCAN_CHUNK_BYTES", size)
    sheet = read_sheet(path)
    assert sheet.rows[289][0] == "L-290"
    assert sheet.formula_cells == {(row, 3) for row in range(2, 302) if row % 7 == 0}
    assert sheet.percent_cells == {(row, 2) for row in range(2, 302) if row % 5 == 0}

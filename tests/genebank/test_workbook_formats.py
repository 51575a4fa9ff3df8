"""Excel 97-2003 (.xls) and LibreOffice (.ods) workbooks read as an .xlsx is: the files
LibreOffice Calc and an Excel 97 style writer (xlwt) save (tests/files/formats, made by
make_files.py there), and hostile ones built record by record, refused before calamine
allocates anything."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest

from genebank.io import spreadsheet
from genebank.io.passport_preview import RowStatus, preview_passports
from genebank.io.spreadsheet import UnreadableFile, list_sheets, read_sheet
from tests.genebank import hostile_xls
from tests.genebank.hostile_files import read_in_child

FILES = Path(__file__).parent.parent / "files" / "formats"
WORKBOOKS = ["libreoffice.xls", "libreoffice.ods", "xlwt.xls"]
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_real_workbook_reads_with_its_dates_scripts_and_columns(name: str) -> None:
    """Column A empty, so the headings start in B and are reported there; dates come out
    as dates; Cyrillic and Arabic text as written; both sheets listed."""
    path = FILES / name
    assert [(s.name, s.visible) for s in list_sheets(path)] == [("MCPD", True),
                                                                ("Notes", True)]
    sheet = read_sheet(path)
    assert sheet.name == "MCPD" and sheet.row_numbers == [1, 2, 3, 4] and sheet.complete
    header = sheet.rows[0]
    assert header[0] is None and header[1:3] == ["INSTCODE", "ACCENUMB"]
    first, second, third = sheet.rows[1:]
    assert first[5] == "Пшеница озимая" and second[5] == "شعير بلدي"
    assert third[5] == "Maïs précoce"
    assert [row[7] for row in sheet.rows[1:]] == [dt.date(1998, 3, 12), dt.date(2001, 7, 4),
                                                  dt.date(1975, 10, 1)]
    assert first[8] == 528 and second[8] == 1200.5
    assert read_sheet(path, "Notes").rows == [["Remarque", "Valeur"],
                                             ["Mission", "Sahel 1998"]]


@pytest.mark.parametrize("name", WORKBOOKS)
def test_formula_and_percentage_cells_are_found(name: str) -> None:
    """Column J is shown as a percentage (6.5 %, stored 0.065), column K holds formulas:
    both are found although calamine gives neither, so that a reader of percentages does
    not take 0.065 and an import says a formula's value was used."""
    sheet = read_sheet(FILES / name)
    assert sheet.percent_cells == {(2, 10), (3, 10), (4, 10)}
    assert sheet.formula_cells == {(2, 11), (3, 11), (4, 11)}
    assert sheet.rows[1][9] == 0.065


@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_real_workbook_imports_without_errors(name: str) -> None:
    """The passport preview takes every row, and names the real columns in its problems
    (column H for the dates: column A is empty)."""
    preview = preview_passports(read_sheet(FILES / name), today=TODAY)
    assert [row.status is not RowStatus.ERROR for row in preview.rows] == [True] * 3
    assert preview.rows[0].values["ACCENAME"] == ["Пшеница озимая"]
    assert preview.rows[1].values["ACCENAME"] == ["شعير بلدي"]
    dates = [p for p in preview.problems() if p.code == "spreadsheet_date_read"]
    assert dates and {p.column for p in dates} == {"H"}
    assert preview.rows[0].values["COLLDATE"] == "19980312"


def test_an_xls_in_the_1904_date_system_gives_the_same_dates() -> None:
    """Excel for Mac counted days from 1904: the date is the one the file shows."""
    assert read_sheet(FILES / "xlwt_1904.xls").rows[1] == ["KZ-1", dt.date(1998, 3, 12)]


def test_first_rows_of_an_xls_are_the_whole_sheet() -> None:
    """calamine parses an .xls whole when it opens it (65,536 rows at most): the
    preview's first rows are all of it, and say so."""
    for name in ("libreoffice.xls", "xlwt.xls"):
        top = read_sheet(FILES / name, first_rows=2)
        assert top.complete and len(top.rows) == 4


def test_first_rows_of_a_long_ods_come_from_a_cut_copy(tmp_path: Path) -> None:
    """The first rows of a long .ods are read from a copy holding only them (its other
    sheets left out), with the same values, formulas and percentages as the whole read;
    a sheet no longer than asked is read whole."""
    rows = "".join(
        f'<table:table-row><table:table-cell office:value-type="string"><text:p>KZ-{i}'
        f'</text:p></table:table-cell><table:table-cell office:value-type="percentage" '
        f'office:value="0.5"><text:p>50%</text:p></table:table-cell><table:table-cell '
        f'table:formula="of:=1+1" office:value-type="float" office:value="2"><text:p>2'
        f"</text:p></table:table-cell></table:table-row>" for i in range(300))
    path = _ods(tmp_path, "long.ods", rows)
    whole = read_sheet(path)
    for sheet in (None, "MCPD"):
        top = read_sheet(path, sheet, first_rows=10)
        assert not top.complete and top.name == "MCPD"
        assert top.rows == whole.rows[:10] and top.row_numbers == list(range(1, 11))
        assert top.percent_cells == {(r, 2) for r in range(1, 11)}
        assert top.formula_cells == {(r, 3) for r in range(1, 11)}
    assert whole.complete and len(whole.rows) == 300
    short = read_sheet(FILES / "libreoffice.ods", first_rows=10)
    assert short.complete and len(short.rows) == 4
    notes = read_sheet(FILES / "libreoffice.ods", "Notes", first_rows=1)
    assert notes.rows == [["Remarque", "Valeur"]] and not notes.complete


def test_a_workbook_whose_name_lies_is_read_as_what_it_is(tmp_path: Path) -> None:
    """An .ods or .xls saved under an .xlsx name, an .xlsx under an .xls name, a tab
    separated export named .xls: each read as what its bytes are."""
    shutil.copy(FILES / "libreoffice.ods", tmp_path / "really_ods.xlsx")
    shutil.copy(FILES / "xlwt.xls", tmp_path / "really_xls.xlsx")
    for path in (tmp_path / "really_ods.xlsx", tmp_path / "really_xls.xlsx"):
        assert read_sheet(path).rows[1][2] == "KZ-1"
    xlsx = tmp_path / "really.xls"
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["ACCENUMB", "GENUS"])
    book.active.append(["KZ-9", "Avena"])
    book.save(xlsx)
    assert read_sheet(xlsx).rows == [["ACCENUMB", "GENUS"], ["KZ-9", "Avena"]]
    text = tmp_path / "export.xls"
    text.write_text("ACCENUMB\tGENUS\r\nKZ-8\tSecale\r\n", encoding="utf-8")
    sheet = read_sheet(text)
    assert sheet.rows == [["ACCENUMB", "GENUS"], ["KZ-8", "Secale"]]
    assert (sheet.encoding, sheet.delimiter) == ("utf-8", "\t")


@pytest.mark.parametrize(("content", "code"), [
    (b"<html><body><table><tr><td>ACCENUMB</td></tr></table></body></html>", "xls_is_html"),
    (b'\xef\xbb\xbf<!DOCTYPE html>\n<html xmlns:x="urn:schemas-microsoft-com:office:excel">'
     b"<table><tr><td>ACCENUMB</td></tr></table></html>", "xls_is_html"),
    ('<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n<Workbook '
     'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="A"/>'
     "</Workbook>".encode("utf-16"), "xls_is_xml"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
     b'spreadsheet"></Workbook>', "xls_is_xml"),
])
def test_a_web_page_or_xml_named_xls_is_refused_as_what_it_is(
        tmp_path: Path, content: bytes, code: str) -> None:
    """'Excel' exports of web systems (HTML tables, Excel 2003 XML, in UTF-8 or UTF-16)
    are refused with their own code, never read as text full of tags."""
    path = tmp_path / "grin_export.xls"
    path.write_bytes(content)
    for read in (read_sheet, list_sheets):
        with pytest.raises(UnreadableFile) as refused:
            read(path)
        assert refused.value.code == code and "grin_export.xls" in str(refused.value)


def _xls(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_workbook_built_by_hand_reads_as_calamine_reads_it(tmp_path: Path) -> None:
    """The hostile files below differ from this one only in what they test."""
    path = _xls(tmp_path, "plain.xls", hostile_xls.xls(
        {"MCPD": [hostile_xls.number(0, 0, 1), hostile_xls.number(1, 1, 2),
                  hostile_xls.formula(2, 0, 2), hostile_xls.number(3, 0, 0.5, xf=16)]},
        percent_xf=True))
    sheet = read_sheet(path)
    assert sheet.rows == [[1.0], ["", 2.0], [2.0], [0.5]]
    assert sheet.formula_cells == {(3, 1)} and sheet.percent_cells == {(4, 1)}


@pytest.mark.parametrize(("sheets", "options", "code"), [
    ({"MCPD": [hostile_xls.number(0, 0, 1), hostile_xls.number(65535, 255, 2)]}, {},
     "too_many_cells"),
    ({"MCPD": [hostile_xls.number(0, 0, 1), hostile_xls.number(3, 16000, 2)]}, {},
     "beyond_grid"),
    ({"MCPD": [hostile_xls.number(0, 0, 1)]}, {"filepass": True}, "encrypted"),
])
def test_hostile_xls_files_are_refused_before_calamine(
        tmp_path: Path, sheets: dict[str, list[bytes]], options: dict[str, bool],
        code: str) -> None:
    """A few kilobytes asking calamine for 16.7 million cells (or, at column 16,001 where
    Excel 97 stops at 256, for more), or a password: refused with a code, in a child whose
    memory is limited so that an attempt to allocate would kill it."""
    path = _xls(tmp_path, "hostile.xls", hostile_xls.xls(sheets, **options))
    result = read_in_child([path], memory=1024**3)[str(path)]
    assert result.get("code") == code, result


def test_an_encrypted_xlsx_is_refused_as_encrypted(tmp_path: Path) -> None:
    """Excel saves a password-protected .xlsx as a compound file with an encrypted
    package: it says so, under either name."""
    data = hostile_xls.compound_file({"EncryptionInfo": b"\x04\x00" * 2048,
                                      "EncryptedPackage": b"\x00" * 4096})
    for name in ("secret.xlsx", "secret.xls"):
        with pytest.raises(UnreadableFile) as refused:
            read_sheet(_xls(tmp_path, name, data))
        assert refused.value.code == "encrypted"


@pytest.mark.parametrize("cut", [600, 2000, 5000, 6000])
def test_a_truncated_or_damaged_xls_is_refused_as_damaged(tmp_path: Path, cut: int) -> None:
    """Cut in transfer anywhere, or only a compound file's signature: 'damaged'."""
    data = (FILES / "libreoffice.xls").read_bytes()[:cut]
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(_xls(tmp_path, "cut.xls", data))
    assert refused.value.code in ("damaged", "not_a_workbook")
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(_xls(tmp_path, "ole.xls", spreadsheet.OLE_MAGIC + b"\x00" * 600))
    assert refused.value.code == "damaged"


def _ods(tmp_path: Path, name: str, table: str, *, manifest: bytes | None = None,
         head: str = "", hidden: bool = False) -> Path:
    """libreoffice.ods with the first sheet's table replaced by ``table`` (the XML inside
    ``<table:table>``); with ``hidden``, that sheet hidden as LibreOffice hides one."""
    with zipfile.ZipFile(FILES / "libreoffice.ods") as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    content = parts["content.xml"].decode()
    start = content.index('<table:table table:name="MCPD"')
    end = content.index("</table:table>", start) + len("</table:table>")
    style = ' table:style-name="hidden"' if hidden else ""
    content = (head + content[:start] + f'<table:table table:name="MCPD"{style}>' + table
               + "</table:table>" + content[end:])
    if hidden:
        content = content.replace(
            "</office:automatic-styles>", '<style:style style:name="hidden" style:family='
            '"table"><style:table-properties table:display="false"/></style:style>'
            "</office:automatic-styles>", 1)
    parts["content.xml"] = content.encode()
    if manifest is not None:
        parts["META-INF/manifest.xml"] = manifest
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


VALUE = ('<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
         "</table:table-cell>")


@pytest.mark.parametrize(("table", "code"), [
    ('<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
     'office:value-type="float" office:value="1" table:number-columns-repeated="16384">'
     "<text:p>1</text:p></table:table-cell></table:table-row>", "too_many_cells"),
    (f"<table:table-row>{VALUE}</table:table-row><table:table-row table:number-rows-"
     f'repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/>'
     f'</table:table-row><table:table-row><table:table-cell table:number-columns-repeated='
     f'"16383"/>{VALUE}</table:table-row>', "too_many_cells"),
    ('<table:table-row table:number-rows-repeated="6001"><table:table-cell '
     'table:number-columns-repeated="2000" office:value-type="float" office:value="1">'
     "<text:p>1</text:p></table:table-cell></table:table-row>", "too_many_cells"),
    ('<table:table-row table:number-rows-repeated="6000"><table:table-cell '
     'table:number-columns-repeated="2000" office:value-type="float" office:value="1">'
     "<text:p>1</text:p></table:table-cell></table:table-row>", "workbook_too_many_cells"),
    (f'<table:table-row table:number-rows-repeated="2000000">{VALUE}</table:table-row>',
     "beyond_grid"),
    (f"<table:table-row><table:table-cell><table:table table:name='inner'>"
     f"<table:table-row>{VALUE}</table:table-row></table:table></table:table-cell>"
     f"</table:table-row>", "damaged"),
    ('<table:table-row table:number-rows-repeated="1000"><table:table-cell><text:p>'
     "<![CDATA[</table:table-row>]]></text:p></table:table-cell><table:table-cell "
     'table:number-columns-repeated="16000" office:value-type="float" office:value="1"/>'
     "</table:table-row>", "damaged"),
    ('<table:table-row table:number-rows-repeated="1000"><!-- </table:table-row> -->'
     '<table:table-cell table:number-columns-repeated="16000" office:value-type="float" '
     'office:value="1"/></table:table-row>', "damaged"),
])
def test_hostile_ods_files_are_refused_before_calamine(tmp_path: Path, table: str,
                                                       code: str) -> None:
    """Rows and cells repeated past the grid or the cell limit (12 million cells from a
    few kilobytes: calamine's own limit is 100 million, 3 GB), and a table inside a cell,
    refused in a child whose memory is limited. calamine parses every sheet when it opens
    the file: 12 million cells in this sheet and 4 in the next are too many too. A row's
    end written inside CDATA or a comment, which would hide 16 million cells from the
    scan, is refused (no spreadsheet program writes either inside a sheet)."""
    path = _ods(tmp_path, "hostile.ods", table)
    result = read_in_child([path], memory=1024**3)[str(path)]
    assert result.get("code") == code, result


def test_empty_repeats_as_libreoffice_writes_them_cost_nothing(tmp_path: Path) -> None:
    """LibreOffice ends a sheet with a million empty rows of 16,384 empty cells, written
    as one repeated row: that is no data, and the sheet reads."""
    path = _ods(tmp_path, "tail.ods", f"<table:table-row>{VALUE}</table:table-row>"
                '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
                'table:number-columns-repeated="16384"/></table:table-row>')
    assert read_sheet(path).rows == [[1.0]]


def test_a_comment_before_the_sheets_is_harmless(tmp_path: Path) -> None:
    with zipfile.ZipFile(FILES / "libreoffice.ods") as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["content.xml"] = parts["content.xml"].replace(
        b"?>", b"?><!-- written by a database export -->", 1)
    path = tmp_path / "commented.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    assert read_sheet(path).rows[1][2] == "KZ-1"


def test_an_ods_with_a_doctype_or_encrypted_is_refused(tmp_path: Path) -> None:
    """An entity declaration (an XML bomb's start) in content.xml, and an encrypted file
    (its manifest says so)."""
    bomb = _ods(tmp_path, "bomb.ods", f"<table:table-row>{VALUE}</table:table-row>",
                head='<!DOCTYPE x [<!ENTITY a "aaaa">]>')
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(bomb)
    assert refused.value.code == "doctype"
    secret = _ods(tmp_path, "secret.ods", f"<table:table-row>{VALUE}</table:table-row>",
                  manifest=b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                           b'opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                           b'manifest:full-path="content.xml"><manifest:encryption-data/>'
                           b"</manifest:file-entry></manifest:manifest>")
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(secret)
    assert refused.value.code == "encrypted"


def test_an_ods_marks_the_first_visible_sheet_and_repeated_formulas(tmp_path: Path) -> None:
    """A formula cell repeated over two columns and two rows marks all four cells."""
    path = _ods(tmp_path, "repeat.ods",
                '<table:table-row><table:table-cell office:value-type="string">'
                "<text:p>ACCENUMB</text:p></table:table-cell></table:table-row>"
                '<table:table-row table:number-rows-repeated="2"><table:table-cell/>'
                '<table:table-cell table:number-columns-repeated="2" table:formula='
                '"of:=1+1" office:value-type="float" office:value="2"><text:p>2</text:p>'
                "</table:table-cell></table:table-row>")
    sheet = read_sheet(path)
    assert sheet.rows == [["ACCENUMB"], [None, 2.0, 2.0], [None, 2.0, 2.0]] or \
        sheet.rows == [["ACCENUMB"], ["", 2.0, 2.0], ["", 2.0, 2.0]]
    assert sheet.formula_cells == {(2, 2), (2, 3), (3, 2), (3, 3)}


def test_sheets_are_listed_as_calamine_lists_them_without_reading_cells(
        tmp_path: Path) -> None:
    """A file page lists an .xls's or .ods's sheets from their records or tags, at once
    (calamine would parse every cell); hidden sheets are said hidden, as calamine says,
    and a sheet too large to read is still listed (reading it is refused)."""
    import python_calamine

    xls = _xls(tmp_path, "hidden.xls", hostile_xls.xls(
        {"MCPD": [hostile_xls.number(0, 0, 1)], "Old": [hostile_xls.number(0, 0, 2)],
         "Huge": [hostile_xls.number(0, 0, 1), hostile_xls.number(65535, 255, 2)]},
        hidden=frozenset({"Old"})))
    ods = _ods(tmp_path, "hidden.ods", f"<table:table-row>{VALUE}</table:table-row>",
               hidden=True)
    for path in (xls, ods, FILES / "libreoffice.ods", FILES / "xlwt.xls"):
        listed = [(s.name, s.visible) for s in list_sheets(path)]
        if path != xls:  # calamine would refuse the huge sheet when it opens the file
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            assert listed == [(m.name, m.visible == python_calamine.SheetVisibleEnum.Visible)
                              for m in book.sheets_metadata]
    assert [(s.name, s.visible) for s in list_sheets(xls)] == [
        ("MCPD", True), ("Old", False), ("Huge", True)]
    assert [(s.name, s.visible) for s in list_sheets(ods)] == [("MCPD", False),
                                                              ("Notes", True)]
    assert read_sheet(ods).name == "Notes"  # the first visible sheet
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(xls, "MCPD")
    assert refused.value.code == "too_many_cells" and refused.value.params["sheet"] == "Huge"


def test_an_empty_sheet_written_as_one_tag_is_read(tmp_path: Path) -> None:
    """``<table:table table:name="Empty"/>`` is a sheet without rows, not a table that
    holds the next one."""
    path = _ods(tmp_path, "empty.ods", f"<table:table-row>{VALUE}</table:table-row>"
                '</table:table><table:table table:name="Empty"/><table:table '
                'table:name="Last"><table:table-row>' + VALUE + "</table:table-row>")
    assert [s.name for s in list_sheets(path)] == ["MCPD", "Empty", "Last", "Notes"]
    assert read_sheet(path, "Last").rows == [[1.0]]
    assert read_sheet(path, "Empty", first_rows=5).rows == []


def test_sheets_pointing_at_one_another_cannot_hide_cells(tmp_path: Path) -> None:
    """Six sheets whose records all start at one long sheet's: the records are walked
    within a budget (four times the stream), and when it runs out the file is refused,
    never read with a sheet's cells left unmeasured."""
    sheets = {"S0": [hostile_xls.number(row, 0, 1) for row in range(3000)],
              **{f"S{i}": [] for i in range(1, 6)}}
    data = bytearray(hostile_xls.workbook_stream(sheets))
    first, at = None, 0
    while at + 4 <= len(data):  # every BOUNDSHEET made to point at the first sheet's BOF
        kind = int.from_bytes(data[at:at + 2], "little")
        length = int.from_bytes(data[at + 2:at + 4], "little")
        if kind == 0x0085:
            first = first or int.from_bytes(data[at + 4:at + 8], "little")
            data[at + 4:at + 8] = first.to_bytes(4, "little")
        elif kind == 0x000A:
            break
        at += 4 + length
    path = _xls(tmp_path, "loops.xls", hostile_xls.compound_file({"Workbook": bytes(data)}))
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(path)
    assert refused.value.code == "damaged"

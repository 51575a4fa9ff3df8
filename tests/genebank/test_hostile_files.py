"""Hostile spreadsheet files: whatever a file holds, reading it ends in a sheet or in a
message naming the file (and sheet), never a traceback or an allocation that kills the
process."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from genebank.io import sheet_extent, spreadsheet
from genebank.io.spreadsheet import UnreadableFile, list_sheets, read_sheet
from tests.genebank.hostile_files import (
    HEADER_ROW,
    MAIN,
    read_in_child,
    replace_parts,
    sheet_xml,
    write_workbook,
)

FAR = "1048576"
# Each places a value far from A1 (the header), however the cell is written: calamine
# builds the whole rectangle from A1 to it, 32 bytes a cell.
FAR_CELLS = {
    "xfd": f'<row r="{FAR}"><c r="XFD{FAR}"><v>1</v></c></row>',
    "z": f'<row r="{FAR}"><c r="Z{FAR}"><v>1</v></c></row>',
    "lower_case": f'<row r="{FAR}"><c r="z{FAR}"><v>1</v></c></row>',
    "leading_zero": f'<row r="{FAR}"><c r="Z0{FAR}"><v>1</v></c></row>',
    "counted_position": f'<row r="{FAR}"><c r="Y{FAR}"><v>1</v></c><c><v>2</v></c></row>',
    "counted_row": '<row r="1048575"></row><row><c r="Z1"><v>1</v></c><c><v>2</v></c></row>',
    "other_attribute_order": f'<row r="{FAR}"><c t="n" r="Z{FAR}"><v>1</v></c></row>',
    "single_quotes": f"<row r='{FAR}'><c r='Z{FAR}'><v>1</v></c></row>",
    "newline_in_tag": f'<row r="{FAR}"><c\nr="Z{FAR}"><v>1</v></c></row>',
    "prefixed_cell": f'<row r="{FAR}"><x:c r="Z{FAR}"><x:v>1</x:v></x:c></row>',
    "out_of_order": f'<row r="2"><c r="A2"><v>1</v></c><c r="Z{FAR}"><v>1</v></c>'
                    '<c r="B2"><v>1</v></c></row>',
}


def test_cells_far_from_a1_are_refused_before_the_reader_allocates(tmp_path: Path) -> None:
    """A tiny workbook with a value at XFD1048576 or Z1048576 (however the cell is written,
    and whatever <dimension> says) is refused by name; the reader never allocates the
    grid (the child has 1 GB of address space, a grid to Z1048576 needs 0.9 GB)."""
    paths = [write_workbook(tmp_path / f"{name}.xlsx", sheet_xml(HEADER_ROW + cells))
             for name, cells in FAR_CELLS.items()]
    prefixed = tmp_path / "prefixed_sheet.xlsx"
    write_workbook(prefixed, sheet_xml(
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        f'<x:row r="{FAR}"><x:c r="Z{FAR}"><x:v>1</x:v></x:c></x:row>', prefix="x:"))
    results = read_in_child([*paths, prefixed])
    for path in [*paths, prefixed]:
        result = results[str(path)]
        assert result.get("code") == "too_many_cells", (path.name, result)
        assert f"'{path.name}'" in str(result["message"])
        assert "sheet 'MCPD'" in str(result["message"])
    assert "XFD1048576" in str(results[str(paths[0])]["message"])


def test_a_cell_past_the_grid_is_refused(tmp_path: Path) -> None:
    """References past XFD1048576 (which calamine reads, wrapping or allocating 38 GB) are
    refused as damaged."""
    paths = [write_workbook(tmp_path / f"past{n}.xlsx", sheet_xml(HEADER_ROW + row))
             for n, row in enumerate([
                 '<row r="2"><c r="A99999999999"><v>1</v></c></row>',
                 '<row r="2"><c r="XFE2"><v>1</v></c></row>',
                 '<row r="2"><c r="AAAAAAAA2"><v>1</v></c></row>',
                 '<row r="2"><c t="n" r="A4294967297"><v>1</v></c></row>'])]
    results = read_in_child(paths)
    for path in paths:
        assert results[str(path)]["code"] in ("beyond_grid", "bad_reference"), \
            results[str(path)]


def test_sheets_people_have_still_read(tmp_path: Path) -> None:
    """The scan lets through what spreadsheet programs write: a sheet starting at C5, a
    value in column XFD of row 1, formulas, cells without references, the x: prefix."""
    book = Workbook()
    sheet = book.active
    sheet.title = "MCPD"
    sheet["C5"] = "ACCENUMB"
    sheet["C6"] = "KZ-1"
    sheet["XFD1"] = "far right"
    sheet["D6"] = "=1+1"
    book.save(tmp_path / "openpyxl.xlsx")
    read = read_sheet(tmp_path / "openpyxl.xlsx")
    assert read.row_numbers == [1, 5, 6] and (6, 4) in read.formula_cells
    positional = write_workbook(tmp_path / "positional.xlsx", sheet_xml(
        '<row><c t="inlineStr"><is><t>ACCENUMB</t></is></c><c><v>2</v></c></row>'
        '<row><c t="inlineStr"><is><t>KZ-1</t></is></c></row>'))
    assert read_sheet(positional).rows == [["ACCENUMB", 2.0], ["KZ-1"]]
    prefixed = write_workbook(tmp_path / "prefixed.xlsx", sheet_xml(
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>ACCENUMB</x:t></x:is></x:c>'
        '</x:row>', prefix="x:"))
    assert read_sheet(prefixed).rows == [["ACCENUMB"]]


def test_the_limit_counts_the_rectangle_not_the_values(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two values at A1 and J100 span 1,000 cells: refused under a 999-cell limit, with the
    rows and columns named; read under 1,000."""
    path = write_workbook(tmp_path / "two.xlsx", sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="100"><c r="J100"><v>1</v></c></row>'))
    monkeypatch.setattr(sheet_extent, "MAX_SHEET_CELLS", 999)
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(path)
    assert refused.value.code == "too_many_cells"
    assert refused.value.params["rows"] == 100 and refused.value.params["columns"] == 10
    assert "100 rows x 10 columns (A1 to J100)" in str(refused.value)
    monkeypatch.setattr(sheet_extent, "MAX_SHEET_CELLS", 1000)
    assert len(read_sheet(path).rows) == 2


def test_the_preview_of_the_first_rows_is_bounded_too(tmp_path: Path) -> None:
    """The preview reads a cut copy of the sheet: a far cell in its first rows is refused
    there as well."""
    path = write_workbook(tmp_path / "top.xlsx", sheet_xml(
        HEADER_ROW + f'<row r="2"><c r="A2"><v>1</v><c r="XFD{FAR}"><v>1</v></c></c></row>'
        + "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(3, 300))))
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(path, first_rows=50)
    assert refused.value.code == "too_many_cells"


# Malformed files -----------------------------------------------------------------------------

def _openpyxl_workbook(path: Path) -> Path:
    book = Workbook()
    book.active.title = "MCPD"
    book.active.append(["ACCENUMB", "GENUS"])
    book.active.append(["KZ-1", "Triticum"])
    book.save(path)
    return path


def test_a_folder_given_as_a_file(tmp_path: Path) -> None:
    """A folder named like a spreadsheet is refused by name, for workbooks and CSV."""
    for name in ("folder.xlsx", "folder.csv"):
        (tmp_path / name).mkdir()
        with pytest.raises(UnreadableFile) as refused:
            read_sheet(tmp_path / name)
        assert refused.value.code == "folder" and name in str(refused.value)
        with pytest.raises(UnreadableFile):
            list_sheets(tmp_path / name)


def test_cells_pointing_past_the_shared_strings(tmp_path: Path) -> None:
    """A cell naming shared string 99 of a table of one is a damaged sheet, said by name."""
    path = write_workbook(tmp_path / "strings.xlsx", sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>99</v></c></row>'), parts={
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}" count="1" '
                                'uniqueCount="1"><si><t>ACCENUMB</t></si></sst>'})
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(path)
    assert refused.value.code == "sheet_damaged"
    assert "sheet 'MCPD' of 'strings.xlsx'" in str(refused.value)


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "docProps/custom", "xl/styles.xml",
                                  "xl/worksheets/sheet1.xml"])
def test_a_doctype_anywhere_in_any_part_is_refused(tmp_path: Path, part: str) -> None:
    """A DOCTYPE after 10 kB of a part, in a part of any name (the sheet itself too), is
    refused before any parser sees it."""
    good = _openpyxl_workbook(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as archive:
        original = archive.read(part) if part in archive.namelist() else b"<x/>"
    declaration = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    head, _, rest = original.partition(b"?>")
    hostile = (head + b"?>" + b"<!--" + b" " * 10_000 + b"-->" + declaration + rest
               if rest else b" " * 10_000 + declaration + original)
    path = replace_parts(good, tmp_path / "doctype.xlsx", {part: hostile})
    with pytest.raises(UnreadableFile, match="document type declaration") as refused:
        read_sheet(path)
    # a worksheet's is found by the sheet scan, another part's when the file is opened
    assert refused.value.code == ("doctype" if part.startswith("xl/worksheets/")
                                  else "file_doctype")


def test_a_damaged_sheet_inside_an_intact_zip(tmp_path: Path) -> None:
    """A sheet whose compressed bytes are damaged (the zip's directory intact) is said to
    be damaged, naming the file."""
    good = _openpyxl_workbook(tmp_path / "good.xlsx")
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 5, start + info.compress_size - 5, 7):
        data[offset] ^= 0x5A
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFile, match="damaged") as refused:
        read_sheet(path)
    assert "damaged.xlsx" in str(refused.value)


def test_a_part_twice_in_the_zip_is_refused(tmp_path: Path) -> None:
    """A zip holding two parts of one name (a reader may take either) is refused."""
    path = write_workbook(tmp_path / "twice.xlsx", sheet_xml(HEADER_ROW))
    with zipfile.ZipFile(path, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("xl/worksheets/sheet1.xml",
                         sheet_xml(HEADER_ROW + f'<row r="{FAR}"><c r="Z{FAR}"><v>1</v></c>'
                                   "</row>"))
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(path)
    assert refused.value.code == "duplicate_part"


def test_a_sheet_part_the_relationships_do_not_name_plainly(tmp_path: Path) -> None:
    """A relationship target written with a leading slash and odd case still gets the
    sheet measured before it is read."""
    path = write_workbook(tmp_path / "target.xlsx", "", parts={
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org'
            '/officeDocument/2006/relationships/worksheet" '
            'Target="/xl/worksheets/Sheet2.xml"/></Relationships>'),
        "xl/worksheets/Sheet2.xml": sheet_xml(HEADER_ROW + f'<row r="{FAR}"><c r="Z{FAR}">'
                                              "<v>1</v></c></row>")})
    results = read_in_child([path])
    assert results[str(path)].get("code") == "too_many_cells", results


@pytest.mark.parametrize(("content", "code"), [
    (b"", None),
    (b"ACCENUMB\x00,GENUS\nKZ-1,Triticum\n", "not_text"),
    ("ACCENUMB;GENUS\nKZ-1;Trit\u00edcum\n".encode("cp1252"), "text_encoding_unknown"),
    (b"ACCENUMB," + b"," * 20_000 + b"\n", "too_many_columns"),
    (b'ACCENUMB\n"unterminated' + b"x" * (spreadsheet.MAX_CELL_CHARS * 64 + 10), "bad_csv"),
])
def test_hostile_csv_files(tmp_path: Path, content: bytes, code: str | None) -> None:
    """Empty, binary, non-UTF-8, 20,000 columns wide, a runaway quote: a sheet or a coded
    refusal naming the file."""
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    if code is None:
        assert read_sheet(path).rows == []
        return
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(path)
    assert refused.value.code == code and "input.csv" in str(refused.value)


def test_a_csv_larger_than_the_limit_is_refused_unread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CSV larger than the limit is refused from its size, before it is read."""
    monkeypatch.setattr(spreadsheet, "MAX_CSV_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text("ACCENUMB\n" + "KZ-1\n" * 300, encoding="utf-8")
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(path)
    assert refused.value.code == "csv_too_large"

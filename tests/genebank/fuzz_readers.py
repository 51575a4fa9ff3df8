"""Fuzzing every file reader with mutated real-shaped workbooks (.xlsx, .xls, .ods) and text
tables (.csv, .tsv, .txt in every encoding people's programs write).

Run by ``test_fuzz_readers.py`` in a child process whose address space is limited, so that
an unbounded allocation kills the child (and fails the test) instead of the test run. Each
reader must return a sheet (and its previews must judge it) or refuse the file with
``UnreadableFile``; any other exception is a failure Hypothesis shrinks and prints.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import rustpy_xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from genebank.io import headings, passport_template, test_sheet
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import UnreadableFile, list_sheets, read_sheet
from tests.genebank import hostile_xls

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=90,
                    suppress_health_check=list(HealthCheck))
TODAY = dt.date(2026, 11, 26)
WORK = Path(tempfile.mkdtemp(prefix="genebank-fuzz-"))
FILES = Path(__file__).parent.parent / "files" / "formats"
READ: Counter[str] = Counter()  # sheets read by suffix: a fuzz that is only refused tests little


def _seeds() -> dict[str, bytes]:
    """Small workbooks as people have them: the MCPD template filled in with openpyxl, a
    sheet written by XlsxWriter's Rust port (shared strings, numbers), the tests
    template."""
    seeds = {}
    template = passport_template.write_template(WORK / "template.xlsx")
    book = load_workbook(template)
    sheet = book["MCPD"]
    headers = [c.value for c in sheet[1]]
    for number in range(3):
        row = {"INSTCODE": "KAZ001", "ACCENUMB": f"KZ-{number}", "GENUS": "Triticum",
               "SPECIES": "aestivum", "ACQDATE": "1975----", "ORIGCTY": "KAZ",
               "SAMPSTAT": 300, "STORAGE": "13", "ELEVATION": 850.5,
               "ACCENAME": "Ак бидай; \u0645\u06cc\u200c\u0634\u0648\u062f"}
        sheet.append([row.get(str(h)) for h in headers])
    sheet["Z2"] = "=1+1"
    filled = io.BytesIO()
    book.save(filled)
    seeds["openpyxl"] = filled.getvalue()
    records = [{"INSTCODE": "KAZ001", "ACCENUMB": f"B-{i}", "GENUS": "Hordeum",
                "SPECIES": "vulgare", "ELEVATION": 100.0 + i, "SAMPSTAT": "300",
                "REMARKS": "COLLSRC:village"} for i in range(4)]
    rustpy_xlsxwriter.write_worksheet(records, str(WORK / "xlsxwriter.xlsx"), sheet_name="MCPD")
    seeds["xlsxwriter"] = (WORK / "xlsxwriter.xlsx").read_bytes()
    seeds["tests"] = test_sheet.write_template(WORK / "tests.xlsx").read_bytes()
    return seeds


SEEDS = _seeds()
XML_BYTES = st.sampled_from([b"<", b">", b"/", b'"', b"=", b" ", b"r=", b"c", b"v", b"t",
                             b"A", b"Z", b"XFD", b"1048576", b"9", b"0", b"-", b"\x00",
                             b"\xff", b"<!DOCTYPE x>", b"<c r=\"A1\">", b"</c>", b"<row>",
                             b"</row>", b"&#0;", b"&lt;", b"]]>", b"<![CDATA[", b"\n"])


def _read_everything(path: Path) -> None:
    """Every reader over the file; only ``UnreadableFile`` may come out. A text file
    refused for its encoding is read again in its first candidate, as a person would."""
    try:
        list_sheets(path)
    except UnreadableFile as refused:
        assert refused.code and str(refused)
    for first_rows in (None, 3):
        try:
            sheet = read_sheet(path, first_rows=first_rows)
        except UnreadableFile as refused:
            assert refused.code and str(refused)
            if refused.code != "text_encoding_unknown":
                return
            encoding = refused.params["candidates"][0]["encoding"]  # type: ignore[index]
            try:
                sheet = read_sheet(path, first_rows=first_rows, encoding=encoding)
            except UnreadableFile as again:
                assert again.code and str(again)
                return
        READ[path.suffix] += 1
        preview_passports(sheet, today=TODAY)
        headers = sheet.rows[0] if sheet.rows else []
        for kind in test_sheet.KINDS:
            test_sheet.read_rows(sheet, headings.suggest_mapping(headers, kind), kind)


def _write(name: str, data: bytes) -> Path:
    path = WORK / name
    path.write_bytes(data)
    return path


@SETTINGS
@given(seed=st.sampled_from(sorted(SEEDS)), edits=st.lists(st.tuples(
    st.floats(0, 1), st.integers(0, 255), st.sampled_from(["flip", "cut", "insert"])),
    min_size=1, max_size=6))
def fuzz_workbook_bytes(seed: str, edits: list[tuple[float, int, str]]) -> None:
    """The .xlsx file's own bytes flipped, cut or extended (a damaged download)."""
    data = bytearray(SEEDS[seed])
    for where, value, how in edits:
        at = int(where * (len(data) - 1))
        if how == "flip":
            data[at] ^= value or 1
        elif how == "cut":
            del data[at:]
        else:
            data[at:at] = bytes([value]) * (value % 7 + 1)
        if not data:
            break
    _read_everything(_write("bytes.xlsx", bytes(data)))


@SETTINGS
@given(seed=st.sampled_from(sorted(SEEDS)), member=st.integers(0, 50), data=st.data())
def fuzz_workbook_parts(seed: str, member: int, data: st.DataObject) -> None:
    """One XML part of the workbook (sheet, shared strings, workbook, styles, relations)
    edited with XML-shaped pieces, then zipped again: the reader sees well-compressed
    nonsense."""
    with zipfile.ZipFile(io.BytesIO(SEEDS[seed])) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    names = sorted(parts)
    name = names[member % len(names)]
    part = bytearray(parts[name])
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(part)))
        span = data.draw(st.integers(0, 12))
        part[at:at + span] = data.draw(XML_BYTES)
    parts[name] = bytes(part)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, content in parts.items():
            archive.writestr(part_name, content)
    _read_everything(_write("parts.xlsx", out.getvalue()))


CELL = st.one_of(st.text(max_size=12), st.sampled_from(
    ["300", "KAZ001", "1e308", "NaN", "inf", "-0", "9223372036854775808", "6,5", "=1+1",
     "\u202eKZ", "\x1b[2J", "1975----", "\u0661\u0662", "ACCENUMB", "Lot number", ""]))


@SETTINGS
@given(rows=st.lists(st.lists(CELL, max_size=6), max_size=6),
       delimiter=st.sampled_from([",", ";", "\t", "|"]),
       quoting=st.sampled_from(["minimal", "all", "broken"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
       header=st.sampled_from([["INSTCODE", "ACCENUMB", "GENUS"], ["Lot number",
                               "Date tested", "Seeds sown", "Normal seedlings"], []]))
def fuzz_csv_text(rows: list[list[str]], delimiter: str, quoting: str, encoding: str,
                  header: list[str]) -> None:
    """CSV files as programs write them: any delimiter, quoting (or a quote left open),
    encoding and cells."""
    def cell(text: str) -> str:
        if quoting == "all" or (quoting == "minimal" and any(c in text for c in
                                                             f'"{delimiter}\n\r')):
            return '"' + text.replace('"', '""') + '"'
        return text + ('"' if quoting == "broken" else "")

    lines = [delimiter.join(map(cell, row)) for row in ([header] if header else []) + rows]
    text = "\r\n".join(lines)
    _read_everything(_write("text.csv", text.encode(encoding, errors="replace")))


@SETTINGS
@given(data=st.binary(max_size=400))
def fuzz_csv_bytes(data: bytes) -> None:
    """Any bytes at all under a .csv name."""
    _read_everything(_write("bytes.csv", data))


OLD_SEEDS = {name: (FILES / name).read_bytes()
             for name in ("libreoffice.xls", "xlwt.xls", "libreoffice.ods")}


def _workbook_stream(data: bytes) -> tuple[int, int]:
    """Where the Workbook stream of an .xls lies in the file (its sectors are contiguous in
    these seeds): mutations aimed there reach the BIFF records, not only the OLE tables."""
    start = data.find(b"\x09\x08\x10\x00\x00\x06")  # the globals' BOF record
    return (start, len(data)) if start > 0 else (0, len(data))


@SETTINGS
@given(seed=st.sampled_from(sorted(OLD_SEEDS)), edits=st.lists(st.tuples(
    st.floats(0, 1), st.integers(0, 255), st.sampled_from(["flip", "cut", "insert", "word"]),
    st.booleans()), min_size=1, max_size=6))
def fuzz_old_workbook_bytes(seed: str, edits: list[tuple[float, int, str, bool]]) -> None:
    """.xls and .ods files as LibreOffice and xlwt write them, bytes flipped, cut, extended
    or overwritten with a 16-bit number (a BIFF record's type, length, row or column),
    mostly inside the records."""
    data = bytearray(OLD_SEEDS[seed])
    low, high = _workbook_stream(bytes(data)) if seed.endswith(".xls") else (0, len(data))
    for where, value, how, inside in edits:
        span = (low, min(high, len(data))) if inside else (0, len(data))
        at = span[0] + int(where * max(0, span[1] - span[0] - 1))
        if at >= len(data):
            continue
        if how == "flip":
            data[at] ^= value or 1
        elif how == "cut":
            del data[at:]
        elif how == "word":
            data[at:at + 2] = (value * 257).to_bytes(2, "little")
        else:
            data[at:at] = bytes([value]) * (value % 7 + 1)
        if not data:
            break
    _read_everything(_write(seed, bytes(data)))


ODS_PIECES = st.sampled_from([
    b"<", b">", b"/", b'"', b" ", b"\x00", b"\xff", b"<!DOCTYPE x>",
    b'table:number-rows-repeated="1048577"', b'table:number-columns-repeated="99999999"',
    b'table:number-columns-repeated="0"', b'table:number-rows-repeated="-3"',
    b"<table:table-row>", b"</table:table-row>", b"<table:table-cell/>",
    b'<table:table table:name="X">', b"</table:table>", b'office:value-type="percentage"',
    b'table:formula="of:=1"', b'office:value-type="date" office:date-value="1998-13-45"',
    b'office:value-type="float" office:value="1e999"', b"<text:p>", b"</text:p>",
    b"<table:covered-table-cell/>"])


@SETTINGS
@given(member=st.sampled_from(["content.xml", "META-INF/manifest.xml", "styles.xml",
                               "mimetype"]), data=st.data())
def fuzz_ods_parts(member: str, data: st.DataObject) -> None:
    """One part of a LibreOffice .ods edited with ODS-shaped pieces (repeats far past the
    grid, nested tables, odd values), then zipped again."""
    with zipfile.ZipFile(io.BytesIO(OLD_SEEDS["libreoffice.ods"])) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    part = bytearray(parts[member])
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(part)))
        span = data.draw(st.integers(0, 12))
        part[at:at + span] = data.draw(ODS_PIECES)
    parts[member] = bytes(part)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, content in parts.items():
            archive.writestr(part_name, content)
    _read_everything(_write("parts.ods", out.getvalue()))


@SETTINGS
@given(cells=st.lists(st.tuples(st.one_of(st.integers(0, 70), st.integers(0, 65_535)),
                                st.one_of(st.integers(0, 30), st.integers(0, 65_535)),
                                st.sampled_from(["number", "formula"])), max_size=5),
       filepass=st.booleans(), percent=st.booleans())
def fuzz_xls_cells(cells: list[tuple[int, int, str]], filepass: bool, percent: bool) -> None:
    """An .xls built record by record with cells anywhere in (and past) Excel 97's grid."""
    records = [hostile_xls.number(r, c, 1.5, xf=16 if percent else 15) if kind == "number"
               else hostile_xls.formula(r, c, 2.0) for r, c, kind in cells]
    data = hostile_xls.xls({"MCPD": records}, filepass=filepass, percent_xf=percent)
    _read_everything(_write("cells.xls", data))


TEXT_CELL = st.one_of(CELL, st.sampled_from(["Пшеница", "شعير", "Maïs", "« x »", "528,5"]))


@SETTINGS
@given(rows=st.lists(st.lists(TEXT_CELL, max_size=5), max_size=5),
       delimiter=st.sampled_from([",", ";", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                 "cp1251", "cp1256", "latin-1", "cp1252"]),
       suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xls"]))
def fuzz_text_encodings(rows: list[list[str]], delimiter: str, encoding: str,
                        suffix: str) -> None:
    """Text tables with Cyrillic, Arabic and French cells in every encoding Excel and
    databases write, with or without a byte-order mark, under every text suffix (and .xls,
    as web systems name their exports)."""
    lines = [delimiter.join(row) for row in [["INSTCODE", "ACCENUMB", "GENUS"], *rows]]
    text = "\r\n".join(lines)
    _read_everything(_write(f"text{suffix}", text.encode(encoding, errors="replace")))


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".tsv", ".txt", ".xls", ".ods"]))
def fuzz_any_bytes(data: bytes, suffix: str) -> None:
    """Any bytes at all under every other suffix."""
    _read_everything(_write(f"bytes{suffix}", data))


def run() -> None:
    for fuzz in (fuzz_workbook_bytes, fuzz_workbook_parts, fuzz_csv_text, fuzz_csv_bytes,
                 fuzz_old_workbook_bytes, fuzz_ods_parts, fuzz_xls_cells,
                 fuzz_text_encodings, fuzz_any_bytes):
        fuzz()
    unread = {".xlsx", ".xls", ".ods", ".csv", ".tsv", ".txt"} - set(READ)
    assert not unread, f"no fuzzed file of {sorted(unread)} was ever read: {READ}"
    print("fuzzed", dict(READ), flush=True)

"""Fuzzing every file reader with mutated real-shaped workbooks and CSV files.

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
from pathlib import Path

import rustpy_xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from genebank.io import headings, passport_template, test_sheet
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import UnreadableFile, read_sheet

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=90,
                    suppress_health_check=list(HealthCheck))
TODAY = dt.date(2026, 11, 26)
WORK = Path(tempfile.mkdtemp(prefix="genebank-fuzz-"))


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
    """Every reader over the file; only ``UnreadableFile`` may come out."""
    for first_rows in (None, 3):
        try:
            sheet = read_sheet(path, first_rows=first_rows)
        except UnreadableFile as refused:
            assert refused.code and str(refused)
            return
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


def run() -> None:
    for fuzz in (fuzz_workbook_bytes, fuzz_workbook_parts, fuzz_csv_text, fuzz_csv_bytes):
        fuzz()
    print("fuzzed", flush=True)

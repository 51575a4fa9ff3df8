"""Text tables (.csv, .tsv, .txt) in the encodings and with the delimiters people's programs
write: read directly when the encoding is certain (UTF-8, a byte-order mark), otherwise
refused with the candidate encodings and their first lines, and read again with the one
chosen; never mojibake. The files of tests/files/formats are made by make_files.py there."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from genebank import cli
from genebank.io import text_sheet
from genebank.io.spreadsheet import UnreadableFile, list_sheets, read_sheet

FILES = Path(__file__).parent.parent / "files" / "formats"


def test_excel_unicode_text_reads_directly() -> None:
    """Excel's 'Unicode text': UTF-16 LE with its byte-order mark, tabs, CRLF."""
    sheet = read_sheet(FILES / "excel_unicode.txt")
    assert (sheet.encoding, sheet.delimiter) == ("utf-16", "\t")
    assert sheet.rows[1][:5] == ["KAZ001", "KZ-1", "Triticum", "aestivum", "Пшеница озимая"]
    assert list_sheets(FILES / "excel_unicode.txt")[0].name == "excel_unicode"


@pytest.mark.parametrize(("name", "encoding", "expected"), [
    ("russian_cp1251.csv", "cp1251", "Пшеница озимая"),
    ("arabic_cp1256.csv", "cp1256", "شعير بلدي"),
    ("french_latin1.csv", "latin-1", "Maïs précoce d'Île-de-France"),
])
def test_a_code_page_file_asks_with_candidates_then_reads(
        name: str, encoding: str, expected: str) -> None:
    """Windows-1251, Windows-1256, Latin-1: refused with each candidate's first lines
    (the right one among them, each encoding once), then read with the one chosen; the
    semicolon is found and the decimal commas are left for the value reader."""
    for read in (read_sheet, list_sheets):
        with pytest.raises(UnreadableFile) as refused:
            read(FILES / name)
        assert refused.value.code == "text_encoding_unknown"
    candidates = refused.value.params["candidates"]
    names = [c["encoding"] for c in candidates]
    assert len(names) == len(set(names)) and names[-3:] != []
    assert {"cp1251", "cp1256", "iso8859-1"} <= set(names)
    right = next(c for c in candidates if c["encoding"] == codecs.lookup(encoding).name)
    assert any(expected in line for line in right["lines"])
    assert not any(expected in line for c in candidates if c is not right
                   for line in c["lines"])
    sheet = read_sheet(FILES / name, encoding=encoding)
    assert sheet.rows[1][4] == expected
    assert (sheet.encoding, sheet.delimiter) == (codecs.lookup(encoding).name, ";")
    if name.startswith("french"):
        assert sheet.rows[1][5:7] == ["528,5", "48,8566"]


def test_a_wrong_or_unknown_encoding_is_refused() -> None:
    """A file that is not in the encoding given, and a name that is no text encoding."""
    with pytest.raises(UnreadableFile) as refused:
        read_sheet(FILES / "russian_cp1251.csv", encoding="utf-8")
    assert refused.value.code == "text_not_in_encoding"
    assert refused.value.params["byte"] > 0
    for name in ("klingon", "rot13", "zlib"):
        with pytest.raises(UnreadableFile) as refused:
            read_sheet(FILES / "russian_cp1251.csv", encoding=name)
        assert refused.value.code == "unknown_encoding"


@pytest.mark.parametrize(("content", "encoding"), [
    ("ACCENUMB,GENUS\r\nKZ-1,Пшеница\r\n".encode("utf-8-sig"), "utf-8-sig"),
    ("ACCENUMB\tGENUS\nKZ-1\tПшеница\n".encode("utf-16-be"), None),
    (codecs.BOM_UTF16_BE + "ACCENUMB;GENUS\nKZ-1;Пшеница\n".encode("utf-16-be"), "utf-16"),
    ("ACCENUMB|GENUS\nKZ-1|Пшеница\n".encode(), "utf-8"),
])
def test_utf8_and_byte_order_marks_read_directly(tmp_path: Path, content: bytes,
                                                 encoding: str | None) -> None:
    """UTF-8 (with or without its mark) and UTF-16 with its mark are certain; UTF-16
    without a mark is valid UTF-8 full of NUL characters and is asked about."""
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    if encoding is None:
        with pytest.raises(UnreadableFile) as refused:
            read_sheet(path)
        assert refused.value.code in ("text_encoding_unknown", "not_text")
        assert read_sheet(path, encoding="utf-16-be").rows[1] == ["KZ-1", "Пшеница"]
        return
    sheet = read_sheet(path)
    assert sheet.rows == [["ACCENUMB", "GENUS"], ["KZ-1", "Пшеница"]]
    assert sheet.encoding == encoding


@pytest.mark.parametrize(("text", "suffix", "delimiter"), [
    ('ACCENUMB,GENUS,REMARKS\nKZ-1,Triticum,"sown; 1998"\nKZ-2,Zea,"a ""b"""\n', ".csv", ","),
    ("ACCENUMB;GENUS;ELEVATION\nKZ-1;Triticum;528,5\nKZ-2;Zea;1200,25\n", ".csv", ";"),
    ("ACCENUMB\tGENUS\tREMARKS\nKZ-1\tTriticum\ta, b; c\n", ".tsv", "\t"),
    ("ACCENUMB|GENUS|REMARKS\nKZ-1|Triticum|a, b\nKZ-2|Zea|c; d\n", ".txt", "|"),
    ("ACCENUMB\nKZ-1\nKZ-2\n", ".csv", ","),
    ("ACCENUMB\nKZ-1\nKZ-2\n", ".txt", "\t"),
])
def test_the_delimiter_is_detected(tmp_path: Path, text: str, suffix: str,
                                   delimiter: str) -> None:
    """Comma, semicolon (with decimal commas, as French Excel writes), tab, pipe: the one
    that cuts every line into the same cells; a one-column file keeps its suffix's."""
    path = tmp_path / f"list{suffix}"
    path.write_text(text, encoding="utf-8")
    sheet = read_sheet(path)
    assert sheet.delimiter == delimiter
    assert len({len(row) for row in sheet.rows}) == 1


def test_candidates_never_include_an_encoding_the_file_cannot_be_in() -> None:
    """Windows-1251 has no character for byte 0x98: a file holding one is never offered
    as Windows-1251."""
    raw = "ACCENUMB;NAME\nKZ-1;Maïs\n".encode("latin-1") + b"\x98\n"
    found = [c.encoding for c in text_sheet.candidates(raw)]
    assert "cp1251" not in found and "iso8859-1" in found


def test_the_cli_lists_the_candidates_then_reads_with_encoding(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --encoding: exit 2 with each candidate's first lines; with it, the file is
    read, and the encoding and delimiter used are printed."""
    database = tmp_path / "g.sqlite"
    assert cli.main(["--database", str(database), "init"]) == 0
    capsys.readouterr()
    path = FILES / "russian_cp1251.csv"
    assert cli.main(["--database", str(database), "import-mcpd", str(path),
                     "--dry-run"]) == 2
    error = capsys.readouterr().err
    assert "--encoding cp1251:" in error and "Пшеница озимая" in error
    assert "Ïøåíèöà" in error  # the Latin-1 reading is shown for what it is
    assert cli.main(["--database", str(database), "import-mcpd", str(path), "--dry-run",
                     "--encoding", "cp1251"]) == 0
    out = capsys.readouterr().out
    assert "as cp1251 text, semicolon-separated" in out
    assert "2 rows checked: 0 with errors" in out
    assert cli.main(["--database", str(database), "import-tests", str(path),
                     "--encoding", "cp1251", "--dry-run"]) == 1  # no test columns
    assert "as cp1251 text, semicolon-separated" in capsys.readouterr().out

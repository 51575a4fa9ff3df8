"""The command line given hostile input, run as a person runs it (a real process): exit 2
and one plain line for a file it cannot read, 1 and one plain line otherwise; never a
traceback, a driver's parameters, or a raw control character on the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from genebank import cli
from tests.genebank.hostile_files import HEADER_ROW, sheet_xml, write_workbook


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database made once for the module (in this process: each CLI run costs seconds)."""
    path = str(tmp_path_factory.mktemp("cli") / "g.sqlite")
    assert cli.main(["--database", path, "init"]) == 0
    return path


def genebank(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("GENEBANK_DEBUG", "GENEBANK_DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "genebank.cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=environment)


def one_plain_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "[SQL:" not in result.stderr
    return lines[0]


def test_a_port_that_is_not_a_number(tmp_path: Path) -> None:
    """postgresql://h:abc/db is said to be no database address (the password hidden), not
    a ValueError traceback."""
    result = genebank("--database", "postgresql://me:secret@h:abc/db", "stats", cwd=tmp_path)
    assert result.returncode == 1
    line = one_plain_line(result)
    assert "port" in line and "secret" not in line and "me@h:abc" in line


def test_unreadable_files_exit_2_with_one_line(tmp_path: Path, database: str) -> None:
    """A folder, a truncated workbook and a workbook with a cell at XFD1048576 given to
    import-mcpd or import-tests: exit 2, one line naming the file."""
    (tmp_path / "folder.xlsx").mkdir()
    far = write_workbook(tmp_path / "far.xlsx", sheet_xml(
        HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(far.read_bytes()[:200])
    for path, command in ((tmp_path / "folder.xlsx", "import-mcpd"), (far, "import-tests"),
                          (cut, "import-mcpd")):
        result = genebank("--database", database, command, str(path), cwd=tmp_path)
        assert result.returncode == 2, (path.name, result.stderr)
        assert path.name in one_plain_line(result)


def test_control_characters_from_a_file_are_escaped_on_the_terminal(
        tmp_path: Path, database: str) -> None:
    """A file (hence sheet) name and an accession number holding an escape sequence and a
    bidi override are reported with them escaped: no raw ESC or U+202E reaches the
    terminal."""
    path = tmp_path / "evil\x1b[2J\u202e.csv"
    path.write_text("INSTCODE,ACCENUMB,GENUS\nKAZ001,KZ\x1b[2J\u202e1,Triticum\n",
                    encoding="utf-8")
    result = genebank("--database", database, "import-mcpd", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr + result.stdout
    assert "sheet 'evil\\x1b[2J\\u202e'" in result.stderr  # as it is, escaped
    assert "\u202e" not in result.stderr + result.stdout
    assert "U+001B" in result.stderr


def test_an_unexpected_error_is_one_line(tmp_path: Path, database: str) -> None:
    """A template written into a folder that does not exist: one line, exit 1."""
    result = genebank("--database", database, "template",
                      str(tmp_path / "no" / "such" / "folder" / "t.xlsx"), cwd=tmp_path)
    assert result.returncode == 1
    assert "t.xlsx" in one_plain_line(result)


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """`genebank stats | head -1`: the reader is gone before everything is printed; the
    command ends quietly (exit 0), not with 'stats failed: Broken pipe'."""
    database = tmp_path / "g.sqlite"
    assert genebank("--database", str(database), "init", cwd=tmp_path).returncode == 0
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("genebank")), "--database", str(database),
         "stats"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0 and error == "", error


def test_a_refusal_with_line_breaks_is_printed_on_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite's report of a damaged file may hold line breaks; the CLI still says it on one
    line, as it promises (scripts read the first line)."""
    from genebank import cli, problems

    def refuse(_args: object) -> int:
        raise problems.Coded("'big.sqlite' is damaged: *** in database main ***\n"
                             "  Page 5001: btreeInitPage() returns error code 11",
                             code="database_damaged")

    monkeypatch.setattr(cli, "_run", refuse)
    assert cli.main(["stats"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "*** in database main *** Page 5001" in err

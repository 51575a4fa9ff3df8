"""A command never writes over a file silently: the file being read is refused always
(`import-mcpd --dry-run --report mine.xlsx mine.xlsx` used to replace the user's sheet by
the report), any other existing file unless `--replace` is given (one option for every
command that writes a file), and the database itself is never a backup's target. A refusal
is one line, exit 1, and nothing changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from genebank import cli
from genebank.io import problem_report, spreadsheet
from genebank.io.files import FileNotWritten
from genebank.io.passport_preview import preview_passports


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "genebank.sqlite"
    assert cli.main(["--database", str(path), "init"]) == 0
    return path


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    """The user's own workbook, with an error so that a report has something to say."""
    path = tmp_path / "mine.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "MCPD"
    workbook.active.append(["INSTCODE", "ACCENUMB", "GENUS", "STORAGE"])
    workbook.active.append(["KAZ001", "A-1", "Triticum", "13"])
    workbook.active.append(["KAZ001", "A-2", "", "13"])
    workbook.save(path)
    return path


def refused(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    _out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


@pytest.mark.parametrize("report", ["mine.xlsx", "mine.csv", "./other/../mine.xlsx",
                                    "link.xlsx"])
@pytest.mark.parametrize("replace", [[], ["--replace"]])
def test_the_report_never_replaces_the_file_being_imported(
        database: Path, sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], report: str, replace: list[str]) -> None:
    """Also when the report is named .csv (it is written as .xlsx), or spelled another
    way, or is a link to it; --replace does not change it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "link.xlsx").hardlink_to(sheet)
    before = digest(sheet)
    assert cli.main(["--database", str(database), "import-mcpd", "--dry-run", *replace,
                     "--report", report, "mine.xlsx"]) == 1
    refused(capsys, "is the file being read", "nothing was written")
    assert digest(sheet) == before
    assert openpyxl.load_workbook(sheet).sheetnames == ["MCPD"]


def is_report(path: Path) -> bool:
    """Whether ``path`` is a problem report: the copy's headings end with PROBLEMS."""
    headings = next(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    return [h for h in headings if h is not None][-1] == "PROBLEMS"


def test_the_report_replaces_another_existing_file_only_with_replace(
        database: Path, sheet: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    precious = tmp_path / "precious.xlsx"
    precious.write_bytes(sheet.read_bytes())
    before = digest(precious)
    assert cli.main(["--database", str(database), "import-mcpd", "--dry-run", "--report",
                     str(precious), str(sheet)]) == 1
    refused(capsys, "already exists", "--replace")
    assert digest(precious) == before
    assert cli.main(["--database", str(database), "import-mcpd", "--dry-run", "--replace",
                     "--report", str(precious), str(sheet)]) == 1  # the row with no genus
    assert is_report(precious)


def test_a_refused_report_stops_the_import_before_it_writes(
        database: Path, sheet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) \
        -> None:
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"the user's")
    before = digest(database)
    assert cli.main(["--database", str(database), "import-mcpd", "--skip-invalid",
                     "--report", str(taken), str(sheet)]) == 1
    refused(capsys, "already exists")
    assert digest(database) == before and taken.read_bytes() == b"the user's"


@pytest.mark.parametrize("command", [["template"], ["tests-template"], ["export-mcpd"],
                                     ["backup"]])
def test_every_command_that_writes_a_file_refuses_an_existing_one_unless_replace(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        command: list[str]) -> None:
    target = tmp_path / ("precious.sqlite" if command == ["backup"] else "precious.xlsx")
    target.write_bytes(b"the user's own file")
    assert cli.main(["--database", str(database), *command, str(target)]) == 1
    refused(capsys, "already exists", "--replace")
    assert target.read_bytes() == b"the user's own file"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert cli.main(["--database", str(database), *command, "--replace", str(target)]) == 0
    assert target.read_bytes() != b"the user's own file"
    if command == ["backup"]:  # a whole, checked backup took its place
        assert cli.main(["--database", str(target), "stats"]) == 0


@pytest.mark.parametrize("replace", [[], ["--replace"]])
def test_a_backup_never_replaces_the_database_itself(
        database: Path, capsys: pytest.CaptureFixture[str], replace: list[str]) -> None:
    before = digest(database)
    assert cli.main(["--database", str(database), "backup", *replace, str(database)]) == 1
    refused(capsys, "is the database itself", "nothing was written")
    assert digest(database) == before


def test_the_core_refuses_a_report_over_its_input_whoever_asks(sheet: Path) -> None:
    """The GUI's save dialog asks "Replace?" and passes replace=True: the sheet being
    imported is still refused."""
    read = spreadsheet.read_sheet(sheet, None)
    preview = preview_passports(read)
    with pytest.raises(FileNotWritten) as failed:
        problem_report.write_problem_report(read, preview, sheet, replace=True)
    assert failed.value.code == "is_input_file" and failed.value.params == {"path": str(sheet)}
    assert openpyxl.load_workbook(sheet).sheetnames == ["MCPD"]


def test_the_report_says_where_it_was_written(database: Path, sheet: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A report asked as .csv is a workbook (.xlsx): the command says which file it wrote."""
    assert cli.main(["--database", str(database), "import-mcpd", "--dry-run", "--report",
                     str(tmp_path / "n2.csv"), str(sheet)]) == 1
    out, _err = capsys.readouterr()
    assert f"Wrote the problem report {tmp_path / 'n2.xlsx'}\n" in out
    assert is_report(tmp_path / "n2.xlsx")

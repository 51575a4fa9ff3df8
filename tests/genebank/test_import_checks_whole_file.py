"""An import never writes into a damaged file. Opening checks a large SQLite file only
within a time budget (database_file.OPEN_CHECK_SECONDS), so a damaged table it skipped
used to be written into by the next import; now the whole file is checked once before the
first bulk write of the session (import-mcpd, import-tests, demo into an existing file) and
a damaged one is refused with the opening's words and advice."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from genebank import cli, database_file, db, sqlite_opening, transactions
from tests.genebank.test_damaged_database_backup import damage_a_leaf, demo_file, said_damaged
from tests.genebank.test_opening import digest


def skipped_by_the_open_check(monkeypatch: pytest.MonkeyPatch, path: Path,
                              table: str = "accession_storage") -> None:
    """Damage a leaf of ``table`` where the on-open check has no time to look (a 300 MB
    file, or a loaded machine), and make sure it does not see it."""
    monkeypatch.setattr(database_file, "FULL_CHECK_BYTES", 0)
    monkeypatch.setattr(database_file, "OPEN_CHECK_SECONDS", 0.0)
    damage_a_leaf(path, table)
    assert database_file.opening_problems(path) == []


def refused_in_one_line(capsys: pytest.CaptureFixture[str], path: Path, before: str,
                        *command: str) -> None:
    capsys.readouterr()
    assert cli.main(["--database", str(path), *command]) == 1
    err = capsys.readouterr().err  # progress lines first, then one line of refusal
    refusal = err.splitlines()[-1]
    assert refusal.startswith(f"genebank: '{path}' is damaged"), err
    assert "Traceback" not in err and err.count("genebank:") == 1, err
    said_damaged(refusal)
    assert digest(path) == before


def test_import_mcpd_refuses_a_file_damaged_where_opening_did_not_look(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("INSTCODE,ACCENUMB,GENUS,STORAGE\nKAZ001,NEW-1,Triticum,13\n",
                    encoding="utf-8")
    path = demo_file(tmp_path / "big.sqlite", accessions=2000)
    skipped_by_the_open_check(monkeypatch, path)
    refused_in_one_line(capsys, path, digest(path), "import-mcpd", str(rows))


def test_demo_into_an_existing_file_refuses_it_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = demo_file(tmp_path / "big.sqlite", accessions=2000)
    skipped_by_the_open_check(monkeypatch, path)
    refused_in_one_line(capsys, path, digest(path), "demo", "--accessions", "5", "--no-lots")


def test_import_tests_refuses_it_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    path = tmp_path / "big.sqlite"
    assert cli.main(["--database", str(path), "demo", "--accessions", "1500"]) == 0
    assert cli.main(["--database", str(path), "tests-template", str(tmp_path / "t.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    for column, value in enumerate(["L00000001", dt.date.today(), 1, 50, 45, 3, 2], start=1):
        book["Germination"].cell(row=2, column=column, value=value)
    book.save(tmp_path / "t.xlsx")
    skipped_by_the_open_check(monkeypatch, path)
    refused_in_one_line(capsys, path, digest(path), "import-tests", str(tmp_path / "t.xlsx"),
                        "--sheet", "Germination")


def test_the_whole_check_runs_once_per_opened_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second import in the same session does not read the whole file again; a reopened
    file (a new Database) is checked again; a sound file imports."""
    path = demo_file(tmp_path / "sound.sqlite", accessions=50)
    calls: list[Path] = []
    real = database_file.integrity_problems

    def counted(checked: Path) -> list[str]:
        calls.append(checked)
        return real(checked)

    monkeypatch.setattr(database_file, "integrity_problems", counted)
    for _ in range(2):
        database = db.open_database(str(path))
        try:
            for _ in range(2):
                transactions.run_write(database, lambda session: None, operation="t",
                                       bulk=True)
            transactions.run_write(database, lambda session: None, operation="t")
        finally:
            database.close()
    assert calls == [path, path]


def test_the_refusal_is_the_openings_coded_refusal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = demo_file(tmp_path / "big.sqlite", accessions=2000)
    skipped_by_the_open_check(monkeypatch, path)
    database = db.open_database(str(path))
    try:
        with pytest.raises(db.DatabaseDamaged) as refused:
            sqlite_opening.refuse_damage_before_bulk_write(database)
        assert not database.checked_whole
    finally:
        database.close()
    assert refused.value.code == "database_damaged_before_write"
    assert "nothing was written into it" in str(refused.value)
    assert refused.value.params["path"] == str(path) and refused.value.params["problems"]

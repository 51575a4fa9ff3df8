"""Commands that only read never change the database file: on an older SQLite file stats,
exports and dry runs refuse with one line naming `genebank upgrade` (no backup, no upgrade,
not a byte changed), and `genebank backup` copies the file as it is, at its revision."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from genebank import cli, db
from tests.conftest import revision_of
from tests.genebank.test_opening import companions, digest, older_database

OLDER = "0006"


@pytest.fixture(params=["wal", "delete"])
def older_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """An older Genebank file with rows, in WAL mode (as Genebank leaves it) or with a
    rollback journal (as a backup is left), which the engine would switch to WAL."""
    path = tmp_path / "db" / "old.sqlite"
    path.parent.mkdir()
    older_database(path, OLDER, rows=120)
    if request.param == "delete":
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode = DELETE")
        connection.close()
    (tmp_path / "in.csv").write_text("INSTCODE,ACCENUMB,GENUS\nKAZ001,1,Zea\n")
    return path


@pytest.mark.parametrize("command", [
    ["stats"], ["export-mcpd", "out.csv"], ["export-mcpd", "out.xlsx"],
    ["import-mcpd", "in.csv", "--dry-run"], ["import-tests", "in.csv", "--dry-run"],
])
def test_reading_an_older_file_refuses_and_changes_nothing(
        older_file: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    folder = older_file.parent.parent
    before, beside = digest(older_file), companions(older_file)
    args = [str(folder / a) if a.endswith((".csv", ".xlsx")) else a for a in command]
    status = cli.main(["--database", str(older_file), *args])
    out, err = capsys.readouterr()
    assert status == 1 and out == "" and err.count("\n") == 1
    assert str(older_file) in err and "genebank upgrade" in err and "not changed" in err
    assert digest(older_file) == before and companions(older_file) == beside
    assert not (folder / "out.csv").exists() and not (folder / "out.xlsx").exists()


def test_a_backup_of_an_older_file_is_a_copy_as_it_is(
        older_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before, beside = digest(older_file), companions(older_file)
    target = tmp_path / "copy.sqlite"
    status = cli.main(["--database", str(older_file), "backup", str(target)])
    out, err = capsys.readouterr()
    assert status == 0 and err == "" and "not upgraded" in out and str(target) in out
    assert digest(older_file) == before and companions(older_file) == beside
    assert revision_of(db.sqlite_url(target)) == OLDER  # the user's data at its revision
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM institute").fetchone() == (120,)
    copy.close()


def test_a_current_file_is_still_read(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "g.sqlite"
    assert cli.main(["--database", str(path), "init"]) == 0
    capsys.readouterr()
    assert cli.main(["--database", str(path), "stats"]) == 0
    assert "Accessions: 0" in capsys.readouterr().out
    assert cli.main(["--database", str(path), "backup", str(tmp_path / "b.sqlite")]) == 0
    assert revision_of(db.sqlite_url(tmp_path / "b.sqlite")) == db.SCHEMA_REVISION

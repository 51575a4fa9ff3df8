"""A damaged database is said to be damaged, whatever the command: a backup of it used to
blame the destination ("the written file did not check out ... choose another folder"),
which sends the user to try other folders while the real problem is the database itself.
An import does not write into a damaged file, and reading commands refuse it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from genebank import backup, cli, database_file, db
from tests.genebank.test_check_on_every_open import current_file
from tests.genebank.test_opening import damage_a_page, digest

DAMAGE_ADVICE = ("is damaged", "latest backup", ".recover")


def demo_file(path: Path, accessions: int = 300) -> Path:
    """A current-schema file with ``accessions`` demo accessions (passport data only)."""
    assert cli.main(["--database", str(path), "demo", "--accessions", str(accessions),
                     "--no-lots"]) == 0
    return path


def damage_a_leaf(path: Path, table: str) -> None:
    """Garbage over one leaf page of ``table`` (not its root): a bad sector in the middle
    of a large table, which only a check reading that table finds."""
    with sqlite3.connect(path) as connection:
        try:
            pages = [row[0] for row in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))]
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    assert len(pages) > 2, f"{table} has too few pages to damage one in the middle"
    with path.open("r+b") as handle:
        handle.seek((pages[len(pages) // 2] - 1) * page_size)
        handle.write(bytes([0x0D, 0x00, 0x07]) + b"\xa5\x5a" * (page_size // 4))


def said_damaged(message: str) -> None:
    for words in DAMAGE_ADVICE:
        assert words in message, message
    assert "choose another folder" not in message and "did not check out" not in message


def test_backing_up_a_database_damaged_since_it_was_opened_says_so(tmp_path: Path) -> None:
    """The window opened a sound file; a page went bad since. File > Back up names the
    database as damaged (code backup_source_damaged), writes nothing, changes nothing."""
    path = demo_file(tmp_path / "collection.sqlite")
    database = db.open_database(str(path))
    try:
        damage_a_page(path, "accession")
        target = tmp_path / "backup.sqlite"
        with pytest.raises(backup.BackupFailed) as failed:
            backup.backup(database, target)
    finally:
        database.close()
    error = failed.value
    assert error.code == "backup_source_damaged"
    assert error.params["database"] == str(path) and error.params["path"] == str(target)
    assert error.params["problems"] and "malformed" in error.params["detail"]
    said_damaged(str(error))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collection.sqlite"]


def test_a_large_file_damaged_in_an_unchecked_table_is_not_blamed_on_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A file too large for the whole check on opening (here: any file, with no time for
    tables with rows) opens; its backup's check then finds the damage, and the command line
    says in one line that the database is damaged."""
    monkeypatch.setattr(database_file, "FULL_CHECK_BYTES", 0)
    monkeypatch.setattr(database_file, "OPEN_CHECK_SECONDS", 0.0)
    path = demo_file(tmp_path / "big.sqlite", accessions=2000)
    damage_a_leaf(path, "accession")
    assert database_file.opening_problems(path) == []  # the open check does not see it
    before = digest(path)
    capsys.readouterr()
    target = tmp_path / "copy.sqlite"
    assert cli.main(["--database", str(path), "backup", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("genebank: backup not made:")
    said_damaged(err)
    assert not target.exists() and digest(path) == before


def test_a_failed_check_of_a_sound_database_still_blames_the_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The source is checked only to tell the causes apart: a copy that fails its check
    while the database is sound is still the destination's problem."""
    path = demo_file(tmp_path / "sound.sqlite")
    database = db.open_database(str(path))

    def bad_copy(partial: Path, expected: dict[str, int]) -> None:
        raise backup.CheckFailed("the copy cannot be read: disk I/O error")

    monkeypatch.setattr(backup, "verify_copy", bad_copy)
    try:
        with pytest.raises(backup.BackupFailed) as failed:
            backup.backup(database, tmp_path / "copy.sqlite")
    finally:
        database.close()
    assert failed.value.code == "check_failed"


@pytest.mark.parametrize("command", [["stats"], ["upgrade"], ["export-mcpd", "out.csv"],
                                     ["import-mcpd", "rows.csv"]])
def test_a_damaged_file_is_refused_and_not_written(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A small file damaged in a page of its accession table (the check on opening reads
    all of it): stats, upgrade, export and import refuse it in one line; not a byte of it
    changes (the import used to write into it)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rows.csv").write_text("INSTCODE,ACCENUMB,GENUS,STORAGE\n"
                                       "KAZ001,NEW-1,Triticum,13\n", encoding="utf-8")
    path = demo_file(tmp_path / "small.sqlite")
    damage_a_page(path, "accession")
    before = digest(path)
    capsys.readouterr()
    assert cli.main(["--database", str(path), *command]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert "is damaged" in err and ".recover" in err
    assert digest(path) == before
    assert not (tmp_path / "out.csv").exists()


def test_a_sound_current_file_still_backs_up(tmp_path: Path) -> None:
    path = current_file(tmp_path / "fine.sqlite")
    assert cli.main(["--database", str(path), "backup", str(tmp_path / "b.sqlite")]) == 0
    assert (tmp_path / "b.sqlite").exists()

"""The backup an upgrade makes first, on a full disk: the user is told that the database
needs upgrading, that its backup must be made first beside it, that the disk is full (how
much is free and needed) and that the database was not changed, with what to do. There is
no folder to choose there, so "choose another folder" (the wording for a backup the user
asked for) was advice the user could not follow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from genebank import backup, cli, db
from genebank.io import files
from tests.genebank.test_atomic_files import fill, small_disk
from tests.genebank.test_opening import digest, older_database


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name != "ballast" and not p.name.endswith(".lock"))


@pytest.mark.parametrize("command", ["upgrade", "init"])
def test_the_command_line_says_the_database_needs_upgrading_and_was_not_changed(
        tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with small_disk(tmp_path / "stick", "2m") as stick:
        path = stick / "old.sqlite"
        older_database(path, "0007", rows=1500)
        fill(stick, leave=64 * 1024)
        before = digest(path)
        assert cli.main(["--database", str(path), command]) == 1
        assert digest(path) == before and listing(stick) == ["old.sqlite"]
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert f"'{path}' needs upgrading" in err and "backup of it must be made first" in err
    assert "disk there is full" in err and "KB free" in err and "needed" in err
    assert "The database was not changed" in err and "move the database" in err
    assert "choose another folder" not in err and "backup not made" not in err


def test_the_refusal_carries_its_code_and_values(tmp_path: Path) -> None:
    with small_disk(tmp_path / "stick", "2m") as stick:
        path = stick / "old.sqlite"
        older_database(path, "0007", rows=1500)
        fill(stick, leave=64 * 1024)
        with pytest.raises(backup.BackupFailed) as failed:
            db.open_database(str(path))
    error = failed.value
    assert error.code == "upgrade_backup_disk_full"
    assert error.params["database"] == str(path)
    assert str(error.params["path"]).startswith(str(stick / "old.backup-"))
    assert isinstance(error.params["needed"], int) and error.params["needed"] > \
        (error.params["free"] or 0)


def test_the_free_space_said_is_the_disks_once_the_database_is_closed(tmp_path: Path) -> None:
    """The free space is measured once the backup's partial file, its sidecars and the
    database's own (its WAL index, 32 KB, made by opening it for the backup) are gone: what
    the person finds free when they look, not 32 KB less."""
    with small_disk(tmp_path / "stick", "2m") as stick:
        path = stick / "old.sqlite"
        older_database(path, "0007", rows=1500)
        fill(stick, leave=200 * 1024)
        with pytest.raises(backup.BackupFailed) as failed:
            db.open_database(str(path))
        assert listing(stick) == ["old.sqlite"]
        free = shutil.disk_usage(stick).free
    assert failed.value.params["free"] == free
    assert f"({files.size_text(free)} free" in str(failed.value)

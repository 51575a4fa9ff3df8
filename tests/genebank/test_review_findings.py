"""Bugs found reviewing issue 13's work (branch review): each test failed on main."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from genebank import database_file, db
from tests.genebank.test_opening import companions, digest, older_database


def _journal_file(path: Path) -> Path:
    """An older Genebank file in rollback-journal mode (as a backup is left, or a file
    another program wrote), so that another program's write can hold it exclusively."""
    older_database(path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    return path


def test_a_file_locked_during_the_upgrades_check_is_in_use_not_damaged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program starts a long write between Genebank's look at an older file and the
    integrity check before its upgrade: the opening says the file is in use, not that it is
    damaged (which sent the person to their latest backup), and the file is unchanged.
    On main, integrity_problems took SQLite's 'database is locked' for a damage report."""
    path = _journal_file(tmp_path / "held.sqlite")
    before = digest(path)
    other = sqlite3.connect(path, isolation_level=None)
    real_inspect = database_file.inspect_file
    looks: list[object] = []

    def inspect_then_lock(*args: object, **kwargs: object) -> database_file.FileState:
        state = real_inspect(*args, **kwargs)  # type: ignore[arg-type]
        looks.append(state)
        if len(looks) == 2:  # the look under the create/upgrade lock, just before the check
            other.execute("BEGIN EXCLUSIVE")
            other.execute("DELETE FROM institute")
        return state

    monkeypatch.setattr(database_file, "inspect_file", inspect_then_lock)
    monkeypatch.setattr(database_file, "CHECK_TIMEOUT_SECONDS", 0.2, raising=False)
    try:
        with pytest.raises(db.DatabaseError) as refused:
            db.open_database(str(path), create=False)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(looks) == 2
    assert not isinstance(refused.value, db.DatabaseDamaged), str(refused.value)
    assert isinstance(refused.value, db.DatabaseUnavailable)
    assert "damaged" not in str(refused.value) and "in use" in str(refused.value)
    assert digest(path) == before
    assert [name for name in companions(path) if "backup" in name] == []


def test_another_name_of_the_database_file_is_never_its_backup(tmp_path: Path) -> None:
    """A second name for the database's own file (a hard link here; on macOS's
    case-insensitive disk 'Genebank.sqlite' for 'genebank.sqlite') is the database itself:
    'backup --replace' there is refused, as for its own name. On main only the spelling
    was compared, so on such a disk the database was replaced under its open connection,
    whose later changes went to a file no longer there."""
    from genebank import backup

    path = tmp_path / "genebank.sqlite"
    database = db.open_database(db.sqlite_url(path), create=True)
    try:
        other_name = tmp_path / "Genebank-alias.sqlite"
        other_name.hardlink_to(path)
        with pytest.raises(backup.BackupFailed) as refused:
            backup.backup(database, other_name, replace=True)
    finally:
        database.close()
    assert refused.value.code == "is_database_file"
    assert other_name.samefile(path)


def _open_elsewhere_with_unsaved_changes(path: Path) -> None:
    """``path`` as another Genebank window (or one that stopped) leaves it: a WAL database
    whose latest changes are still in its ``-wal`` beside it."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("CREATE TABLE last_weeks_table (x)")
    connection.executemany("INSERT INTO last_weeks_table VALUES (?)",
                           [(n,) for n in range(500)])
    saved_db, saved_wal = path.read_bytes(), Path(f"{path}-wal").read_bytes()
    connection.close()  # its close checkpoints and removes the -wal: put them back as left
    path.write_bytes(saved_db)
    Path(f"{path}-wal").write_bytes(saved_wal)


def test_a_backup_is_not_put_beside_the_old_files_journal(tmp_path: Path) -> None:
    """Replacing a backup file that is open elsewhere (or was left open by a program that
    stopped) would leave its '-wal' beside the new copy: SQLite would replay it over the
    new copy on the next open, which then showed last week's tables, not this week's. The
    replace is refused, naming why, and the old file and its journal stay as they were.
    On main the copy was renamed over it, and opened as the old database."""
    from genebank import backup

    source = tmp_path / "genebank.sqlite"
    database = db.open_database(db.sqlite_url(source), create=True)
    target = tmp_path / "weekly.sqlite"
    _open_elsewhere_with_unsaved_changes(target)
    before = digest(target), digest(Path(f"{target}-wal"))
    try:
        with pytest.raises(backup.BackupFailed) as refused:
            backup.backup(database, target, replace=True)
    finally:
        database.close()
    assert refused.value.code == "backup_target_in_use"
    assert f"{target}-wal" in str(refused.value)
    assert (digest(target), digest(Path(f"{target}-wal"))) == before
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name] == []

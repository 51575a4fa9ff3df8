"""Opening a database is careful: nothing is created or changed unless asked, foreign and
damaged files are refused untouched, a file on a network share is warned about."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from genebank import database_file, db, network_share


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def companions(path: Path) -> list[str]:
    """Files beside ``path`` that SQLite or Genebank would leave (journals, lock, backups)."""
    return sorted(p.name for p in path.parent.iterdir() if p != path)


def older_database(path: Path, revision: str = "0006", *, rows: int = 0) -> None:
    """A Genebank file at an older schema, as an earlier version left it."""
    from genebank.models import Base

    engine = db.create_engine_for(db.sqlite_url(path))
    db.upgrade(engine, revision)
    if rows:
        with engine.begin() as connection:  # Core inserts fill the audit columns' defaults
            connection.execute(Base.metadata.tables["institute"].insert(), [
                {"code": f"XYZ{n:04d}", "name": f"Institute number {n}", "address": "x" * 80}
                for n in range(rows)])
    engine.dispose()


def test_a_missing_file_is_refused_and_nothing_created(tmp_path: Path) -> None:
    """Opening (not creating) a mistyped path names it, suggests init, creates no folder."""
    path = tmp_path / "typo" / "genebank.sqlite"
    with pytest.raises(db.DatabaseMissing) as refused:
        db.open_database(str(path), create=False)
    assert refused.value.code == "database_missing"
    assert refused.value.params == {"path": str(path)}
    assert str(path) in str(refused.value) and "genebank init" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_is_refused_unless_created_on_purpose(tmp_path: Path) -> None:
    """A zero-byte file is 'empty, not a Genebank database' and stays zero bytes; only an
    explicit create makes it a database."""
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(db.NotAGenebankDatabase, match="is empty, not a Genebank") as refused:
        db.open_database(str(path), create=False)
    assert refused.value.code == "empty_file"
    assert path.stat().st_size == 0 and companions(path) == []
    db.open_database(str(path), create=True).close()
    assert database_file.inspect_file(path).revision == db.SCHEMA_REVISION


def test_another_programs_file_is_refused_without_a_byte_changed(tmp_path: Path) -> None:
    """Another program's SQLite file keeps its bytes, and no -wal, -shm or lock appears (the
    engine used to switch it to WAL before refusing it)."""
    path = tmp_path / "herbarium.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE specimens (id INTEGER PRIMARY KEY, label TEXT)")
        connection.executemany("INSERT INTO specimens (label) VALUES (?)",
                               [(f"sheet {n}",) for n in range(50)])
    connection.close()
    before = digest(path)
    for create in (False, True):
        with pytest.raises(db.NotAGenebankDatabase, match="holds other tables") as refused:
            db.open_database(str(path), create=create)
        assert refused.value.code == "foreign_file"
    assert digest(path) == before
    assert companions(path) == []


def damage_a_page(path: Path, table: str) -> None:
    """Write garbage over the root page of ``table``, as a failing disk or a power cut in
    the middle of a write leaves it."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                  (table,)).fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(bytes([0x0D, 0x00, 0x07]) + b"\xa5\x5a" * (page_size // 4))


def test_a_damaged_file_is_refused_before_upgrade_and_backup(tmp_path: Path) -> None:
    """An older file with a damaged page is not backed up or upgraded: it is refused with
    advice (a backup; sqlite3's .recover) and left as it was."""
    path = tmp_path / "old.sqlite"
    older_database(path, rows=400)
    damage_a_page(path, "institute")
    before = digest(path)
    with pytest.raises(db.DatabaseDamaged) as refused:
        db.open_database(str(path), create=False, backup_dir=tmp_path / "backups")
    message = str(refused.value)
    assert refused.value.code == "database_damaged_integrity" and refused.value.params["problems"]
    assert str(path) in message and "backup" in message and ".recover" in message
    assert digest(path) == before
    assert companions(path) == []  # no backup, no -wal, no lock file


def test_a_sound_older_file_is_checked_backed_up_and_upgraded(tmp_path: Path) -> None:
    """The integrity check lets a sound file through: one backup, upgraded, lock removed."""
    path = tmp_path / "old.sqlite"
    older_database(path, rows=50)
    database = db.open_database(str(path), create=False)
    try:
        assert database.backup_path is not None
        assert db.schema_revision(database.engine)[0] == db.SCHEMA_REVISION
    finally:
        database.close()
    assert companions(path) == [database.backup_path.name]


LINUX_MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
//fileserver/genebank /mnt/lab\\040share cifs rw,relatime,vers=3.1.1 0 0
fileserver:/export/home /home/nfs nfs4 rw,relatime 0 0
tech@station:/data /media/ssh fuse.sshfs rw,nosuid,nodev 0 0
/dev/sdb1 /mnt/lab\\040share/usb vfat rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""

MAC_MOUNT = "\n".join([
    "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)",
    "//tech@FILESERVER._smb._tcp.local/genebank on /Volumes/genebank (smbfs, nodev, nosuid, "
    "mounted by tech)",
    "/dev/disk4s1 on /Volumes/USB Stick (msdos, local, nodev, nosuid, noowners)",
])


@pytest.mark.parametrize(("path", "expected"), [
    ("/mnt/lab share/collection.sqlite", "cifs"),
    ("/home/nfs/maria/genebank.sqlite", "nfs4"),
    ("/media/ssh/g.sqlite", "fuse.sshfs"),
    ("/mnt/lab share/usb/g.sqlite", None),  # a USB stick mounted inside the share
    ("/home/maria/genebank.sqlite", None),
    ("/tmp/g.sqlite", None),
])
def test_network_shares_are_told_from_a_linux_mount_table(path: str,
                                                          expected: str | None) -> None:
    """The longest mount point holding the file decides; escaped spaces are read."""
    assert network_share.network_filesystem(Path(path), platform="linux",
                                            mounts=LINUX_MOUNTS) == expected


@pytest.mark.parametrize(("path", "expected"), [
    ("/Volumes/genebank/g.sqlite", "smbfs"),
    ("/Volumes/USB Stick/g.sqlite", None),
    ("/Users/maria/g.sqlite", None),
])
def test_network_shares_are_told_from_macos_mount_output(path: str,
                                                         expected: str | None) -> None:
    assert network_share.network_filesystem(Path(path), platform="darwin",
                                            mounts=MAC_MOUNT) == expected


def test_network_shares_on_windows_unc_and_mapped_drives() -> None:
    """A UNC path is a share; a drive letter is asked of GetDriveTypeW (4 = remote)."""
    kinds = {"Z:\\": 4, "C:\\": 3, "E:\\": 2}
    seen: list[str] = []

    def drive_type(root: str) -> int:
        seen.append(root)
        return kinds[root]

    def share(path: str) -> str | None:
        return network_share.network_filesystem(Path(path), platform="win32",
                                                drive_type=drive_type)

    assert share(r"\\fileserver\genebank\g.sqlite") == "\\\\fileserver\\genebank"
    assert share(r"Z:\collection\g.sqlite") == "mapped drive Z:"
    assert share(r"C:\Users\maria\g.sqlite") is None
    assert share(r"E:\g.sqlite") is None
    assert seen == ["Z:\\", "C:\\", "E:\\"]


def test_opening_a_file_on_a_network_share_warns(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The opened database carries a coded warning naming the file and the share type."""
    path = tmp_path / "g.sqlite"
    monkeypatch.setattr(network_share, "_mount_table",
                        lambda _platform: f"/dev/sda2 / ext4 rw 0 0\n"
                                          f"//srv/gb {tmp_path} cifs rw 0 0\n")
    database = db.open_database(str(path), create=True)
    database.close()
    database = db.open_database(str(path), create=False)
    database.close()
    [warning] = database.warnings
    assert warning.code == "network_share"
    assert warning.params == {"path": str(path), "share": "cifs"}
    assert "share a PostgreSQL server, not a file" in warning.message
    monkeypatch.setattr(network_share, "_mount_table", lambda _platform: "/dev/sda2 / ext4 rw")
    database = db.open_database(str(path), create=False)
    database.close()
    assert database.warnings == ()


def test_file_uris_for_sqlite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Odd characters are escaped, and a Windows UNC path keeps its server in the path (a
    URI naming a host is refused by SQLite)."""
    from pathlib import PureWindowsPath

    odd = tmp_path / "lab #2?" / "50% viable.sqlite"
    odd.parent.mkdir()
    with sqlite3.connect(odd) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    connection.close()
    assert database_file.file_uri(odd).startswith("file:///")
    assert database_file.inspect_file(odd).kind is database_file.FileKind.FOREIGN

    class Windows(PureWindowsPath):
        def resolve(self) -> Windows:
            return self

    assert database_file.file_uri(Windows(r"\\srv\gb\g.sqlite")) == \
        "file:////srv/gb/g.sqlite"
    assert database_file.file_uri(Windows(r"C:\Users\Ana María\g.sqlite")) == \
        "file:///C:/Users/Ana%20Mar%C3%ADa/g.sqlite"


def test_a_file_locked_by_another_program_is_not_called_damaged(tmp_path: Path) -> None:
    """A rollback-journal file held exclusively by another program: 'in use', not damaged,
    and unchanged."""
    path = tmp_path / "held.sqlite"
    older_database(path)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("DELETE FROM institute")
    try:
        state = database_file.inspect_file(path, timeout=0.2)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert state.kind is database_file.FileKind.UNAVAILABLE and "locked" in state.problem

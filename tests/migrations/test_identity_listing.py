"""Where the list of duplicate accessions goes when the upgrade refuses, and that the
refusal is never lost when no folder takes the list (a read-only working folder such as
Program Files, a read-only folder beside a SQLite file)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from genebank import db
from genebank.passport.identity_collisions import DuplicateAccessions, refuse_if_duplicates
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url
from tests.migrations.test_identity_key import _store


def _mount_tmpfs(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command here")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")


def _make_read_only(folder: Path) -> None:
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(folder)],
                               capture_output=True, text=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remounted.stderr.strip()}")


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A real read-only file system (a tmpfs remounted read-only), like Program Files."""
    folder = tmp_path / "read-only"
    _mount_tmpfs(folder)
    try:
        _make_read_only(folder)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def server_with_duplicates() -> Iterator[str]:
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_listing")
    engine = db.create_engine_for(url)
    db.upgrade(engine, "0007")
    with engine.begin() as connection:
        _store(connection)
    engine.dispose()
    yield url
    drop_postgres_database(url)


def _with_password(url: str) -> str:  # the test server trusts: the password is not checked
    return make_url(url).set(password="s3cret-pw").render_as_string(hide_password=False)


@pytest.mark.postgres
def test_server_refusal_lists_in_the_users_folder_not_the_read_only_working_folder(
        server_with_duplicates: str, read_only_folder: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Started from a read-only folder, the upgrade of a server database holding duplicates
    is refused with DuplicateAccessions (not a crash on the list), the list in the user's
    own data folder, and the command it suggests shows no password and no mask."""
    monkeypatch.chdir(read_only_folder)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with pytest.raises(DuplicateAccessions) as refused:
        db.open_database(_with_password(server_with_duplicates), upgrade_confirmed=True)
    error = refused.value
    listing = Path(error.params["listing"])
    assert listing.parent == tmp_path / "data" / "Genebank" and listing.is_file()
    assert listing.read_text(encoding="utf-8-sig").count("KAZ001") == 4
    assert "reason" not in error.params and "cause" not in error.params
    assert list(read_only_folder.iterdir()) == []
    message = str(error)
    assert "s3cret" not in message and "***" not in message
    shown = make_url(server_with_duplicates).render_as_string(hide_password=False)
    assert f"genebank --database {shown} resolve-duplicates --rename" in message
    assert error.params["database"] == shown


@pytest.mark.postgres
def test_server_refusal_survives_when_no_folder_takes_the_list(
        server_with_duplicates: str, read_only_folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """When the working folder, the data folder and home are all read-only, the refusal
    still comes, a DatabaseError naming why the list is missing and the way out."""
    monkeypatch.chdir(read_only_folder)
    monkeypatch.setenv("XDG_DATA_HOME", str(read_only_folder / "data"))
    monkeypatch.setenv("HOME", str(read_only_folder))
    with pytest.raises(db.DatabaseError) as refused:
        db.open_database(server_with_duplicates, upgrade_confirmed=True)
    error = refused.value
    assert isinstance(error, DuplicateAccessions)
    assert error.params["listing"] is None
    assert "read-only" in error.params["reason"]  # its drive is read-only
    assert error.params["cause"]["code"] in {"read_only", "listing_folder_not_made"}
    assert "could not be written" in str(error)
    assert "resolve-duplicates --rename" in str(error)
    assert list(read_only_folder.iterdir()) == []


def test_sqlite_file_in_a_read_only_folder_lists_in_the_users_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The migration's check on a SQLite file whose folder is read-only (a CD, a locked
    share) writes the list to the user's data folder and refuses as DuplicateAccessions."""
    folder = tmp_path / "disc"
    _mount_tmpfs(folder)
    try:
        path = folder / "collection.sqlite"
        engine = create_engine(db.sqlite_url(path))
        db.upgrade(engine, "0007")
        with engine.begin() as connection:
            _store(connection)
        engine.dispose()
        _make_read_only(folder)
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        engine = create_engine(db.sqlite_url(path))
        try:
            with engine.connect() as connection, pytest.raises(DuplicateAccessions) as refused:
                refuse_if_duplicates(connection)
        finally:
            engine.dispose()
        listing = Path(refused.value.params["listing"])
        assert listing == tmp_path / "data" / "Genebank" / "collection.duplicate-accessions.csv"
        assert listing.is_file()
        assert sorted(p.name for p in folder.iterdir()) == ["collection.sqlite"]
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_sqlite_refusal_survives_when_no_folder_takes_the_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a SQLite file with duplicates when the list can be written nowhere (a folder
    in the way beside the file, no data or home folder) still refuses plainly."""
    path = tmp_path / "collection.sqlite"
    engine = db.create_engine_for(db.sqlite_url(path))
    db.upgrade(engine, "0007")
    with engine.begin() as connection:
        _store(connection)
    engine.dispose()
    (tmp_path / "collection.duplicate-accessions.csv").mkdir()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    monkeypatch.setenv("HOME", str(blocker))
    with pytest.raises(DuplicateAccessions) as refused:
        db.open_database(db.sqlite_url(path), upgrade_confirmed=True)
    assert refused.value.params["listing"] is None
    assert str(blocker) in refused.value.params["reason"]
    assert refused.value.params["cause"]["params"]["path"].startswith(str(blocker))
    assert "could not be written" in str(refused.value)
    assert not list(tmp_path.glob("*backup*"))

"""The command line creates a database only when asked (init, demo), refuses a missing or
empty one for every other command, warns about a file on a network share, and upgrades a
PostgreSQL database only for its owner after a confirmed backup."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from genebank import cli, db, network_share
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    postgres_server_url,
    revision_of,
)

OLDER = "0006"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", [
    ["stats"], ["backup", "copy.sqlite"], ["remove-demo", "--yes"], ["upgrade"],
    ["export-mcpd", "out.csv"], ["import-mcpd", "in.csv"], ["import-tests", "in.csv"],
])
def test_commands_refuse_a_missing_database_and_create_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """A mistyped --database: exit 1, one line naming the path and `genebank init`; no
    folder or file appears."""
    (tmp_path / "in.csv").write_text("INSTCODE,ACCENUMB,GENUS\nKAZ001,1,Zea\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    path = tmp_path / "typo" / "genebank.sqlite"
    args = [str(tmp_path / a) if a.endswith((".csv", ".sqlite")) else a for a in command]
    code, out, err = run(capsys, "--database", str(path), *args)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert str(path) in err and "does not exist" in err and "genebank init" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_empty_file_is_refused_until_init(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """stats on a zero-byte file says it is empty and leaves it; init makes it a database."""
    path = tmp_path / "g.sqlite"
    path.touch()
    code, _, err = run(capsys, "--database", str(path), "stats")
    assert code == 1 and "is empty, not a Genebank database" in err
    assert path.stat().st_size == 0
    assert run(capsys, "--database", str(path), "init")[0] == 0
    code, out, _ = run(capsys, "--database", str(path), "stats")
    assert code == 0 and "Accessions: 0" in out


def test_templates_need_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Writing a template neither opens nor creates the default database."""
    own = tmp_path / "Genebank" / "genebank.sqlite"
    monkeypatch.setattr(db, "default_database_path", lambda: own)
    monkeypatch.delenv(cli.ENV_DATABASE, raising=False)
    assert run(capsys, "template", str(tmp_path / "t.xlsx"))[0] == 0
    assert run(capsys, "tests-template", str(tmp_path / "tests.xlsx"))[0] == 0
    assert (tmp_path / "t.xlsx").exists() and (tmp_path / "tests.xlsx").exists()
    assert not own.parent.exists()


def test_a_file_on_a_network_share_is_warned_about(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Every command on a file on a share prints the warning once, then does its work."""
    monkeypatch.setattr(network_share, "_mount_table",
                        lambda _platform: f"/dev/sda1 / ext4 rw 0 0\n"
                                          f"fileserver:/gb {tmp_path} nfs4 rw 0 0\n")
    path = tmp_path / "g.sqlite"
    code, out, err = run(capsys, "--database", str(path), "init")
    assert code == 0 and "Database ready" in out
    assert err.count("genebank: warning:") == 1
    assert "network share (nfs4)" in err and "PostgreSQL server, not a file" in err


@pytest.fixture
def older_server_database() -> Iterator[str]:
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_cli_upgrade")
    from genebank.models import Base

    engine = db.create_engine_for(url)
    db.upgrade(engine, OLDER)
    with engine.begin() as connection:  # Core inserts fill the audit columns' defaults
        connection.execute(Base.metadata.tables["institute"].insert(), [
            {"code": f"KAZ00{n}", "name": f"Institute {n}", "address": ""} for n in range(3)])
    engine.dispose()
    yield url
    drop_postgres_database(url)


@pytest.mark.postgres
def test_the_owner_confirms_a_backup_before_a_server_upgrade(
        older_server_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Other commands say the database needs upgrading; `upgrade` asks the owner about a
    backup (offering `genebank backup`), does nothing without a yes, and upgrades with one
    or with --yes. The backup it offers works on the database not upgraded yet."""
    url = older_server_database
    code, _, err = run(capsys, "--database", url, "stats")
    assert code == 1 and err.count("\n") == 1 and "genebank upgrade" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a script: no terminal to ask on
    code, out, err = run(capsys, "--database", url, "upgrade")
    assert code == 1 and "backup genebank-before-upgrade.sqlite" in out and "--yes" in err
    assert revision_of(url) == OLDER

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, _ = run(capsys, "--database", url, "upgrade")
    assert code == 1 and "Nothing was changed" in out and revision_of(url) == OLDER
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    backup = tmp_path / "genebank-before-upgrade.sqlite"
    code, out, _ = run(capsys, "--database", url, "backup", str(backup))
    assert code == 0 and "not upgraded yet" in out
    assert revision_of(db.sqlite_url(backup)) == OLDER and revision_of(url) == OLDER
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT code FROM institute ORDER BY code").fetchall() == \
            [("KAZ000",), ("KAZ001",), ("KAZ002",)]
    copy.close()
    code, out, _ = run(capsys, "--database", url, "upgrade")
    assert code == 0 and "Database ready" in out
    assert revision_of(url) == db.SCHEMA_REVISION


@pytest.mark.postgres
def test_init_yes_upgrades_a_server_database_for_scripts(
        older_server_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--database", older_server_database, "init", "--yes")
    assert code == 0 and "Database ready" in out
    assert revision_of(older_server_database) == db.SCHEMA_REVISION

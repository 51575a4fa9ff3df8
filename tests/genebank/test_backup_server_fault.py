"""A PostgreSQL backup whose copy fails mid-way (the server gone, a statement cancelled) is
the backup's own refusal, BackupFailed, worded plainly; no half-copy stays anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Table
from sqlalchemy.exc import OperationalError

from genebank import backup, db
from genebank.models import Base
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def server_database() -> Iterator[db.Database]:
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_backupfault")
    database = db.open_database(url, create=True)
    with database.engine.begin() as connection:
        connection.execute(Base.metadata.tables["institute"].insert(), [
            {"code": f"XYZ{n:04d}", "name": f"Institute {n}"} for n in range(300)])
    yield database
    database.close()
    drop_postgres_database(url)


class ServerGone(Exception):
    """What the driver raises when the server closes the connection (its words)."""

    def __str__(self) -> str:
        return "server closed the connection unexpectedly"


def test_a_copy_failing_midway_is_a_backup_failure_and_leaves_nothing(
        server_database: db.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copied: list[str] = []
    real = backup._copy_table

    def failing(reader: Connection, writer: Connection, table: Table, served: Table,
                *rest: object) -> None:
        if copied:
            raise OperationalError("SELECT ...", {}, ServerGone())
        real(reader, writer, table, served, *rest)
        copied.append(table.name)

    monkeypatch.setattr(backup, "_copy_table", failing)
    target = tmp_path / "server.sqlite"
    with pytest.raises(backup.BackupFailed) as failed:
        backup.backup(server_database, target)
    assert copied and failed.value.code == "write_failed"
    assert failed.value.params["path"] == str(target)
    assert failed.value.params["fault"]
    assert "server closed the connection" in str(failed.value)
    assert "SELECT" not in str(failed.value)
    assert list(tmp_path.iterdir()) == []  # neither the backup nor its temporary file

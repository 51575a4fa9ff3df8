"""Several workstations opening one database at once: creating and upgrading are serialised,
the ones that come second wait and then use the result; on PostgreSQL only the schema's
owner upgrades, after confirming a backup."""

from __future__ import annotations

import multiprocessing
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from genebank import db
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url
from tests.genebank import opening_workstation

WORKSTATIONS = 3
OLDER = "0006"
Outcome = tuple[str, str, str]


def version_rows(url: str) -> list[str]:
    engine = db.create_engine_for(url)
    try:
        with engine.connect() as connection:
            return [row[0] for row in connection.execute(
                text("SELECT version_num FROM alembic_version"))]
    finally:
        engine.dispose()


def at_revision(url: str, revision: str) -> None:
    engine = db.create_engine_for(url)
    db.upgrade(engine, revision)
    engine.dispose()


@pytest.fixture(scope="module")
def together(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Three workstations (real processes) start at the same moment, four times: on a new
    SQLite file, an older SQLite file, and (with a server) a new and an older PostgreSQL
    database. One set of processes does all four, to keep the suite quick."""
    folder = tmp_path_factory.mktemp("together")
    new_file, old_file = folder / "new" / "genebank.sqlite", folder / "old" / "genebank.sqlite"
    new_file.parent.mkdir()  # a new database goes into a folder that exists
    old_file.parent.mkdir()
    at_revision(db.sqlite_url(old_file), OLDER)
    jobs: list[tuple[str, str, dict[str, Any]]] = [
        ("new file", db.sqlite_url(new_file), {"create": True}),
        ("older file", db.sqlite_url(old_file), {"create": False}),
    ]
    servers: list[str] = []
    if postgres_server_url():
        servers = [create_postgres_database("genebank_new"),
                   create_postgres_database("genebank_older")]
        at_revision(servers[1], OLDER)
        jobs += [("new server", servers[0], {"create": True}),
                 ("older server", servers[1], {"create": False, "upgrade_confirmed": True})]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKSTATIONS), context.Queue()
    processes = [context.Process(target=opening_workstation.start,
                                 args=(jobs, barrier, results))
                 for _ in range(WORKSTATIONS)]
    for process in processes:
        process.start()
    outcomes: dict[str, list[Outcome]] = {name: [] for name, _, _ in jobs}
    try:
        for _ in range(len(jobs) * WORKSTATIONS):
            name, *outcome = results.get(timeout=180)
            outcomes[name].append(tuple(outcome))
        for process in processes:
            process.join(60)
        yield {"outcomes": outcomes, "new_file": new_file, "old_file": old_file,
               "servers": servers, "exit_codes": [p.exitcode for p in processes]}
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
        for url in servers:
            drop_postgres_database(url)


def test_three_first_starts_on_one_new_sqlite_file(together: dict[str, Any]) -> None:
    """Three workstations creating the same new file at once all open it; one schema, and
    the lock file is gone afterwards."""
    path = together["new_file"]
    assert together["exit_codes"] == [0] * WORKSTATIONS
    assert together["outcomes"]["new file"] == [("ok", db.SCHEMA_REVISION, "")] * WORKSTATIONS
    assert version_rows(db.sqlite_url(path)) == [db.SCHEMA_REVISION]
    assert sorted(p.name for p in path.parent.iterdir()) == ["genebank.sqlite"]


def test_three_workstations_open_one_older_sqlite_file(together: dict[str, Any]) -> None:
    """An older file opened by three at once is backed up once and upgraded once."""
    path, outcomes = together["old_file"], together["outcomes"]["older file"]
    assert {(status, revision) for status, revision, _ in outcomes} == \
        {("ok", db.SCHEMA_REVISION)}, outcomes
    backups = [backup for _, _, backup in outcomes if backup]
    assert len(backups) == 1
    assert sorted(p.name for p in path.parent.iterdir()) == \
        sorted(["genebank.sqlite", Path(backups[0]).name])
    assert version_rows(db.sqlite_url(Path(backups[0]))) == [OLDER]
    assert version_rows(db.sqlite_url(path)) == [db.SCHEMA_REVISION]


@pytest.mark.postgres
def test_three_first_starts_on_one_new_server_database(together: dict[str, Any]) -> None:
    """Three workstations connecting to the same empty server database at once all open it,
    with one schema."""
    if not together["servers"]:
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    assert together["outcomes"]["new server"] == [("ok", db.SCHEMA_REVISION, "")] * WORKSTATIONS
    assert version_rows(together["servers"][0]) == [db.SCHEMA_REVISION]


@pytest.mark.postgres
def test_three_owners_upgrade_one_older_server_database(together: dict[str, Any]) -> None:
    """Three confirmed upgrades of one older server database at once: one runs, the others
    wait for it and open the result."""
    if not together["servers"]:
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    assert together["outcomes"]["older server"] == \
        [("ok", db.SCHEMA_REVISION, "")] * WORKSTATIONS
    assert version_rows(together["servers"][1]) == [db.SCHEMA_REVISION]


@pytest.fixture
def new_server_database() -> Iterator[str]:
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    url = create_postgres_database("genebank_opening")
    yield url
    drop_postgres_database(url)


@pytest.mark.postgres
def test_only_the_owner_upgrades_a_server_database(new_server_database: str) -> None:
    """Another role is told who must upgrade; the owner is asked to confirm a backup first;
    nothing changes until the owner confirms."""
    at_revision(new_server_database, OLDER)
    clerk = f"genebank_clerk_{uuid.uuid4().hex[:8]}"
    engine = db.create_engine_for(new_server_database)
    with engine.begin() as connection:
        owner = connection.execute(text("SELECT current_user")).scalar_one()
        connection.execute(text(f'CREATE ROLE "{clerk}" LOGIN'))
        connection.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{clerk}"'))
    clerk_url = make_url(new_server_database).set(username=clerk).render_as_string(
        hide_password=False)
    try:
        with pytest.raises(db.NeedsUpgrade) as refused:
            db.open_database(clerk_url, create=False, upgrade_confirmed=True)
        assert refused.value.code == "needs_upgrade_by_owner"  # not "you may, as its owner"
        assert refused.value.params["owner"] == owner
        assert refused.value.params["is_owner"] is False
        assert refused.value.params["user"] == clerk
        assert f"needs upgrading by {owner}" in str(refused.value)
        assert "genebank upgrade" in str(refused.value)
        assert version_rows(new_server_database) == [OLDER]

        with pytest.raises(db.NeedsUpgrade) as asked:
            db.open_database(new_server_database, create=False)
        assert asked.value.params["is_owner"] is True
        assert "genebank backup" in str(asked.value)
        assert version_rows(new_server_database) == [OLDER]

        db.open_database(new_server_database, create=False, upgrade_confirmed=True).close()
        assert version_rows(new_server_database) == [db.SCHEMA_REVISION]
        db.open_database(clerk_url, create=False).close()  # up to date: the clerk opens it
    finally:
        engine.dispose()
        drop_postgres_database(new_server_database)
        admin = db.create_engine_for(postgres_server_url())  # type: ignore[arg-type]
        with admin.begin() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{clerk}"'))
        admin.dispose()


HOLDER = """
import sys
from pathlib import Path
from genebank import schema_lock
with schema_lock.sqlite_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()  # until the test kills this process
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_workstation_killed_while_creating_does_not_block_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While another process holds the create/upgrade lock, opening waits (here briefly,
    then says so and creates nothing); once that process is killed (SIGKILL, a power cut)
    the lock is free and the database is created."""
    import signal
    import subprocess

    from genebank import schema_lock

    path = tmp_path / "genebank.sqlite"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        monkeypatch.setattr(schema_lock, "WAIT_SECONDS", 0.3)
        with pytest.raises(db.DatabaseUnavailable) as waited:
            db.open_database(str(path), create=True)
        assert waited.value.code == "schema_lock_timeout"
        assert not path.exists()
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)
    monkeypatch.setattr(schema_lock, "WAIT_SECONDS", 10)
    db.open_database(str(path), create=True).close()
    assert version_rows(db.sqlite_url(path)) == [db.SCHEMA_REVISION]
    assert not schema_lock.lock_path(path).exists()


@pytest.mark.postgres
def test_members_of_a_group_owner_and_a_superuser_may_upgrade(new_server_database: str) -> None:
    """When the owner is a NOLOGIN group role, its members may upgrade (as the group, so the
    new tables belong to it too), and so may a superuser; a role outside the group may not."""
    suffix = uuid.uuid4().hex[:8]
    group, member, outsider = (f"genebank_{what}_{suffix}"
                               for what in ("owners", "member", "outsider"))
    admin = db.create_engine_for(postgres_server_url())  # type: ignore[arg-type]
    engine = db.create_engine_for(new_server_database)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE ROLE "{group}" NOLOGIN'))
            connection.execute(text(f'CREATE ROLE "{member}" LOGIN IN ROLE "{group}"'))
            connection.execute(text(f'CREATE ROLE "{outsider}" LOGIN'))
        with engine.begin() as connection:
            connection.execute(text(f'GRANT CREATE, USAGE ON SCHEMA public TO "{group}"'))
            connection.execute(text(f'SET LOCAL ROLE "{group}"'))
            db.upgrade_on(connection, OLDER)  # the group owns the older schema
            connection.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO '
                                    f'"{outsider}"'))

        def as_role(role: str) -> str:
            return make_url(new_server_database).set(username=role).render_as_string(
                hide_password=False)

        with pytest.raises(db.NeedsUpgrade) as refused:
            db.open_database(as_role(outsider), create=False, upgrade_confirmed=True)
        assert refused.value.params["is_owner"] is False
        with pytest.raises(db.NeedsUpgrade) as asked:
            db.open_database(as_role(member), create=False)
        assert asked.value.params["is_owner"] is True
        assert asked.value.params["owner"] == group
        superuser = make_url(new_server_database).username
        with pytest.raises(db.NeedsUpgrade) as asked_superuser:
            db.open_database(new_server_database, create=False)
        assert asked_superuser.value.params["is_owner"] is True
        assert asked_superuser.value.params["user"] == superuser
        assert version_rows(new_server_database) == [OLDER]

        db.open_database(as_role(member), create=False, upgrade_confirmed=True).close()
        assert version_rows(new_server_database) == [db.SCHEMA_REVISION]
        with engine.connect() as connection:
            owners = set(connection.scalars(text(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")))
        assert owners == {group}
    finally:
        engine.dispose()
        drop_postgres_database(new_server_database)
        with admin.begin() as connection:
            for role in (member, outsider, group):
                connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


@pytest.mark.postgres
def test_a_superuser_may_upgrade_a_database_owned_by_another_role(
        new_server_database: str) -> None:
    """The superuser postgres upgrades a database owned by another role, as that role."""
    owner = f"genebank_owner_{uuid.uuid4().hex[:8]}"
    admin = db.create_engine_for(postgres_server_url())  # type: ignore[arg-type]
    engine = db.create_engine_for(new_server_database)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE ROLE "{owner}" NOLOGIN'))
        with engine.begin() as connection:
            connection.execute(text(f'GRANT CREATE, USAGE ON SCHEMA public TO "{owner}"'))
            connection.execute(text(f'SET LOCAL ROLE "{owner}"'))
            db.upgrade_on(connection, OLDER)
        db.open_database(new_server_database, create=False, upgrade_confirmed=True).close()
        assert version_rows(new_server_database) == [db.SCHEMA_REVISION]
        with engine.connect() as connection:
            owners = set(connection.scalars(text(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")))
        assert owners == {owner}
    finally:
        engine.dispose()
        drop_postgres_database(new_server_database)
        with admin.begin() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{owner}"'))
        admin.dispose()

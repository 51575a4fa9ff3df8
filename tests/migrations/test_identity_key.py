"""0008: one identity per accession. The upgrade stops, changing nothing, when stored
accessions collide under the key; resolve-duplicates is the way out; then it upgrades."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from genebank import cli, db
from genebank.mcpd.identity import accession_key
from genebank.models import Base
from genebank.passport.identity_collisions import DuplicateAccessions
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url

# (id, ACCENUMB, created, ACCENAME): two groups of one accession written twice. SQLite's
# NOCASE column kept "kz-0001" out before 0008; full-width lower case got past it.
SECOND = {"postgresql": "kz-0001", "sqlite": "ｋｚ-0001"}
STORED = [
    (1, "KZ-0001", dt.datetime(2019, 4, 2), "Kazakhstanskaya 10"),
    (2, "{second}", dt.datetime(2023, 9, 14), "Kazakhstanskaya 10"),
    (3, "ＫＺ－0002", dt.datetime(2024, 1, 5), "Saratovskaya 29"),  # full-width keyboard
    (4, "KZ-0002 ", dt.datetime(2018, 6, 30), "Saratovskaya 29"),  # the oldest of its group
    (5, "KZ-0003", dt.datetime(2020, 1, 1), "Almaly"),
    (6, "KZ-0001-2", dt.datetime(2021, 2, 2), "Erythrospermum 350"),  # the first free suffix
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_database(request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The URL of a database at 0007 holding STORED (the user's own folders are under
    tmp_path: for PostgreSQL the list of collisions goes to its data folder)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if request.param == "sqlite":
        url = db.sqlite_url(tmp_path / "collection.sqlite")
    else:
        if not postgres_server_url():
            pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
        url = create_postgres_database("genebank_identity")
    engine = db.create_engine_for(url)
    db.upgrade(engine, "0007")
    with engine.begin() as connection:
        _store(connection)
    engine.dispose()
    yield url
    if request.param == "postgresql":
        drop_postgres_database(url)


def _store(connection: Connection) -> None:
    tables = Base.metadata.tables
    connection.execute(tables["institute"].insert().values(code="KAZ001", name=""))
    connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                       sort_name="triticum"))
    second = SECOND[connection.dialect.name]
    for accession_id, number, created, name in STORED:
        number = number.format(second=second)
        connection.execute(text(
            "INSERT INTO accession (id, instcode, accenumb, taxon_id, origcty, created_at, "
            "created_by, updated_at, updated_by, version) VALUES (:id, 'KAZ001', :number, 1, "
            "'KAZ', :at, 'lab', :at, 'lab', 1)"),
            {"id": accession_id, "number": number, "at": created})
        connection.execute(text(
            "INSERT INTO accession_name (accession_id, position, name, created_at, "
            "created_by, updated_at, updated_by, version) VALUES (:id, 0, :name, :at, 'lab', "
            ":at, 'lab', 1)"), {"id": accession_id, "name": name, "at": created})


def _contents(url: str) -> tuple[str | None, list[tuple[object, ...]], list[tuple[object, ...]]]:
    engine = db.create_engine_for(url)
    try:
        revision, _ = db.schema_revision(engine)
        with engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("accession")}
            accessions = sorted(tuple(r) for r in connection.execute(text(
                "SELECT * FROM accession")))
            numbers = sorted(tuple(r) for r in connection.execute(text(
                "SELECT accession_id, position, instcode, number FROM accession_other_number")))
            return revision, accessions, [*numbers, ("identity_key" in columns,)]
    finally:
        engine.dispose()


def _second(url: str) -> str:
    return SECOND["sqlite" if db.sqlite_path(url) else "postgresql"]


def _listing(tmp_path: Path) -> list[dict[str, str]]:
    [path] = tmp_path.rglob("*.duplicate-accessions.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_upgrade_stops_unchanged_and_lists_the_collisions(
        old_database: str, tmp_path: Path) -> None:
    """Opening a 0007 database holding KZ-0001 and kz-0001 (and a full-width pair) is
    refused with a coded message naming the list and the way out; nothing in the database
    changed, no backup was made, and the list names every accession of each group. The
    migration run on its own refuses too."""
    before = _contents(old_database)
    with pytest.raises(DuplicateAccessions) as refused:
        db.open_database(old_database, user="amina", upgrade_confirmed=True)
    error = refused.value
    assert error.code.startswith("duplicate_accessions_")  # _file_ / _server_, listed or not
    assert error.params["groups"] == 2
    assert "resolve-duplicates --rename" in str(error) and "--merge" in str(error)
    assert error.params["listing"] in str(error)
    assert Path(error.params["listing"]).parent == (
        tmp_path if db.sqlite_path(old_database) else tmp_path / "data" / "Genebank")
    assert _contents(old_database) == before
    assert before[0] == "0007"
    assert not list(tmp_path.glob("*backup*"))
    rows = _listing(tmp_path)
    assert [(r["id"], r["INSTCODE"], r["ACCENUMB"], r["ACCENAME"], r["created"][:10])
            for r in rows] == [
        ("1", "KAZ001", "KZ-0001", "Kazakhstanskaya 10", "2019-04-02"),
        ("2", "KAZ001", _second(old_database), "Kazakhstanskaya 10", "2023-09-14"),
        ("4", "KAZ001", "KZ-0002 ", "Saratovskaya 29", "2018-06-30"),
        ("3", "KAZ001", "ＫＺ－0002", "Saratovskaya 29", "2024-01-05")]
    assert [r["ids"] for r in rows] == ["1 2", "1 2", "4 3", "4 3"]
    assert rows[0]["key"] == "kaz001 kz-0001"
    engine = db.create_engine_for(old_database)  # as the alembic command would run it,
    try:  # without open's early check: 0008 stops before its first change
        with pytest.raises(DuplicateAccessions):
            db.upgrade(engine)
    finally:
        engine.dispose()
    assert _contents(old_database) == before


def test_rename_then_upgrade(old_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """resolve-duplicates --rename keeps the oldest of each group, renumbers the others with
    the first free suffix, keeps their old number in OTHERNUMB; then the upgrade runs and
    the key is unique on the database itself."""
    assert cli.main(["--database", old_database, "resolve-duplicates", "--rename", "--yes"]) == 0
    second = _second(old_database)
    assert f"{second} renumbered {second}-3" in capsys.readouterr().out
    database = db.open_database(old_database, user="amina", upgrade_confirmed=True)
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT id, accenumb, identity_key, version FROM accession ORDER BY id")
            ).all() == [
                (1, "KZ-0001", "kaz001\tkz-0001", 1),
                (2, f"{second}-3", "kaz001\tkz-0001-3", 2),
                (3, "ＫＺ－0002-2", "kaz001\tkz-0002-2", 2),
                (4, "KZ-0002 ", "kaz001\tkz-0002", 1),
                (5, "KZ-0003", "kaz001\tkz-0003", 1),
                (6, "KZ-0001-2", "kaz001\tkz-0001-2", 1)]
            assert connection.execute(text(
                "SELECT accession_id, instcode, number FROM accession_other_number "
                "ORDER BY accession_id")).all() == [(2, "KAZ001", second),
                                                    (3, "KAZ001", "ＫＺ－0002")]
        with pytest.raises(IntegrityError), database.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO accession (instcode, accenumb, identity_key, taxon_id, "
                "created_at, created_by, updated_at, updated_by, version) VALUES ('KAZ001', "
                "'kz-0003', :key, 1, :at, '', :at, '', 1)"),
                {"key": accession_key("KAZ001", "kz-0003"), "at": dt.datetime(2026, 1, 1)})
    finally:
        database.close()


def test_merge_removes_only_exact_copies_without_records(
        old_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--merge removes a newer accession only when it is a copy of the oldest (every
    descriptor but the spelling of ACCENUMB) with no records of its own; other groups stay
    and the upgrade is still refused until they are resolved."""
    engine = db.create_engine_for(old_database)
    with engine.begin() as connection:  # accession 2 has a seed lot: not removable
        connection.execute(Base.metadata.tables["seed_lot"].insert().values(
            id=1, accession_id=2, lot_number="L-1", storage_type="base",
            stored_on=dt.date(2023, 10, 1)))
    engine.dispose()
    assert cli.main(["--database", old_database, "resolve-duplicates", "--merge", "--yes"]) == 1
    printed = capsys.readouterr()
    assert "accession 3: ＫＺ－0002 removed, a copy of accession 4" in printed.out
    assert f"{_second(old_database)} (accession 2)" in printed.out
    assert "1 group(s) remain" in printed.err
    if db.sqlite_path(old_database):
        assert len(list(tmp_path.glob("collection.before-resolve-duplicates-*.sqlite"))) == 1
    revision, rows, _ = _contents(old_database)
    assert revision == "0007" and [r[0] for r in rows] == [1, 2, 4, 5, 6]
    with pytest.raises(DuplicateAccessions) as refused:
        db.open_database(old_database, upgrade_confirmed=True)
    assert refused.value.params["groups"] == 1
    assert cli.main(["--database", old_database, "resolve-duplicates", "--rename", "--yes"]) == 0
    db.open_database(old_database, upgrade_confirmed=True).close()
    assert _contents(old_database)[0] == db.SCHEMA_REVISION


def test_resolve_on_a_database_without_collisions_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """At 0008 (or with nothing to resolve) resolve-duplicates says so and writes nothing."""
    url = db.sqlite_url(tmp_path / "fine.sqlite")
    db.open_database(url, upgrade_confirmed=True).close()
    assert cli.main(["--database", url, "resolve-duplicates", "--merge"]) == 0
    assert "nothing to resolve" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == []


def test_upgrade_fills_the_key_of_every_accession(tmp_path: Path) -> None:
    """Without collisions 0008 gives each stored accession its key, and the round trip
    back to 0007 removes the column again."""
    engine: Engine = db.create_engine_for(db.sqlite_url(tmp_path / "clean.sqlite"))
    db.upgrade(engine, "0007")
    with engine.begin() as connection:
        _store(connection)
        connection.execute(text("DELETE FROM accession WHERE id IN (2, 3)"))
    db.upgrade(engine)
    with engine.connect() as connection:
        assert dict(connection.execute(text("SELECT id, identity_key FROM accession")).all()) \
            == {1: "kaz001\tkz-0001", 4: "kaz001\tkz-0002", 5: "kaz001\tkz-0003",
                6: "kaz001\tkz-0001-2"}
    db.downgrade(engine, "0007")
    assert "identity_key" not in {c["name"] for c in inspect(engine).get_columns("accession")}
    engine.dispose()

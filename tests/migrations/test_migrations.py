"""Migrations: one head, upgrade from empty, round trip, and models equal to the schema."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genebank import db
from genebank.conservation import seed_tests, worklists
from genebank.conservation.seed_tests import Replicate
from genebank.mcpd.identity import accession_key
from genebank.models import Base
from genebank.passport import import_logs, own_institutes
from genebank.users import accounts
from genebank.users.roles import Role


def _accession(connection: Connection, accession_id: int, instcode: str, accenumb: str, *,
               created: dt.datetime = dt.datetime(2024, 3, 1)) -> None:
    """An accession of taxon 1 as the database's revision stores one (with its identity
    key from 0008 on): the models' table has the newest columns."""
    columns = {c["name"] for c in inspect(connection).get_columns("accession")}
    key = {"identity_key": accession_key(instcode, accenumb)} \
        if "identity_key" in columns else {}
    names = ", ".join(["id", "instcode", "accenumb", "taxon_id", "created_at", "created_by",
                       "updated_at", "updated_by", "version", *key])
    connection.execute(text(
        f"INSERT INTO accession ({names}) VALUES (:id, :instcode, :accenumb, 1, :at, 'lab', "
        f":at, 'lab', 1{', :identity_key' if key else ''})"),
        {"id": accession_id, "instcode": instcode, "accenumb": accenumb, "at": created, **key})


def test_there_is_one_head_and_the_app_knows_it() -> None:
    """The migration history never forks, and db.SCHEMA_REVISION names its head."""
    heads = ScriptDirectory.from_config(db.alembic_config()).get_heads()
    assert heads == [db.SCHEMA_REVISION]


def test_upgrade_from_empty_matches_the_models(empty_engine: Engine) -> None:
    """Migrating an empty database gives exactly the schema the models describe."""
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_round_trip(empty_engine: Engine) -> None:
    """Every migration can be undone and redone."""
    db.upgrade(empty_engine)
    db.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(empty_engine)
    assert {"accession", "taxon", "institute"} <= set(inspect(empty_engine).get_table_names())


def test_0004_gives_recorded_safety_duplicates_their_accession(empty_engine: Engine) -> None:
    """Duplicates recorded before 0004 learn their accession from their lot."""
    db.upgrade(empty_engine, "0003")
    tables = Base.metadata.tables  # Core inserts fill the audit columns' defaults
    with empty_engine.begin() as connection:
        for code in ("NOR051", "KAZ001"):
            connection.execute(tables["institute"].insert().values(code=code, name=""))
        connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                           sort_name="triticum"))
        _accession(connection, 7, "KAZ001", "KZ-7")
        connection.execute(tables["seed_lot"].insert().values(
            id=3, accession_id=7, lot_number="L-3", storage_type="base",
            stored_on=dt.date(2025, 1, 1)))
        connection.execute(tables["safety_duplicate"].insert().values(
            id=1, lot_id=3, institute_code="NOR051", status="sent"))
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT accession_id FROM safety_duplicate")).all() \
            == [(7,)]


def _old_germination_test(connection: Connection, test_id: int, day: dt.date, percent: float,
                          replicates: list[tuple[int, int, int, int, int]]) -> None:
    """A test as schema 0005 stored it (normal, abnormal, dead, ungerminated of sown)."""
    audit = {"created_at": dt.datetime(2024, 3, 1), "created_by": "lab",
             "updated_at": dt.datetime(2024, 3, 1), "updated_by": "lab", "version": 1}
    connection.execute(text(
        "INSERT INTO germination_test (id, lot_id, tested_on, method, pretreatment, "
        "seeds_consumed, germination_pct, tester, notes, created_at, created_by, updated_at, "
        "updated_by, version) VALUES (:id, 3, :day, 'BP', '', :seeds, :pct, 'lab', '', "
        ":created_at, :created_by, :updated_at, :updated_by, :version)"),
        {"id": test_id, "day": day, "seeds": sum(r[0] for r in replicates), "pct": percent,
         **audit})
    for position, (sown, normal, abnormal, dead, ungerminated) in enumerate(replicates, 1):
        connection.execute(text(
            "INSERT INTO germination_replicate (test_id, position, sown, normal, abnormal, "
            "dead, ungerminated, created_at, created_by, updated_at, updated_by, version) "
            "VALUES (:test, :position, :sown, :normal, :abnormal, :dead, :ungerminated, "
            ":created_at, :created_by, :updated_at, :updated_by, :version)"),
            {"test": test_id, "position": position, "sown": sown, "normal": normal,
             "abnormal": abnormal, "dead": dead, "ungerminated": ungerminated, **audit})


def test_0006_keeps_old_germination_tests_and_lists_those_short_of_the_sown(
        empty_engine: Engine) -> None:
    """Tests recorded before 0006 keep their counts and percentages, the lot its viability;
    those whose counts fall short of the seeds sown are listed for a person to check."""
    db.upgrade(empty_engine, "0005")
    tables = Base.metadata.tables
    with empty_engine.begin() as connection:
        connection.execute(tables["institute"].insert().values(code="KAZ001", name=""))
        connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                           sort_name="triticum"))
        _accession(connection, 7, "KAZ001", "KZ-7")
        connection.execute(tables["seed_lot"].insert().values(
            id=3, accession_id=7, lot_number="L-3", storage_type="base", status="active",
            stored_on=dt.date(2019, 1, 10), seeds_on_hand=4800, initial_viability_pct=90.0,
            last_viability_pct=81.0, last_tested_on=dt.date(2024, 3, 1)))
        _old_germination_test(connection, 1, dt.date(2019, 3, 2), 90.0,
                              [(50, 46, 2, 1, 1), (50, 44, 2, 2, 2)])
        _old_germination_test(connection, 2, dt.date(2024, 3, 1), 81.0,
                              [(50, 40, 3, 2, 0), (50, 41, 4, 3, 2)])  # 5 seeds unaccounted
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text(
            "SELECT id, status, germination_pct, counted_on FROM germination_test ORDER BY id")
        ).all() == [(1, "complete", 90.0, None), (2, "short", 81.0, None)]
        assert connection.execute(text(
            "SELECT test_id, sown, normal, abnormal, dead, ungerminated, hard "
            "FROM germination_replicate ORDER BY test_id, position")).all() == [
            (1, 50, 46, 2, 1, 1, None), (1, 50, 44, 2, 2, 2, None),
            (2, 50, 40, 3, 2, 0, None), (2, 50, 41, 4, 3, 2, None)]
        assert connection.execute(text(
            "SELECT initial_viability_pct, last_viability_pct FROM seed_lot")).one() \
            == (90.0, 81.0)
    today = dt.date(2026, 11, 23)
    with Session(empty_engine) as session:
        items = worklists.page(session, worklists.WorkQuery(worklists.COUNTS_SHORT, today))
        assert [(i.accenumb, i.lot_number, i.reason) for i in items] == [
            ("KZ-7", "L-3", "germination test of 2024-03-01 (81 %): counts short of the seeds "
                            "sown")]
    with pytest.raises(IntegrityError), empty_engine.begin() as connection:  # still checked
        connection.execute(text("UPDATE germination_replicate SET hard = 9 WHERE test_id = 1"))
    with Session(empty_engine) as session, session.begin():  # the lab's sheet had 5 hard seeds
        seed_tests.complete_germination(session, 2, counted_on=today, today=today, replicates=[
            Replicate(50, 40, 3, 2, 0, 5), Replicate(50, 41, 4, 3, 2, 0)])
    with Session(empty_engine) as session:
        assert worklists.count(session, worklists.WorkQuery(worklists.COUNTS_SHORT, today)) == 0
        assert session.execute(text("SELECT initial_viability_pct, last_viability_pct "
                                    "FROM seed_lot")).one() == (90.0, 81.0)


def test_0006_downgrade_folds_hard_seeds_into_ungerminated(empty_engine: Engine) -> None:
    """Going back to 0005 keeps every counted seed (hard seeds were 'fresh or dormant'
    there) and stops, changing nothing, while a test is still in progress."""
    db.upgrade(empty_engine)
    tables = Base.metadata.tables
    with empty_engine.begin() as connection:
        connection.execute(tables["institute"].insert().values(code="KAZ001", name=""))
        connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                           sort_name="triticum"))
        connection.execute(tables["accession"].insert().values(id=7, instcode="KAZ001",
                                                               accenumb="KZ-7", taxon_id=1))
        connection.execute(tables["seed_lot"].insert().values(
            id=3, accession_id=7, lot_number="L-3", storage_type="base", status="active",
            stored_on=dt.date(2019, 1, 10)))
        connection.execute(tables["germination_test"].insert().values(
            id=1, lot_id=3, tested_on=dt.date(2026, 1, 5), seeds_consumed=50,
            germination_pct=90.0, status="complete"))
        connection.execute(tables["germination_replicate"].insert().values(
            test_id=1, position=1, sown=50, normal=45, abnormal=1, dead=1, ungerminated=1,
            hard=2))
        connection.execute(tables["germination_test"].insert().values(
            id=2, lot_id=3, tested_on=dt.date(2026, 11, 20), seeds_consumed=50,
            status="in_progress"))
    with pytest.raises(RuntimeError, match="1 germination tests are in progress"):
        db.downgrade(empty_engine, "0005")
    with empty_engine.begin() as connection:
        connection.execute(text("DELETE FROM germination_test WHERE id = 2"))
    db.downgrade(empty_engine, "0005")
    with empty_engine.connect() as connection:
        assert connection.execute(text(
            "SELECT normal, abnormal, dead, ungerminated FROM germination_replicate")).one() \
            == (45, 1, 1, 3)


# 0007: the import log's unchanged count; indexes on every foreign-key column ---------------
REFERENCES_0007 = {
    ("seed_lot", "parent_lot_id"), ("lot_transaction", "from_location_id"),
    ("lot_transaction", "to_location_id"), ("germination_test", "transaction_id"),
    ("regeneration", "source_lot_id"), ("regeneration", "harvested_lot_id"),
    ("safety_duplicate", "accession_id"), ("safety_duplicate", "transaction_id"),
    ("course", "host_code"),
}
OLD_IMPORTS = [  # (details, created, updated, skipped) as imports before 0007 wrote them
    ("0 created, 12 updated, 1,204 unchanged, 3 skipped\nrow 7: skipped, KZ-7 exists already\n"
     "row 9: KZ-9 updated: ORIGCTY 'KAZ' -> 'UZB'", 0, 12, 3),
    ("25 created, 0 updated, 2 skipped\nrow 4: skipped, ACCENUMB: is missing", 25, 0, 2),
    ("row 3: ACCENUMB is missing", 5, 0, 1),
    ("0 created, 4 updated, 9 unchanged, 0 skipped", 0, 5, 0),  # not this entry's own line
]


def _old_import_log(connection: Connection, entry_id: int, details: str, created: int,
                    updated: int, skipped: int) -> None:
    connection.execute(text(
        "INSERT INTO import_log (id, kind, file_name, sheet, finished_at, created_count, "
        "updated_count, skipped_count, details, created_at, created_by, updated_at, "
        "updated_by, version) VALUES (:id, 'passport', 'Passeport 2025 (corrigé).xlsx', "
        "'Feuil1', :at, :created, :updated, :skipped, :details, :at, 'amina', :at, 'amina', "
        "1)"), {"id": entry_id, "at": dt.datetime(2025, 6, 3, 9, 41), "created": created,
                "updated": updated, "skipped": skipped, "details": details})


def _owned_row(connection: Connection, table: str, **values: object) -> None:
    """A row an accession owns, as the database's revision stores one: with an id and
    audit columns of its own until 0012."""
    if "id" in {c["name"] for c in inspect(connection).get_columns(table)}:
        at = dt.datetime(2024, 3, 1)
        values = {"created_at": at, "created_by": "lab", "updated_at": at,
                  "updated_by": "lab", "version": 1, **values}
    connection.execute(text(f"INSERT INTO {table} ({', '.join(values)}) "
                            f"VALUES ({', '.join(f':{name}' for name in values)})"), values)


def _records_of_0006(connection: Connection) -> None:
    """A small collection as schema 0006 held it, with every reference 0007 indexes set."""
    tables = Base.metadata.tables
    connection.execute(tables["institute"].insert().values(code="KAZ001", name=""))
    connection.execute(tables["institute"].insert().values(code="NOR051", name=""))
    connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                       sort_name="triticum"))
    _accession(connection, 7, "KAZ001", "KZ-7")
    _owned_row(connection, "accession_name", accession_id=7, position=1,
               name="Kazakhstanskaya 10")
    connection.execute(tables["storage_location"].insert().values(id=1, name="Cold store A"))
    connection.execute(tables["storage_location"].insert().values(id=2, parent_id=1,
                                                                  name="Shelf 2"))
    connection.execute(tables["seed_lot"].insert().values(
        id=3, accession_id=7, lot_number="L-3", storage_type="base", location_id=1,
        stored_on=dt.date(2019, 1, 10), seeds_on_hand=4800))
    connection.execute(tables["seed_lot"].insert().values(
        id=4, accession_id=7, lot_number="L-4", storage_type="active", location_id=2,
        parent_lot_id=3, stored_on=dt.date(2024, 9, 1)))
    connection.execute(tables["lot_transaction"].insert().values(
        id=1, lot_id=3, kind="transfer", occurred_on=dt.date(2024, 2, 1), seeds=0,
        from_location_id=2, to_location_id=1))
    connection.execute(tables["lot_transaction"].insert().values(
        id=2, lot_id=3, kind="test", occurred_on=dt.date(2024, 3, 1), seeds=-100))
    connection.execute(tables["germination_test"].insert().values(
        id=1, lot_id=3, tested_on=dt.date(2024, 3, 1), seeds_consumed=100,
        germination_pct=90.0, status="complete", transaction_id=2))
    connection.execute(tables["germination_replicate"].insert().values(
        test_id=1, position=1, sown=50, normal=45, abnormal=2, dead=1, ungerminated=2))
    connection.execute(tables["regeneration"].insert().values(
        id=1, accession_id=7, source_lot_id=3, harvested_lot_id=4, status="harvested"))
    connection.execute(tables["lot_transaction"].insert().values(
        id=3, lot_id=3, kind="safety_duplicate", occurred_on=dt.date(2024, 5, 1), seeds=-500))
    connection.execute(tables["safety_duplicate"].insert().values(
        id=1, accession_id=7, lot_id=3, institute_code="NOR051", status="sent",
        transaction_id=3))
    connection.execute(tables["programme"].insert().values(id=1, name="Seed conservation"))
    connection.execute(tables["course"].insert().values(
        id=1, programme_id=1, title="Germination testing", host_code="KAZ001",
        start_on=dt.date(2025, 4, 7), end_on=dt.date(2025, 4, 11)))


OWNED_0012 = {"accession_name", "accession_other_number", "accession_storage",
              "accession_institute", "accession_remark"}


def _every_row(connection: Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the import log (whose columns change), ordered: the
    tables that hold rows (a later migration's new table is empty, and absent before it),
    without the columns later revisions add (0008's derived key, 0010's availability,
    unknown on every older row); an accession's own rows by the columns they keep from 0012
    on (their id and audit columns go)."""
    schema = inspect(connection)
    present = set(schema.get_table_names())
    columns = {table: ", ".join(c["name"] for c in schema.get_columns(table)
                                if c["name"] not in LATER_COLUMNS)
               for table in Base.metadata.tables
               if table in present and table not in OWNED_0012}
    columns.update({table: ", ".join(Base.metadata.tables[table].c.keys())
                    for table in OWNED_0012})
    return {table: [tuple(row) for row in connection.execute(text(
        f"SELECT {columns[table]} FROM {table} ORDER BY 1, 2"))]
        for table in columns if table != "import_log"
        and connection.execute(text(f"SELECT 1 FROM {table}")).first() is not None}


def _indexed_columns(engine: Engine, table: str) -> dict[str, str]:
    """The leading column of each index, unique constraint and primary key, by name."""
    schema = inspect(engine)
    leads = {index["column_names"][0]: index["name"] or ""
             for index in schema.get_indexes(table)}
    leads.update({unique["column_names"][0]: unique["name"] or ""
                  for unique in schema.get_unique_constraints(table)})
    primary = schema.get_pk_constraint(table)["constrained_columns"]
    if primary:
        leads[primary[0]] = "primary key"
    return leads


def test_0007_counts_unchanged_keeps_every_record_and_indexes_the_references(
        empty_engine: Engine) -> None:
    """Upgrading 0006 with data: the import log gets its unchanged count back from the
    counts line its entries wrote (else 0), no record is lost or changed, and every
    reference column gets its index."""
    db.upgrade(empty_engine, "0006")
    with empty_engine.begin() as connection:
        _records_of_0006(connection)
        for entry_id, (details, created, updated, skipped) in enumerate(OLD_IMPORTS, 1):
            _old_import_log(connection, entry_id, details, created, updated, skipped)
    with empty_engine.connect() as connection:
        before = _every_row(connection)
    assert all(before[table] for table in {t for t, _ in REFERENCES_0007}
               | {"accession_name", "germination_replicate", "storage_location"})
    assert not any(column in _indexed_columns(empty_engine, table)
                   for table, column in REFERENCES_0007)

    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert _every_row(connection) == before
        assert connection.execute(text(
            "SELECT id, created_count, updated_count, unchanged_count, skipped_count, details "
            "FROM import_log ORDER BY id")).all() == [
            (entry_id, created, updated, unchanged, skipped, details)
            for entry_id, ((details, created, updated, skipped), unchanged)
            in enumerate(zip(OLD_IMPORTS, (1204, 0, 0, 0), strict=True), 1)]
    for table, column in REFERENCES_0007:
        assert _indexed_columns(empty_engine, table).get(column) == f"ix_{table}_{column}"
    with Session(empty_engine) as session:
        assert [(e.id, e.unchanged) for e in import_logs.recent_imports(session)] == [
            (4, 0), (3, 0), (2, 0), (1, 1204)]


def test_every_foreign_key_column_leads_an_index(empty_engine: Engine) -> None:
    """Deleting a referenced row, or joining on a reference, never scans a whole table:
    every foreign key's first column leads an index, a unique constraint or the key."""
    db.upgrade(empty_engine)
    schema = inspect(empty_engine)
    unindexed = [(table, key["constrained_columns"][0])
                 for table in schema.get_table_names()
                 for key in schema.get_foreign_keys(table)
                 if key["constrained_columns"][0] not in _indexed_columns(empty_engine, table)]
    assert unindexed == []


def test_0007_downgrade_keeps_the_unchanged_count_in_the_details(empty_engine: Engine) -> None:
    """Back to 0006 the column and the indexes go; each entry's details still say how
    many were unchanged, and upgrading again reads the count back."""
    db.upgrade(empty_engine)
    tables = Base.metadata.tables
    with empty_engine.begin() as connection:
        _records_of_0006(connection)
        connection.execute(tables["import_log"].insert().values(
            id=1, kind="passport", file_name="export.xlsx", sheet="Passport",
            finished_at=dt.datetime(2026, 11, 26, 8, 0), created_count=0, updated_count=1,
            unchanged_count=1203, skipped_count=0,
            details="0 created, 1 updated, 1,203 unchanged, 0 skipped"))
        before = _every_row(connection)
    db.downgrade(empty_engine, "0006")
    assert "unchanged_count" not in {c["name"] for c in inspect(empty_engine).get_columns(
        "import_log")}
    assert not any(column in _indexed_columns(empty_engine, table)
                   for table, column in REFERENCES_0007)
    with empty_engine.connect() as connection:
        assert _every_row(connection) == before
        assert connection.execute(text("SELECT details FROM import_log")).scalar_one() \
            == "0 created, 1 updated, 1,203 unchanged, 0 skipped"
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT unchanged_count FROM import_log")).scalar_one() \
            == 1203


# ORIGCTY as stored before 0009 (four-letter former countries), and after it.
ORIGINS_0008 = ("SUHH", "CSHH", "YUCS", "CSXX", "DDDE", "BUMM", "ZRCD", "TPTL", "FQHH", "KAZ",
                None)
ORIGINS_0009 = ("SUN", "CSK", "YUG", "SCG", "DDR", "MMR", "COD", "TLS", "FQHH", "KAZ", None)


LATER_COLUMNS = frozenset({"identity_key", "available_for_distribution", "withdrawn_on",
                           "withdrawal_reason", "withdrawal_other_id", "withdrawal_note",
                           "voided_at", "voided_by", "void_reason", "corrects_id"})


def test_0009_stores_former_countries_in_three_letters(empty_engine: Engine) -> None:
    """Upgrading 0008: a dissolved state's ISO 3166-3 code becomes the three letters ISO
    withdrew (SUHH -> SUN), a renamed country's becomes today's (BUMM -> MMR), FQHH (whose
    ATF is now another country) and current codes stay; the downgrade gives the dissolved
    states their four letters back."""
    db.upgrade(empty_engine, "0008")
    tables = Base.metadata.tables
    with empty_engine.begin() as connection:
        connection.execute(tables["institute"].insert().values(code="KAZ001", name=""))
        connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                           sort_name="triticum"))
        for number, origin in enumerate(ORIGINS_0008, 1):
            _accession(connection, number, "KAZ001", f"KZ-{number}")
            connection.execute(text("UPDATE accession SET origcty = :o WHERE id = :i"),
                               {"o": origin, "i": number})

    def origins() -> tuple[str | None, ...]:
        with empty_engine.connect() as connection:
            return tuple(connection.scalars(text("SELECT origcty FROM accession ORDER BY id")))

    db.upgrade(empty_engine)
    assert origins() == ORIGINS_0009
    db.downgrade(empty_engine, "0008")
    assert origins() == (*ORIGINS_0008[:5], "MMR", "COD", "TLS", *ORIGINS_0008[8:])


def test_0010_adds_availability_and_the_collection_settings(empty_engine: Engine) -> None:
    """Upgrading 0008 with data: every accession's availability is unknown (NULL), the
    settings table is there and empty (a database has no own institute codes until
    someone sets them), and no record is lost or changed; back to 0008 both go, in place,
    and every record (an accession's names and seed lots included) stays."""
    db.upgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        _records_of_0006(connection)
        before = _every_row(connection)
    db.upgrade(empty_engine, "0010")
    with empty_engine.begin() as connection:
        assert _every_row(connection) == before
        assert connection.execute(text(
            "SELECT id, available_for_distribution FROM accession")).all() == [(7, None)]
        assert connection.execute(text("SELECT count(*) FROM collection_setting")).scalar() == 0
        connection.execute(text(
            "UPDATE accession SET available_for_distribution = :yes"), {"yes": True})
        connection.execute(Base.metadata.tables["collection_setting"].insert().values(
            key="own_instcodes", value="KAZ001", created_at=dt.datetime(2026, 11, 26),
            created_by="lab", updated_at=dt.datetime(2026, 11, 26), updated_by="lab",
            version=1))
    with Session(empty_engine) as session:
        assert own_institutes.own_instcodes(session) == ("KAZ001",)
    db.downgrade(empty_engine, "0008")
    assert "collection_setting" not in inspect(empty_engine).get_table_names()
    assert "available_for_distribution" not in {
        c["name"] for c in inspect(empty_engine).get_columns("accession")}
    with empty_engine.connect() as connection:
        assert _every_row(connection) == before


# 0012: an accession's own rows keyed by accession and place, without audit columns ----------
OWNED_BEFORE_0012 = {  # table: rows (id, accession_id, then the table's own columns)
    "accession_name": [(1, 7, 0, "Kazakhstanskaya 10"), (2, 7, 1, "Almaty white"),
                       (3, 8, 3, "Lonely name")],
    "accession_other_number": [(4, 7, 0, "KAZ001", "OLD-7")],
    "accession_storage": [(5, 7, 12), (6, 7, 13)],
    "accession_institute": [(7, 7, "COLLCODE", 0, "KAZ001"), (8, 7, "DUPLSITE", 0, "NOR051"),
                            (9, 7, "DUPLSITE", 1, "TUR001")],
    # Two remarks of accession 7 sharing place 0 (the later id shown second).
    "accession_remark": [(11, 7, 0, "COLLSITE:near the river"), (10, 7, 0, "SAMPSTAT:mixed"),
                         (12, 7, 1, "REMARKS:third")],
}
OWN_COLUMNS_0012 = {"accession_name": ("position", "name"),
                    "accession_other_number": ("position", "instcode", "number"),
                    "accession_storage": ("code",),
                    "accession_institute": ("role", "position", "code"),
                    "accession_remark": ("position", "remark")}


def _collection_of_0008(connection: Connection) -> None:
    tables = Base.metadata.tables  # tables 0012 does not change: Core inserts, defaults
    connection.execute(tables["institute"].insert().values(code="KAZ001", name=""))
    connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                       sort_name="triticum"))
    _accession(connection, 7, "KAZ001", "KZ-7", created=dt.datetime(2024, 3, 1))
    _accession(connection, 8, "KAZ001", "KZ-8", created=dt.datetime(2025, 5, 9))
    for table, rows in OWNED_BEFORE_0012.items():
        for row_id, accession_id, *own in rows:
            _owned_row(connection, table, id=row_id, accession_id=accession_id,
                       **dict(zip(OWN_COLUMNS_0012[table], own, strict=True)))


def _owned_rows(connection: Connection, table: str) -> list[tuple[object, ...]]:
    columns = ", ".join(("accession_id", *OWN_COLUMNS_0012[table]))
    return [tuple(row) for row in connection.execute(text(
        f"SELECT {columns} FROM {table} ORDER BY {columns}"))]


def test_0012_keeps_every_owned_row_in_its_order_without_audit_columns(
        empty_engine: Engine) -> None:
    """Upgrading 0008 with data: every name, number, storage type, institute and remark
    stays with its accession and its place; two rows sharing a place both stay, numbered
    again in their stored order; the audit columns and ids go; on SQLite the tables are
    WITHOUT ROWID; deleting the accession still deletes them."""
    db.upgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        _collection_of_0008(connection)
    db.upgrade(empty_engine)
    schema = inspect(empty_engine)
    with empty_engine.connect() as connection:
        for table in OWNED_BEFORE_0012:
            assert [c["name"] for c in schema.get_columns(table)] == [
                "accession_id", *OWN_COLUMNS_0012[table]]
        assert _owned_rows(connection, "accession_name") == [
            (7, 0, "Kazakhstanskaya 10"), (7, 1, "Almaty white"), (8, 3, "Lonely name")]
        assert _owned_rows(connection, "accession_remark") == [
            (7, 0, "SAMPSTAT:mixed"), (7, 1, "COLLSITE:near the river"),
            (7, 2, "REMARKS:third")]
        assert _owned_rows(connection, "accession_institute") == [
            (7, "COLLCODE", 0, "KAZ001"), (7, "DUPLSITE", 0, "NOR051"),
            (7, "DUPLSITE", 1, "TUR001")]
        assert _owned_rows(connection, "accession_storage") == [(7, 12), (7, 13)]
        assert _owned_rows(connection, "accession_other_number") == [(7, 0, "KAZ001", "OLD-7")]
        if empty_engine.dialect.name == "sqlite":
            assert {name for name, sql in connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
                if sql.rstrip().endswith("WITHOUT ROWID")} == set(OWNED_BEFORE_0012)
    with empty_engine.begin() as connection:
        if empty_engine.dialect.name == "sqlite":
            connection.execute(text("PRAGMA foreign_keys = ON"))
        connection.execute(text("DELETE FROM accession WHERE id = 7"))
    with empty_engine.connect() as connection:
        assert {table: len(_owned_rows(connection, table)) for table in OWNED_BEFORE_0012} \
            == {"accession_name": 1, "accession_other_number": 0, "accession_storage": 0,
                "accession_institute": 0, "accession_remark": 0}


def test_0012_downgrade_gives_each_row_an_id_and_its_accessions_stamp(
        empty_engine: Engine) -> None:
    """Back to 0008 each owned row gets an id (in its accession's order) and the stamp of
    its accession, version 1; a row added afterwards gets the next id."""
    db.upgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        _collection_of_0008(connection)
    db.upgrade(empty_engine)
    db.downgrade(empty_engine, "0008")
    with empty_engine.begin() as connection:
        assert [tuple(row) for row in connection.execute(text(
            "SELECT n.id, n.accession_id, n.position, n.name, n.created_by, n.version, "
            "n.created_at = a.created_at AND n.updated_at = a.updated_at "
            "FROM accession_name n JOIN accession a ON a.id = n.accession_id "
            "ORDER BY n.id"))] == [(1, 7, 0, "Kazakhstanskaya 10", "lab", 1, True),
                                   (2, 7, 1, "Almaty white", "lab", 1, True),
                                   (3, 8, 3, "Lonely name", "lab", 1, True)]
        assert connection.execute(text(
            "SELECT id, remark FROM accession_remark ORDER BY id")).all() == [
            (1, "SAMPSTAT:mixed"), (2, "COLLSITE:near the river"), (3, "REMARKS:third")]
        at = dt.datetime(2026, 1, 1)
        connection.execute(text(
            "INSERT INTO accession_name (accession_id, position, name, created_at, created_by, "
            "updated_at, updated_by, version) VALUES (8, 4, 'Added', :at, '', :at, '', 1)"),
            {"at": at})
        assert connection.execute(text(
            "SELECT id FROM accession_name WHERE name = 'Added'")).scalar() == 4
    assert "ix_accession_name_accession_id" in {
        index["name"] for index in inspect(empty_engine).get_indexes("accession_name")}



def test_0013_adds_people_without_touching_a_record_and_asks_for_an_administrator(
        empty_engine: Engine) -> None:
    """Upgrading 0012 with data: no record changes (their stamps keep the login names of
    before sign-in), nobody exists, so the database asks for its administrator; people
    with roles can then be stored, a name once whatever its case. Back to 0012 the people
    and the sign-in setting go, and every other row (the own institute codes too) stays."""
    db.upgrade(empty_engine, "0012")
    setting = dict(created_at=dt.datetime(2026, 11, 26), created_by="lab",
                   updated_at=dt.datetime(2026, 11, 26), updated_by="lab", version=1)
    with empty_engine.begin() as connection:
        connection.execute(Base.metadata.tables["institute"].insert().values(
            code="KAZ001", name=""))
        connection.execute(Base.metadata.tables["taxon"].insert().values(
            id=1, genus="Triticum", sort_name="triticum"))
        _accession(connection, 7, "KAZ001", "KZ-7")
        connection.execute(Base.metadata.tables["collection_setting"].insert().values(
            key="own_instcodes", value="KAZ001", **setting))
        before = _every_row(connection)
    db.upgrade(empty_engine, "0013")
    with empty_engine.connect() as connection:
        assert _every_row(connection) == before
        assert connection.execute(text("SELECT created_by FROM accession")).scalar() == "lab"
    db.upgrade(empty_engine, db.SCHEMA_REVISION)  # the services write history (0014)
    if empty_engine.dialect.name == "postgresql":  # people on a server: its login roles
        from genebank import server_roles

        with empty_engine.begin() as connection:  # dropped with the database (conftest)
            server_roles.set_up(connection)
    with Session(empty_engine, info={"user": "lab"}) as session, session.begin():
        assert accounts.needs_first_administrator(session)
        accounts.create_first_administrator(session, name="Ольга", password="пароль-2026",
                                            roles=[Role.ADMINISTRATOR, Role.CURATOR])
    with empty_engine.begin() as connection:
        assert connection.execute(text(
            "SELECT role FROM user_account_role ORDER BY role")).scalars().all() == [
            "administrator", "curator"]
        with pytest.raises(IntegrityError), connection.begin_nested():
            connection.execute(text(
                "INSERT INTO user_account_role (user_id, role) VALUES (1, 'superuser')"))
        with pytest.raises(IntegrityError), connection.begin_nested():
            connection.execute(Base.metadata.tables["user_account"].insert().values(
                name="ОЛЬГА", name_key="ольга", display_name="", disabled=False,
                **setting))
        connection.execute(Base.metadata.tables["collection_setting"].insert().values(
            key="sign_in", value="off", **setting))
    db.downgrade(empty_engine, "0012")
    assert not {"user_account", "user_account_role"} & set(
        inspect(empty_engine).get_table_names())
    with empty_engine.connect() as connection:
        assert _every_row(connection) == before

"""Rows as older revisions stored them, and what the migration tests compare before and
after a migration: shared by the modules of several revisions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, inspect, text

from genebank.mcpd.identity import accession_key
from genebank.models import Base


def insert_accession(connection: Connection, accession_id: int, instcode: str,
                     accenumb: str, *, created: dt.datetime = dt.datetime(2024, 3, 1)) -> None:
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


def insert_institutes_and_taxon(connection: Connection, *codes: str) -> None:
    """The institutes ``codes`` (KAZ001 unless named) and taxon 1 (Triticum) that older
    accessions refer to: Core inserts, which fill the audit columns' defaults."""
    tables = Base.metadata.tables
    for code in codes or ("KAZ001",):
        connection.execute(tables["institute"].insert().values(code=code, name=""))
    connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                       sort_name="triticum"))


def insert_owned_row(connection: Connection, table: str, **values: object) -> None:
    """A row an accession owns, as the database's revision stores one: with an id and
    audit columns of its own until 0012."""
    if "id" in {c["name"] for c in inspect(connection).get_columns(table)}:
        at = dt.datetime(2024, 3, 1)
        values = {"created_at": at, "created_by": "lab", "updated_at": at,
                  "updated_by": "lab", "version": 1, **values}
    connection.execute(text(f"INSERT INTO {table} ({', '.join(values)}) "
                            f"VALUES ({', '.join(f':{name}' for name in values)})"), values)


def records_of_0006(connection: Connection) -> None:
    """A small collection as schema 0006 held it, with every reference 0007 indexes set."""
    tables = Base.metadata.tables
    insert_institutes_and_taxon(connection, "KAZ001", "NOR051")
    insert_accession(connection, 7, "KAZ001", "KZ-7")
    insert_owned_row(connection, "accession_name", accession_id=7, position=1,
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


LATER_COLUMNS = frozenset({"identity_key", "available_for_distribution", "withdrawn_on",
                           "withdrawal_reason", "withdrawal_other_id", "withdrawal_note",
                           "voided_at", "voided_by", "void_reason", "corrects_id"})


OWNED_0012 = {"accession_name", "accession_other_number", "accession_storage",
              "accession_institute", "accession_remark"}


def every_row(connection: Connection) -> dict[str, list[tuple[object, ...]]]:
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


def indexed_columns(engine: Engine, table: str) -> dict[str, str]:
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

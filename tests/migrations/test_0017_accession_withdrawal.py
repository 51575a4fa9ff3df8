"""Migration 0017: an accession's withdrawal (date, reason, the other accession, a note),
added without touching any row or any of an accession's own rows, and dropped again."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from genebank import db
from genebank.models import Base

AT = dt.datetime(2026, 1, 1)
WITHDRAWAL = ("withdrawn_on", "withdrawal_reason", "withdrawal_other_id", "withdrawal_note")


def _records(connection: Connection) -> None:
    """Two accessions as 0016 stores them, one with names and storage (its own rows, which
    a re-created accession table would cascade away on SQLite)."""
    tables = Base.metadata.tables  # institute and taxon: as at 0016
    connection.execute(tables["institute"].insert().values(code="KAZ001", name=""))
    connection.execute(tables["taxon"].insert().values(id=1, genus="Triticum",
                                                       species="aestivum"))
    for number in (1, 2):
        connection.execute(text(
            "INSERT INTO accession (id, instcode, accenumb, identity_key, taxon_id, "
            "created_at, created_by, updated_at, updated_by, version) VALUES (:id, 'KAZ001', "
            ":number, :key, 1, :at, 'lab', :at, 'lab', 1)"),
            {"id": number, "number": f"KZ-{number}", "key": f"kaz001:kz-{number}", "at": AT})
    connection.execute(text("INSERT INTO accession_name (accession_id, position, name) "
                            "VALUES (1, 0, 'Қызыл бидай')"))
    connection.execute(text("INSERT INTO accession_storage (accession_id, code) "
                            "VALUES (1, 13)"))


def _rows(connection: Connection) -> dict[str, list[tuple[object, ...]]]:
    return {table: connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
            for table in ("accession_name", "accession_storage")} | {
        "accession": connection.execute(text(
            "SELECT id, instcode, accenumb, identity_key, version FROM accession "
            "ORDER BY id")).all()}


def _withdraw(connection: Connection, **values: object) -> None:
    connection.execute(text(
        "UPDATE accession SET withdrawn_on = :on, withdrawal_reason = :reason, "
        "withdrawal_other_id = :other, withdrawal_note = :note WHERE id = 2"),
        {"on": None, "reason": None, "other": None, "note": None} | values)


def test_0017_adds_the_withdrawal_keeps_every_row_and_checks_it(empty_engine: Engine) -> None:
    """Rows and own rows of 0016 kept; a withdrawal takes a reason of the list, a date with
    it, another accession only for duplicate/merged/split and never itself; back at 0016
    the columns are gone and the rows still there."""
    db.upgrade(empty_engine, "0016")
    with empty_engine.begin() as connection:
        _records(connection)
        before = _rows(connection)
    db.upgrade(empty_engine, "0017")
    columns = {c["name"] for c in inspect(empty_engine).get_columns("accession")}
    assert set(WITHDRAWAL) <= columns
    assert {"ix_accession_withdrawn_on", "ix_accession_withdrawal_other_id"} <= {
        i["name"] for i in inspect(empty_engine).get_indexes("accession")}
    with empty_engine.begin() as connection:
        assert _rows(connection) == before
        assert connection.execute(text(
            "SELECT count(*) FROM accession WHERE withdrawn_on IS NOT NULL")).scalar() == 0
        refused = [dict(on=dt.date(2026, 5, 1), reason="stolen"),  # not a reason
                   dict(on=dt.date(2026, 5, 1)),  # a date without a reason
                   dict(reason="lost"),  # a reason without a date
                   dict(on=dt.date(2026, 5, 1), reason="lost", other=1),  # no other for lost
                   dict(on=dt.date(2026, 5, 1), reason="duplicate", other=2),  # itself
                   dict(on=dt.date(2026, 5, 1), reason="duplicate", other=99)]  # no such one
        for values in refused:
            with pytest.raises(IntegrityError), connection.begin_nested():
                _withdraw(connection, **values)
        _withdraw(connection, on=dt.date(2026, 5, 1), reason="duplicate", other=1,
                  note="same seed as KZ-1")
        assert connection.execute(text(
            "SELECT id FROM accession WHERE withdrawn_on IS NOT NULL")).scalars().all() == [2]
    db.downgrade(empty_engine, "0016")
    columns = {c["name"] for c in inspect(empty_engine).get_columns("accession")}
    assert not set(WITHDRAWAL) & columns
    with empty_engine.begin() as connection:
        assert _rows(connection) == before
    db.upgrade(empty_engine, "0017")  # and up again
    with empty_engine.begin() as connection:
        assert _rows(connection) == before

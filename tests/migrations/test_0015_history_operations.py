"""Migration 0015: the history names an undone import and a reinstatement."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from genebank import db


def _entry(connection: Connection, operation: str) -> None:
    connection.execute(text(
        "INSERT INTO change_entry (at, user_name, os_user, workstation, operation, reference, "
        "reason, subject_type, subject_id, subject_key, table_name, row_id, action, fields) "
        "VALUES (:at, 'Aigul', 'lab', 'PC-1', :operation, '', 'why', 'accession', 7, "
        "'KAZ001:KZ-7', 'accession', '7', 'changed', '{}')"),
        {"at": dt.datetime(2026, 11, 26, 12), "operation": operation})


def test_0015_keeps_every_entry_takes_the_new_operations_and_stays_append_only(
        empty_engine: Engine) -> None:
    """An entry written at 0014 is kept as it was; 0015 takes 'undo' and 'reinstatement'
    and still refuses an unknown operation; the append-only triggers survive SQLite's
    rebuild of the table; back at 0014 the old check holds again."""
    db.upgrade(empty_engine, "0014")
    with empty_engine.begin() as connection:
        _entry(connection, "withdrawal")
        before = connection.execute(text("SELECT * FROM change_entry")).all()
    db.upgrade(empty_engine, "0015")
    with empty_engine.begin() as connection:
        assert connection.execute(text("SELECT * FROM change_entry")).all() == before
        _entry(connection, "undo")
        _entry(connection, "reinstatement")
        with pytest.raises(IntegrityError), connection.begin_nested():
            _entry(connection, "guess")
        with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
            connection.execute(text("UPDATE change_entry SET reason = 'rewritten'"))
        with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
            connection.execute(text("DELETE FROM change_entry"))
    with empty_engine.begin() as connection:
        assert connection.execute(text(
            "SELECT operation FROM change_entry ORDER BY id")).scalars().all() == [
            "withdrawal", "undo", "reinstatement"]
    with empty_engine.begin() as connection:  # downgrading needs the new ones gone
        on_server = empty_engine.dialect.name == "postgresql"
        connection.execute(text("ALTER TABLE change_entry DISABLE TRIGGER USER" if on_server
                                else "DROP TRIGGER change_entry_no_delete"))
        connection.execute(text(
            "DELETE FROM change_entry WHERE operation IN ('undo', 'reinstatement')"))
        if on_server:
            connection.execute(text("ALTER TABLE change_entry ENABLE TRIGGER USER"))
    db.downgrade(empty_engine, "0014")
    with empty_engine.begin() as connection:
        with pytest.raises(IntegrityError), connection.begin_nested():
            _entry(connection, "undo")
        assert connection.execute(text("SELECT * FROM change_entry")).all() == before

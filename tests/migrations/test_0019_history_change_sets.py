"""Migration 0019: who, when and why move from each history entry to a change set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from genebank import db
from genebank.history import queries
from genebank.models.history import ChangeEntry

AT = dt.datetime(2026, 11, 26, 12)
# What each entry says at 0015: who, when, how, why; then its record, row, action, fields.
WHO = ("at", "user_id", "user_name", "os_user", "workstation", "operation",
       "import_log_id", "reference", "reason")
OWN = ("subject_type", "subject_id", "subject_key", "table_name", "row_id", "action",
       "fields")
ENTRIES = [
    # one import's two entries: one set
    (AT, 3, "Aigul", "lab", "PC-1", "import", 17, "", "", "accession", 7, "KAZ001:KZ-7",
     "accession", "7", "created", "{}"),
    (AT, 3, "Aigul", "lab", "PC-1", "import", 17, "", "", "accession", 8, "KAZ001:KZ-8",
     "accession", "8", "created", "{}"),
    # a form save before sign-in (no user id, no import): a set of its own
    (AT + dt.timedelta(minutes=5), None, "tester", "lab", "PC-2", "form", None, "", "",
     "accession", 7, "KAZ001:KZ-7", "accession", "7", "changed",
     '{"ORIGCTY":["KAZ","UZB"]}'),
    # the same moment and person, another reason: another set
    (AT + dt.timedelta(minutes=5), None, "tester", "lab", "PC-2", "correction", None, "",
     "typo", "seed_lot", 4, "L-4", "lot_transaction", "11", "changed",
     '{"seeds":[100,90]}'),
    # a participant's entry, to be erased after the upgrade
    (AT + dt.timedelta(hours=1), 5, "Олег", "oleg", "PC-3", "form", None, "", "",
     "participant", 9, "9", "participant", "9", "created",
     '{"full_name":[null,"Amina Haddad"]}'),
]


def _insert_old(connection: Connection, entry: tuple[object, ...]) -> None:
    names = (*WHO, *OWN)
    connection.execute(text(
        f"INSERT INTO change_entry ({', '.join(names)}) "
        f"VALUES ({', '.join(':' + n for n in names)})"), dict(zip(names, entry, strict=True)))


def _old_rows(connection: Connection) -> list[tuple[object, ...]]:
    names = ", ".join(("id", *WHO, *OWN))
    return [_same_time(r) for r in connection.execute(text(
        f"SELECT {names} FROM change_entry ORDER BY id"))]


def _new_rows(connection: Connection) -> list[tuple[object, ...]]:
    found = connection.execute(queries.entries_select().order_by(ChangeEntry.id)).all()
    return [_same_time(r) for r in found]


def _same_time(row: Sequence[object]) -> tuple[object, ...]:
    """The row with its time as text (SQLite's raw column is text, the model's a datetime;
    both print as "2026-11-26 12:00:00")."""
    return (row[0], str(row[1]), *row[2:])


def test_0019_gives_each_write_one_set_keeps_every_entry_and_downgrades(
        empty_engine: Engine) -> None:
    """At 0018, five entries of four writes; after 0019 the same five read back with the
    same who, when and why through four sets (an entry's first set id its first entry's),
    new entries take new sets, both tables refuse UPDATE and DELETE, an erasure still
    blanks an older entry; back at 0018 every entry holds its values again."""
    db.upgrade(empty_engine, "0018")
    with empty_engine.begin() as connection:
        for entry in ENTRIES:
            _insert_old(connection, entry)
        before = _old_rows(connection)
    db.upgrade(empty_engine, "0019")
    with empty_engine.begin() as connection:
        assert _new_rows(connection) == before
        sets = connection.execute(text(
            "SELECT id, user_name, operation, reason FROM change_set ORDER BY id")).all()
        assert [tuple(s) for s in sets] == [
            (1, "Aigul", "import", ""), (3, "tester", "form", ""),
            (4, "tester", "correction", "typo"), (5, "Олег", "form", "")]
        assert connection.execute(text(
            "SELECT change_set_id FROM change_entry ORDER BY id")).scalars().all() == [
            1, 1, 3, 4, 5]
        assert {c["name"] for c in inspect(connection).get_columns("change_entry")} == {
            "id", "change_set_id", *OWN}
        for statement in ("UPDATE change_set SET reason = 'rewritten'",
                          "DELETE FROM change_set", "DELETE FROM change_entry",
                          "UPDATE change_entry SET change_set_id = 1"):
            with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
                connection.execute(text(statement))
        # A new set takes the next id (PostgreSQL's sequence was moved past the copied ones).
        new_set = connection.execute(text(
            "INSERT INTO change_set (at, user_name, os_user, workstation, operation, "
            "reference, reason) VALUES (:at, 'Aigul', 'lab', 'PC-1', 'erasure', '', '') "
            "RETURNING id"), {"at": AT + dt.timedelta(hours=2)}).scalar()
        assert new_set == 6
        connection.execute(text(
            "INSERT INTO change_entry (change_set_id, subject_type, subject_id, subject_key, "
            "table_name, row_id, action, fields) VALUES (6, 'participant', 9, '9', "
            "'participant', '9', 'erased', '{}')"))
        connection.execute(text(  # the erasure's exception: an older entry of the person
            "UPDATE change_entry SET fields = '{\"full_name\":[null,null]}' "
            "WHERE subject_type = 'participant' AND action = 'created'"))
        after = _new_rows(connection)
    assert [row[-1] for row in after] == [e[-1] for e in ENTRIES[:4]] + [
        '{"full_name":[null,null]}', "{}"]
    db.downgrade(empty_engine, "0018")
    with empty_engine.begin() as connection:
        assert _old_rows(connection) == after
        assert connection.execute(text(
            "SELECT COUNT(*) FROM change_entry WHERE operation = 'erasure'")).scalar() == 1
        with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
            connection.execute(text("UPDATE change_entry SET reason = 'rewritten'"))
        with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
            connection.execute(text("DELETE FROM change_entry"))
        assert "change_set" not in inspect(connection).get_table_names()
    db.upgrade(empty_engine, "0019")  # and up again, with the erased entry
    with empty_engine.begin() as connection:
        assert _new_rows(connection) == after


"""Migration 0020: change sets of participants' entries are personal (their reason is
personal data), a mixed set is split, and an erasure may blank a personal set's reason."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from genebank import db
from genebank.history import queries
from genebank.models.history import ChangeEntry

AT = dt.datetime(2026, 11, 26, 12)
REASON = "wrong person: it was Ahmed Said's"
SETS = [  # id, operation, reason
    (1, "correction", REASON),  # a certificate voided: a participant's entry only
    (2, "bulk", "demo"),  # a course's and a participant's entries: split
    (3, "correction", "typo"),  # a ledger line's: not personal
]
ENTRIES = [  # set, subject_type, subject_id, table, fields
    (1, "participant", 9, "certificate", '{"void_reason":[null,"' + REASON + '"]}'),
    (2, "course", 4, "course", "{}"),
    (2, "participant", 9, "participant", '{"full_name":[null,"Ahmed Said"]}'),
    (3, "seed_lot", 5, "lot_transaction", '{"seeds":[100,90]}'),
]


def _read(connection: Connection) -> list[tuple[object, ...]]:
    """Every entry with its set's who, when and why (the set's id left out)."""
    return [(r.id, str(r.at), r.user_name, r.operation, r.reason, r.subject_type,
             r.subject_id, r.fields)
            for r in connection.execute(queries.entries_select().order_by(ChangeEntry.id))]


def _refused(connection: Connection, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
        connection.execute(text(statement))


def test_0020_marks_personal_sets_splits_mixed_ones_and_lets_an_erasure_blank_a_reason(
        empty_engine: Engine) -> None:
    """At 0019, a certificate's correction naming someone, a mixed demo set and a lot's
    correction; after 0020 every entry reads the same who, when and why, the certificate's
    set and the demo set's participant part are personal, and only an erasure of that
    participant may blank the personal set's reason (nothing else of any set changes);
    back at 0019 the flag is gone and sets refuse every change again."""
    db.upgrade(empty_engine, "0019")
    with empty_engine.begin() as connection:
        for set_id, operation, reason in SETS:
            connection.execute(text(
                "INSERT INTO change_set (id, at, user_name, os_user, workstation, operation, "
                "reference, reason) VALUES (:id, :at, 'Tomás', 'tomas', 'PC-1', :op, '', "
                ":reason)"), {"id": set_id, "at": AT + dt.timedelta(minutes=set_id),
                             "op": operation, "reason": reason})
        for set_id, subject, subject_id, table, fields in ENTRIES:
            connection.execute(text(
                "INSERT INTO change_entry (change_set_id, subject_type, subject_id, "
                "subject_key, table_name, row_id, action, fields) VALUES (:s, :subject, "
                ":sid, '', :t, '1', 'changed', :f)"),
                {"s": set_id, "subject": subject, "sid": subject_id, "t": table, "f": fields})
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT setval(pg_get_serial_sequence('change_set', "
                                    "'id'), 3)"))
        before = _read(connection)
    db.upgrade(empty_engine, "0020")
    with empty_engine.begin() as connection:
        assert _read(connection) == before
        sets = connection.execute(text(
            "SELECT id, operation, reason, personal FROM change_set ORDER BY id")).all()
        assert [tuple(s) for s in sets] == [
            (1, "correction", REASON, True), (2, "bulk", "demo", False),
            (3, "correction", "typo", False), (4, "bulk", "demo", True)]
        assert connection.execute(text(
            "SELECT change_set_id FROM change_entry ORDER BY id")).scalars().all() == \
            [1, 2, 4, 3]
        _refused(connection, "UPDATE change_set SET reason = '' WHERE id = 1")  # no erasure
        _refused(connection, "DELETE FROM change_set WHERE id = 3")
        _refused(connection, "UPDATE change_entry SET change_set_id = 1")
        # The participant is erased: a set and its entry after the others.
        connection.execute(text(
            "INSERT INTO change_set (at, user_name, os_user, workstation, operation, "
            "reference, reason, personal) VALUES (:at, 'Tomás', 'tomas', 'PC-1', 'erasure', "
            "'', '', :yes)"), {"at": AT + dt.timedelta(hours=1), "yes": True})
        connection.execute(text(
            "INSERT INTO change_entry (change_set_id, subject_type, subject_id, subject_key, "
            "table_name, row_id, action, fields) VALUES (5, 'participant', 9, '9', "
            "'participant', '9', 'erased', '{}')"))
        _refused(connection, "UPDATE change_set SET reason = 'rewritten' WHERE id = 1")
        _refused(connection, "UPDATE change_set SET reason = '', user_name = 'x' WHERE id = 1")
        _refused(connection, "UPDATE change_set SET reason = '' WHERE id = 3")  # not personal
        connection.execute(text("UPDATE change_set SET reason = '' WHERE id IN (1, 4)"))
        assert connection.execute(text(
            "SELECT id FROM change_set WHERE reason <> '' ORDER BY id")).scalars().all() == \
            [2, 3]
        after = _read(connection)
    db.downgrade(empty_engine, "0019")
    with empty_engine.begin() as connection:
        assert _read(connection) == after
        assert "personal" not in {c["name"] for c in inspect(connection).get_columns(
            "change_set")}
        _refused(connection, "UPDATE change_set SET reason = '' WHERE id = 2")
        _refused(connection, "DELETE FROM change_set")
    db.upgrade(empty_engine, "0020")  # and up again: the same sets are personal
    with empty_engine.begin() as connection:
        assert _read(connection) == after
        assert connection.execute(text(
            "SELECT id FROM change_set WHERE personal ORDER BY id")).scalars().all() == \
            [1, 4, 5]

"""Migration 0018: the six voidable tables get their void columns and a certificate's
enrolment may hold a voided certificate and its replacement; data written at 0017 is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from genebank import db

TABLES = ("germination_test", "moisture_test", "lot_transaction", "regeneration",
          "safety_duplicate", "certificate")
AT = dt.datetime(2026, 5, 1, 9)
AUDIT = "created_at, created_by, updated_at, updated_by, version"
AUDIT_VALUES = ":at, 'lab', :at, 'lab', 1"


def _filler(column: dict[str, object]) -> object:
    """A value of the column's type, for the NOT NULL columns a row does not name."""
    kind = str(column["type"]).upper()
    if "DATETIME" in kind or "TIMESTAMP" in kind:
        return AT
    if "DATE" in kind:
        return AT.date()
    if "INT" in kind:
        return 0
    if any(word in kind for word in ("FLOAT", "REAL", "DOUBLE", "NUMERIC")):
        return 0.0
    if "BOOL" in kind:
        return False
    return ""


def _insert(connection: Connection, table: str, values: dict[str, object]) -> None:
    audit = set(AUDIT.split(", "))
    for column in inspect(connection).get_columns(table):
        name = column["name"]
        if not column["nullable"] and column.get("default") is None and \
                name not in values and name not in audit and name != "id":
            values = {**values, name: _filler(column)}
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    connection.execute(text(f"INSERT INTO {table} ({names}, {AUDIT}) "
                            f"VALUES ({marks}, {AUDIT_VALUES})"), {**values, "at": AT})


def _records_at_0017(connection: Connection) -> None:
    """A lot with a ledger line, a test, a moisture test, a regeneration, a safety duplicate;
    a course with a completed enrolment and its certificate: as 0017 stores them."""
    _insert(connection, "taxon", {"id": 1, "genus": "Triticum", "species": "aestivum",
                                  "sort_name": "triticum aestivum"})
    _insert(connection, "institute", {"code": "NOR051"})
    _insert(connection, "institute", {"code": "KAZ001"})
    columns = {c["name"] for c in inspect(connection).get_columns("accession")}
    key = {"identity_key": "kaz001:kz-1"} if "identity_key" in columns else {}
    _insert(connection, "accession", {"id": 1, "instcode": "KAZ001", "accenumb": "KZ-1",
                                      "taxon_id": 1, **key})
    _insert(connection, "seed_lot", {"id": 1, "accession_id": 1, "lot_number": "L-1",
                                     "storage_type": "base", "stored_on": dt.date(2025, 1, 1),
                                     "status": "active", "seeds_on_hand": 4500})
    _insert(connection, "lot_transaction", {"id": 1, "lot_id": 1, "kind": "stored",
                                            "occurred_on": dt.date(2025, 1, 1),
                                            "seeds": 5000})
    _insert(connection, "lot_transaction", {"id": 2, "lot_id": 1, "kind": "test",
                                            "occurred_on": dt.date(2025, 2, 1),
                                            "seeds": -400})
    _insert(connection, "germination_test", {
        "id": 1, "lot_id": 1, "tested_on": dt.date(2025, 2, 1), "seeds_consumed": 400,
        "status": "complete", "germination_pct": 92.0, "transaction_id": 2})
    # a test that stays, with its replicate and its ledger line (rebuilt tables lose them)
    _insert(connection, "lot_transaction", {"id": 3, "lot_id": 1, "kind": "test",
                                            "occurred_on": dt.date(2025, 3, 1),
                                            "seeds": -100})
    _insert(connection, "germination_test", {
        "id": 2, "lot_id": 1, "tested_on": dt.date(2025, 3, 1), "seeds_consumed": 100,
        "status": "complete", "germination_pct": 90.0, "transaction_id": 3})
    _insert(connection, "germination_replicate", {"id": 1, "test_id": 2, "position": 1,
                                                  "sown": 100, "normal": 90, "abnormal": 0,
                                                  "dead": 10, "ungerminated": 0, "hard": 0})
    _insert(connection, "moisture_test", {"id": 1, "lot_id": 1,
                                          "tested_on": dt.date(2025, 2, 1),
                                          "moisture_pct": 5.5})
    _insert(connection, "regeneration", {"id": 1, "accession_id": 1, "source_lot_id": 1,
                                         "site": "Almaty", "status": "planned"})
    _insert(connection, "safety_duplicate", {"id": 1, "accession_id": 1, "lot_id": 1,
                                             "institute_code": "NOR051", "status": "sent"})
    _insert(connection, "programme", {"id": 1, "name": "Gene banks",
                                      "min_attendance_pct": 80.0,
                                      "certificate_prefix": "GB"})
    _insert(connection, "course", {"id": 1, "programme_id": 1, "title": "Field collecting",
                                   "start_on": dt.date(2026, 4, 11),
                                   "end_on": dt.date(2026, 4, 11), "status": "completed"})
    _insert(connection, "participant", {"id": 1, "full_name": "Aigerim", "gender": "female"})
    _insert(connection, "enrolment", {"id": 1, "course_id": 1, "participant_id": 1,
                                      "status": "completed"})
    _insert(connection, "certificate", {
        "id": 1, "number": "GB-2026-00001", "enrolment_id": 1,
        "issued_on": dt.date(2026, 4, 12), "participant_name": "Aigerim",
        "course_title": "Field collecting", "course_dates": "11 April 2026", "host": "",
        "hours": 6.0})


def _certificate(connection: Connection, certificate_id: int, number: str) -> None:
    _insert(connection, "certificate", {
        "id": certificate_id, "number": number, "enrolment_id": 1,
        "issued_on": dt.date(2026, 4, 13), "participant_name": "Aigerim",
        "course_title": "Field collecting", "course_dates": "11 April 2026", "host": "",
        "hours": 6.0})


def test_0018_adds_void_columns_keeps_every_record_and_frees_a_voided_certificate(
        empty_engine: Engine) -> None:
    db.upgrade(empty_engine, "0017")
    with empty_engine.begin() as connection:
        _records_at_0017(connection)
        before = {table: connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
                  for table in TABLES}
    db.upgrade(empty_engine, "0018")
    with empty_engine.begin() as connection:
        for table in TABLES:
            rows = connection.execute(text(
                f"SELECT voided_at, voided_by, void_reason, corrects_id FROM {table}")).all()
            assert rows and all(tuple(row) == (None, "", "", None) for row in rows), table
            names = [c["name"] for c in inspect(connection).get_columns(table)]
            kept = connection.execute(text(
                f"SELECT {', '.join(n for n in names if n not in ('voided_at', 'voided_by', 'void_reason', 'corrects_id'))} "  # noqa: E501
                f"FROM {table} ORDER BY id")).all()
            assert [tuple(r) for r in kept] == [tuple(r) for r in before[table]], table
        # a second certificate of the enrolment is refused while the first counts...
        with pytest.raises(IntegrityError), connection.begin_nested():
            _certificate(connection, 2, "GB-2026-00002")
        # ...and taken once it is void, naming the one it replaces
        connection.execute(text("UPDATE certificate SET voided_at = :at, voided_by = 'lab', "
                                "void_reason = 'name spelt wrong' WHERE id = 1"), {"at": AT})
        _certificate(connection, 2, "GB-2026-00002")
        connection.execute(text("UPDATE certificate SET corrects_id = 1 WHERE id = 2"))
        with pytest.raises(IntegrityError), connection.begin_nested():  # numbers stay unique
            _certificate(connection, 3, "GB-2026-00001")
        with pytest.raises(IntegrityError), connection.begin_nested():  # a real record
            connection.execute(text("UPDATE lot_transaction SET corrects_id = 99 WHERE id = 2"))
        connection.execute(text("UPDATE lot_transaction SET voided_at = :at, "
                                "void_reason = 'typed twice' WHERE id = 2"), {"at": AT})
        connection.execute(text("UPDATE germination_test SET voided_at = :at, "
                                "void_reason = 'typed twice' WHERE id = 1"), {"at": AT})

    db.downgrade(empty_engine, "0017")  # the voided records go, the others stay
    with empty_engine.begin() as connection:
        assert connection.execute(text("SELECT id FROM certificate")).scalars().all() == [2]
        assert connection.execute(text(
            "SELECT id FROM lot_transaction ORDER BY id")).scalars().all() == [1, 3]
        assert connection.execute(text(
            "SELECT id, transaction_id FROM germination_test")).all() == [(2, 3)]
        assert connection.execute(text(
            "SELECT test_id, normal FROM germination_replicate")).all() == [(2, 90)]
        assert connection.execute(text("SELECT count(*) FROM moisture_test")).scalar() == 1
        assert "voided_at" not in {c["name"] for c in
                                   inspect(connection).get_columns("certificate")}
        with pytest.raises(IntegrityError), connection.begin_nested():  # unique again
            _certificate(connection, 4, "GB-2026-00004")
    db.upgrade(empty_engine, "0018")

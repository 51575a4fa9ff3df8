"""Undo of an import (issue 15): a real file imported into a database that holds data,
then undone, leaves every table as it was before the import (the history and the import
log aside); values an update import changed are put back; what someone changed after the
import, or what a seed lot now depends on, is left and named; a dry run changes nothing;
a failing undo undoes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from genebank import cli, db, problems, transactions
from genebank.conservation import seed_lots
from genebank.io.passport_preview import preview_passports
from genebank.io.spreadsheet import read_sheet
from genebank.models import Base, ImportLog
from genebank.passport import accessions, import_undo
from genebank.passport.import_logs import recent_imports
from genebank.passport.passport_existing import mark_existing
from genebank.passport.passport_import import OnErrors, OnExisting, apply_import
from tests.conftest import passport_values

WORLD = Path(__file__).resolve().parents[1] / "files" / "world"
GERMINATE = WORLD / "passport-germinate-example-mcpd.xlsx"  # 2,000 barley rows, sheet DATA
TODAY = dt.date(2026, 11, 26)
# Not the collection's data: the story of the changes, and the log of the imports.
NOT_DATA = {"change_entry", "change_set", "import_log", "alembic_version"}


def snapshot(database: db.Database, *, leave: dict[str, set[str]] | None = None
             ) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the history and the import log, in key order;
    ``leave``: columns left out, by table."""
    leave = leave or {}
    found = {}
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_DATA:
                continue
            columns = [c for c in table.columns if c.name not in leave.get(table.name, ())]
            found[table.name] = [tuple(row) for row in connection.execute(
                select(*columns).order_by(*table.primary_key.columns))]
    return found


def with_data(database: db.Database) -> dict[str, int]:
    """A collection that holds data: two wheat accessions of KAZ001 (one with a seed lot),
    and two of the file's own barley accessions (GBR251:CACTUAR-2001, -2002) as once typed
    in the form, with other values than the file's."""
    ids = {}
    with database.session_factory.begin() as session:
        for number in ("KZ-0001", "KZ-0002"):
            ids[number] = accessions.create_accession(
                session, values=passport_values(ACCENUMB=number)).id
        seed_lots.create_lot(session, accession_id=ids["KZ-0001"], lot_number="KZ-L-1",
                             storage_type="base", stored_on=dt.date(2025, 1, 15),
                             seeds=5000, today=TODAY)
        for number in ("CACTUAR-2001", "CACTUAR-2002"):
            ids[number] = accessions.create_accession(session, values=passport_values(
                INSTCODE="GBR251", ACCENUMB=number, ORIGCTY="GBR", ACCENAME="Old name")).id
    return ids


def import_file(database: db.Database, on_existing: OnExisting = OnExisting.SKIP,
                path: Path = GERMINATE, sheet: str = "DATA") -> int:
    preview = preview_passports(read_sheet(path, sheet))
    with database.session_factory() as session:
        mark_existing(session, preview)
    summary = transactions.run_write(database, lambda session: apply_import(
        session, preview, on_existing=on_existing, on_errors=OnErrors.SKIP_ROWS),
        operation="Importing", bulk=True)
    assert summary.log_id is not None
    return summary.log_id


def preview(database: db.Database, log_id: int) -> import_undo.UndoPreview:
    return transactions.run_read(database, lambda session: import_undo.preview_undo(
        session, log_id), operation="Undo preview")


def undo(database: db.Database, log_id: int) -> import_undo.UndoResult:
    return transactions.run_write(database, lambda session: import_undo.undo_import(
        session, log_id), operation="Undoing")


def passport(database: db.Database, accession_id: int) -> accessions.Passport:
    with database.session_factory() as session:
        return accessions.get_passport(session, accession_id)


def as_user(database: db.Database, name: str):  # type: ignore[no-untyped-def]
    """A write transaction whose changes the history names ``name`` (no people exist:
    the name the database is opened with)."""
    session = database.session_factory()
    session.info["user"] = name
    return session


def test_undoing_a_new_import_gives_back_the_database_as_it_was(
        database: db.Database) -> None:
    """2,000 barley accessions of a real Germinate file (with the taxon and the institute
    they brought) are removed; every other table, row and value is as before the import."""
    with_data(database)
    before = snapshot(database)
    log_id = import_file(database)
    assert snapshot(database) != before
    planned = preview(database, log_id)
    assert len(planned.remove) == 1998  # 2,000 rows: 2 exist already (skipped)
    assert {(r.table, r.key) for r in planned.also_removed} == {
        ("taxon", "Hordeum vulgare subsp.  spontaneum")}  # GBR251 was there before
    assert not planned.cannot_remove and not planned.put_back and not planned.changed_after
    result = undo(database, log_id)
    assert len(result.preview.remove) == 1998
    assert snapshot(database) == before
    [entry] = [e for e in transactions.run_read(database, recent_imports, operation="log")
               if e.id == log_id]
    assert entry.undone_at == result.undone_at and entry.undone_by == "tester"


def test_an_update_import_undone_puts_the_old_values_back(database: db.Database) -> None:
    """The file updates the two accessions it shares with the collection (taxon, country,
    names...); undone, they hold their values again, and the taxon the update brought is
    gone. Only their record keeping moved on (version, last changed): the undo is a
    change of its own."""
    ids = with_data(database)
    record = {"accession": {"version", "updated_at", "updated_by"}}
    before = snapshot(database, leave=record)
    old = passport(database, ids["CACTUAR-2001"]).values
    log_id = import_file(database, OnExisting.UPDATE)
    assert passport(database, ids["CACTUAR-2001"]).values["ORIGCTY"] == "IND"
    planned = preview(database, log_id)
    [first, second] = planned.put_back
    assert first.key == "GBR251:CACTUAR-2001" and second.key == "GBR251:CACTUAR-2002"
    fields = {f.field: (f.current, f.restored) for f in first.fields}
    assert fields["ORIGCTY"] == ("IND", "GBR")
    assert fields["GENUS"] == ("Hordeum", "Triticum")
    assert fields["ACCENAME"] == (["JHI001"], ["Old name"])
    undo(database, log_id)
    assert passport(database, ids["CACTUAR-2001"]).values == old
    assert snapshot(database, leave=record) == before


def test_an_accession_changed_after_the_import_is_left_and_named_with_its_editor(
        database: db.Database) -> None:
    """Maria corrects one accession the import created and one it updated: both keep her
    values, and the preview and the result name her and when."""
    ids = with_data(database)
    log_id = import_file(database, OnExisting.UPDATE)
    with database.session_factory() as session:
        created = accessions.find_accession_id(session, instcode="GBR251",
                                               accenumb="CACTUAR-2003")
    assert created is not None
    for accession_id in (created, ids["CACTUAR-2002"]):
        with as_user(database, "maria") as session, session.begin():
            stored = accessions.get_passport(session, accession_id)
            accessions.update_accession(session, accession_id, expected_version=stored.version,
                                        values={**stored.values, "ORIGCTY": "ESP"})
    planned = preview(database, log_id)
    left = {c.key: c for c in planned.changed_after}
    assert set(left) == {"GBR251:CACTUAR-2003", "GBR251:CACTUAR-2002"}
    assert {(c.by, c.action, c.created) for c in left.values()} == {
        ("maria", "changed", True), ("maria", "changed", False)}
    assert all(c.at is not None for c in left.values())
    assert "GBR251:CACTUAR-2003" not in {r.key for r in planned.remove}
    assert [p.key for p in planned.put_back] == ["GBR251:CACTUAR-2001"]
    undo(database, log_id)
    assert passport(database, created).values["ORIGCTY"] == "ESP"
    assert passport(database, ids["CACTUAR-2002"]).values["ORIGCTY"] == "ESP"
    assert passport(database, ids["CACTUAR-2001"]).values["ORIGCTY"] == "GBR"
    with database.session_factory() as session:  # the rest went, and their taxon stays
        assert accessions.find_accession_id(session, instcode="GBR251",
                                            accenumb="CACTUAR-2004") is None
    assert not {r.table for r in planned.also_removed} & {"taxon"}


def test_an_accession_with_a_lot_stored_after_the_import_stays_and_is_named(
        database: db.Database) -> None:
    with_data(database)
    log_id = import_file(database)
    with database.session_factory.begin() as session:
        accession_id = accessions.find_accession_id(session, instcode="GBR251",
                                                    accenumb="CACTUAR-2010")
        assert accession_id is not None
        seed_lots.create_lot(session, accession_id=accession_id, lot_number="JHI-L-10",
                             storage_type="base", stored_on=dt.date(2026, 11, 1),
                             seeds=800, today=TODAY)
    planned = preview(database, log_id)
    [kept] = planned.cannot_remove
    assert kept.key == "GBR251:CACTUAR-2010"
    assert kept.dependents == (import_undo.Dependent("seed_lot", 1),)
    assert len(planned.remove) == 1997
    assert not planned.also_removed  # its taxon stays with it
    undo(database, log_id)
    assert passport(database, accession_id).values["ACCENUMB"] == "CACTUAR-2010"
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM accession")).scalar() == 5


def test_a_second_undo_and_other_kinds_are_refused_with_a_code(
        database: db.Database) -> None:
    with_data(database)
    log_id = import_file(database)
    undo(database, log_id)
    with pytest.raises(import_undo.UndoRefused) as refused:
        undo(database, log_id)
    assert refused.value.code == "undo_import_already_undone"
    assert "tester" in str(refused.value)
    with pytest.raises(import_undo.UndoRefused) as missing:
        preview(database, 999)
    assert missing.value.code == "undo_import_not_found"
    with database.session_factory.begin() as session:
        other = ImportLog(kind="germination", file_name="tests.xlsx",
                          finished_at=dt.datetime(2026, 11, 26))
        session.add(other)
        session.flush()
        other_id = other.id
    with pytest.raises(import_undo.UndoRefused) as kind:
        preview(database, other_id)
    assert kind.value.code == "undo_import_kind"
    for code in ("undo_import_not_found", "undo_import_kind", "undo_import_already_undone",
                 "undo_import_no_history"):
        assert problems.template(code)


def test_a_failing_undo_undoes_nothing(database: db.Database,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The updates are put back and half the accessions removed when the disk fills: the
    transaction is rolled back whole, and the import can still be undone."""
    with_data(database)
    log_id = import_file(database, OnExisting.UPDATE)
    after_import = snapshot(database)
    real_remove = import_undo._remove

    def failing(session: Any, table: str, ids: Any) -> None:
        real_remove(session, table, list(ids)[:1000])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(import_undo, "_remove", failing)
    with pytest.raises(OSError):
        undo(database, log_id)
    assert snapshot(database) == after_import
    monkeypatch.setattr(import_undo, "_remove", real_remove)
    assert preview(database, log_id).remove  # not marked undone
    undo(database, log_id)


def test_the_command_line_previews_with_dry_run_and_undoes(
        database: db.Database, capsys: pytest.CaptureFixture[str]) -> None:
    ids = with_data(database)
    log_id = import_file(database, OnExisting.UPDATE)
    after_import = snapshot(database)
    with database.engine.connect() as connection:
        entries = connection.execute(text("SELECT count(*) FROM change_entry")).scalar()
    assert cli.main(["--database", database.url, "undo-import", str(log_id),
                     "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1,998 accession(s) to remove" in out
    [line] = [x for x in out.splitlines() if x.startswith("  GBR251:CACTUAR-2001: ")]
    assert "ORIGCTY 'IND' -> 'GBR'" in line and "ACCENAME 'JHI001' -> 'Old name'" in line
    assert "Dry run: nothing was changed" in out
    assert snapshot(database) == after_import
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM change_entry")).scalar() \
            == entries
    assert cli.main(["--database", database.url, "undo-import", str(log_id)]) == 0
    out = capsys.readouterr().out
    assert f"Import {log_id} undone" in out
    assert passport(database, ids["CACTUAR-2001"]).values["ORIGCTY"] == "GBR"
    assert cli.main(["--database", database.url, "undo-import", str(log_id)]) == 1
    assert "was undone already" in capsys.readouterr().err


def test_the_undo_is_in_the_history_as_an_undo_of_the_import(database: db.Database) -> None:
    ids = with_data(database)
    log_id = import_file(database, OnExisting.UPDATE)
    undo(database, log_id)
    with database.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT s.operation, s.import_log_id, e.action, e.subject_id, e.table_name "
            "FROM change_entry e JOIN change_set s ON s.id = e.change_set_id "
            "WHERE s.operation = 'undo'")).all()
    assert {r.import_log_id for r in rows} == {log_id}
    actions = {(r.table_name, r.action) for r in rows}
    assert actions == {("accession", "deleted"), ("accession", "changed"), ("taxon", "deleted")}
    changed = [r.subject_id for r in rows if r.action == "changed"]
    assert sorted(changed) == sorted([ids["CACTUAR-2001"], ids["CACTUAR-2002"]])


KILLED_UNDO = """
import sys, time
from pathlib import Path
from genebank import cli
from genebank.passport import import_undo

real = import_undo._remove

def remove_then_hang(session, table, ids):
    real(session, table, ids)  # the accessions are deleted in this transaction...
    Path(sys.argv[2]).write_text("removed")
    time.sleep(600)  # ...when the process is killed

import_undo._remove = remove_then_hang
sys.exit(cli.main(["--database", sys.argv[1], "undo-import", sys.argv[3]]))
"""


def test_a_killed_undo_undoes_nothing(database: db.Database, tmp_path: Path) -> None:
    """`genebank undo-import` killed (SIGKILL) after it has put the updates back and
    deleted the accessions, before its commit: the database is as after the import, the
    import not marked undone, and it can be undone afterwards."""
    import subprocess
    import sys
    import time

    with_data(database)
    log_id = import_file(database, OnExisting.UPDATE)
    after_import = snapshot(database)
    marker = tmp_path / "removed"
    script = tmp_path / "killed_undo.py"
    script.write_text(KILLED_UNDO, encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script), database.url, str(marker),
                                str(log_id)], cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, "the undo ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        process.kill()
        process.wait()
    assert snapshot(database) == after_import
    assert preview(database, log_id).remove
    undo(database, log_id)

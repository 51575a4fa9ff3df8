"""The change history: append-only on both databases, an import's entries, who and why,
erasure, the queries, the Excel export and the command line."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import multiprocessing
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from genebank import cli, db, history
from genebank.conservation import crop_rules, seed_lots
from genebank.history import queries, tracked
from genebank.history.erasure import erase_history
from genebank.io.history_export import headings, write_history
from genebank.models import Base, LotTransaction
from genebank.models.history import ChangeEntry, ChangeSet
from genebank.passport import accessions
from genebank.training import participants
from tests.conftest import passport_values
from tests.genebank import workstation_jobs as jobs

TODAY = dt.date(2026, 11, 23)
SPAWN = multiprocessing.get_context("spawn")


def _entries(database: db.Database) -> list[dict[str, object]]:
    with database.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(
            queries.entries_select().order_by(ChangeEntry.id))]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)  # type: ignore[union-attr]
    book.save(path)
    return path


def _import(database: db.Database, path: Path, *extra: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["--database", database.url, "import-mcpd", *extra, str(path)]) == 0
    return out.getvalue()


def test_every_table_is_placed_and_every_derived_column_exists() -> None:
    """Each table has a history, is covered by its accession's, or is named as no history;
    each derived column named is a column of its table."""
    placed = tracked.TRACKED.keys() | tracked.ACCESSION_OWNED | tracked.NOT_HISTORY
    assert set(Base.metadata.tables) - placed == set()
    for name, spec in tracked.TRACKED.items():
        columns = set(Base.metadata.tables[name].c.keys())
        assert spec.derived <= columns, name
        assert spec.subject_column in columns | {""}, name
        if spec.via is not None:
            assert spec.via[1] in Base.metadata.tables[spec.via[0]].c, name


def test_the_history_refuses_update_and_delete(database: db.Database) -> None:
    """Append-only on both databases: UPDATE and DELETE of an entry or of its change set
    (who, when, why) fail in the database."""
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
    for statement in (update(ChangeSet).values(user_name="someone else"),
                      update(ChangeSet).values(reason="rewritten"),
                      delete(ChangeSet),
                      update(ChangeEntry).values(fields="{}"),
                      update(ChangeEntry).values(change_set_id=0),
                      delete(ChangeEntry)):
        with pytest.raises(DBAPIError, match="append-only"), \
                database.session_factory.begin() as session:
            session.execute(statement)
    for table in ("change_entry", "change_set"):
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as raw:
            raw.execute(text(f"DELETE FROM {table}"))
    assert len(_entries(database)) == 3  # institute, taxon, accession: all still there


def test_an_import_writes_one_entry_per_created_and_the_changes_of_each_updated(
        database: db.Database, tmp_path: Path) -> None:
    """Created accessions with their values; updated ones with old and new of each changed
    field only; every entry names the import's log entry."""
    _import(database, _xlsx(tmp_path / "new.xlsx", [
        ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACCENAME", "ORIGCTY"],
        ["KAZ001", "KZ-1", "Triticum", "aestivum", "Пшеница озимая", "KAZ"],
        ["KAZ001", "KZ-2", "Hordeum", "vulgare", "Orge d'hiver", "FRA"],
        ["KAZ001", "KZ-3", "Avena", "sativa", "شوفان", "MAR"]]))
    _import(database, _xlsx(tmp_path / "update.xlsx", [
        ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY", "ACCENAME"],
        ["KAZ001", "KZ-1", "Triticum", "UZB", "Пшеница озимая"],
        ["KAZ001", "KZ-2", "Hordeum", "FRA", "Orge d'hiver"]]), "--update")
    found = [e for e in _entries(database) if e["subject_type"] == "accession"]
    assert [(e["subject_key"], e["action"], e["import_log_id"]) for e in found] == [
        ("KAZ001:KZ-1", "created", 1), ("KAZ001:KZ-2", "created", 1),
        ("KAZ001:KZ-3", "created", 1), ("KAZ001:KZ-1", "changed", 2)]
    assert [e["fields"] for e in found[:3]] == ["{}"] * 3  # the values are the record's
    assert json.loads(str(found[3]["fields"])) == {"ORIGCTY": ["KAZ", "UZB"]}
    assert {e["operation"] for e in _entries(database)} == {"import"}


def test_who_when_and_why_are_written_once_per_transaction_and_operation(
        database: db.Database, tmp_path: Path) -> None:
    """An import's entries (its new institute's and taxa's too) share one change set; a
    transaction with a correction and a form save has two; a savepoint rolled back takes
    its set with it, and the same operation written after it makes another."""
    _import(database, _xlsx(tmp_path / "new.xlsx", [
        ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ORIGCTY"],
        ["KAZ001", "KZ-1", "Triticum", "aestivum", "KAZ"],
        ["KAZ001", "KZ-2", "Hordeum", "vulgare", "FRA"],
        ["KAZ001", "KZ-3", "Avena", "sativa", "MAR"]]))
    with database.engine.connect() as connection:
        sets = connection.execute(select(ChangeSet.id, ChangeSet.operation,
                                         ChangeSet.import_log_id)).all()
        assert [tuple(s) for s in sets] == [(1, "import", 1)]
        assert connection.execute(select(ChangeEntry.change_set_id).distinct()
                                  ).scalars().all() == [1]
        assert len(_entries(database)) == 7  # the institute, three taxa, three accessions
    with database.session_factory.begin() as session:
        first = accessions.get_passport(session, 1)
        with history.operation(session, "correction", reason="origin misread"):
            accessions.update_accession(session, 1, expected_version=first.version,
                                        values={**first.values, "ORIGCTY": "UZB"})
            session.flush()
        second = accessions.get_passport(session, 2)
        accessions.update_accession(session, 2, expected_version=second.version,
                                    values={**second.values, "ORIGCTY": "ITA"})
        session.flush()
        third = accessions.get_passport(session, 3)
        savepoint = session.begin_nested()
        with history.operation(session, "withdrawal", reason="lost"):
            accessions.update_accession(session, 3, expected_version=third.version,
                                        values={**third.values, "ORIGCTY": "ESP"})
            session.flush()
        savepoint.rollback()
        with history.operation(session, "withdrawal", reason="lost"):
            accessions.update_accession(session, 3, expected_version=third.version,
                                        values={**third.values, "ORIGCTY": "TUN"})
            session.flush()
    written = _entries(database)[7:]  # each with its set (an entry without one: not read)
    assert [(e["subject_key"], e["operation"], e["reason"]) for e in written] == [
        ("KAZ001:KZ-1", "correction", "origin misread"), ("KAZ001:KZ-2", "form", ""),
        ("KAZ001:KZ-3", "withdrawal", "lost")]
    assert [json.loads(str(e["fields"]))["ORIGCTY"] for e in written] == [
        ["KAZ", "UZB"], ["FRA", "ITA"], ["MAR", "TUN"]]
    with database.engine.connect() as connection:
        sets = connection.execute(select(ChangeSet.id, ChangeSet.operation)
                                  .order_by(ChangeSet.id)).all()
        entry_sets = connection.execute(select(ChangeEntry.change_set_id)
                                        .order_by(ChangeEntry.id)).scalars().all()
    assert [s.operation for s in sets] == ["import", "correction", "form", "withdrawal"]
    assert entry_sets[7:] == [sets[1].id, sets[2].id, sets[3].id]


def test_a_form_save_records_who_where_and_each_descriptor(database: db.Database) -> None:
    """The signed-in actor when there is one, the OS login and the workstation; the
    accession's names as a list, old and new."""
    with database.session_factory.begin() as session:
        saved = accessions.create_accession(session, values=passport_values(
            ACCENAME="Blé de Champagne;Пшеница"))
    with database.session_factory.begin() as session:
        session.info["actor"] = SimpleNamespace(user_id=7, name="Amina")
        with history.operation(session, "correction", reason="typo in the name"):
            accessions.update_accession(session, saved.id, expected_version=saved.version,
                                        values=passport_values(ACCENAME="Blé de Champagne"))
    last = _entries(database)[-1]
    assert (last["user_id"], last["user_name"], last["operation"], last["reason"]) == \
        (7, "Amina", "correction", "typo in the name")
    assert last["os_user"] == db.current_user() and last["workstation"]
    assert json.loads(str(last["fields"])) == {
        "ACCENAME": [["Blé de Champagne", "Пшеница"], ["Blé de Champagne"]]}
    first = _entries(database)[2]
    assert (first["user_id"], first["user_name"]) == (None, "tester")


def test_derived_values_alone_write_no_entry(database: db.Database) -> None:
    """Re-judging lots after a rule change moves next test dates and flags: the rule's
    entry is written, nothing for the lots."""
    with database.session_factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                             storage_type="base", stored_on=dt.date(2025, 1, 15), seeds=5000,
                             today=TODAY)
    mark = len(_entries(database))
    with database.session_factory.begin() as session:
        crop_rules.set_rule(session, "Triticum", base_test_interval_years=2)
    written = _entries(database)[mark:]
    assert [e["table_name"] for e in written] == ["crop_rule"]


def test_erasure_leaves_no_personal_data_in_history(database: db.Database) -> None:
    """After erasure no entry holds the person's name, e-mail or phone; one entry says an
    erasure happened; blanking without that entry is refused by the database."""
    with database.session_factory.begin() as session:
        person = participants.save_participant(
            session, full_name="Amina Haddad", original_name="أمينة حداد", gender="female",
            country="MAR", email="amina@example.org", phone="+212 600 11 22 33")
        participants.save_participant(session, participant_id=person,
                                      full_name="Amina El Haddad", gender="female",
                                      country="MAR", email="amina.h@example.org")
    with pytest.raises(DBAPIError, match="append-only"), \
            database.session_factory.begin() as session:
        session.execute(update(ChangeEntry).values(fields="{}"))
    with database.session_factory.begin() as session:
        participants.erase(session, person)
    stored = json.dumps(_entries(database), default=str, ensure_ascii=False)
    for personal in ("Amina", "أمينة", "amina", "600 11", "Haddad"):
        assert personal not in stored
    last = _entries(database)[-1]
    assert (last["action"], last["operation"], last["fields"]) == ("erased", "erasure", "{}")
    assert "MAR" in stored  # what is not personal stays
    with pytest.raises(DBAPIError, match="append-only"), \
            database.session_factory.begin() as session:  # never the erasure's own entry
        session.execute(update(ChangeEntry).where(ChangeEntry.action == "erased")
                        .values(fields='{"x": 1}'))


def test_erasure_cannot_touch_other_columns_or_other_people(database: db.Database) -> None:
    """The trigger's exception is narrow: only a participant's fields, only after their
    erasure entry."""
    with database.session_factory.begin() as session:
        first = participants.save_participant(session, full_name="Ivan Petrov",
                                              gender="male", country="RUS")
        second = participants.save_participant(session, full_name="Олег Смирнов",
                                               gender="male", country="RUS")
        erase_history(session, first)
    with pytest.raises(DBAPIError, match="append-only"), \
            database.session_factory.begin() as session:
        session.execute(update(ChangeEntry).where(ChangeEntry.subject_id == first)
                        .values(row_id="nobody"))
    with pytest.raises(DBAPIError, match="append-only"), \
            database.session_factory.begin() as session:
        session.execute(update(ChangeEntry).where(ChangeEntry.subject_id == second)
                        .values(fields="{}"))


def test_queries_and_export(database: db.Database, tmp_path: Path) -> None:
    """An accession's story (also once deleted), recent changes by person, date and type,
    and the Excel export with one row per changed field."""
    with database.session_factory.begin() as session:
        saved = accessions.create_accession(session, values=passport_values(
            ACCENAME="Orge de printemps"))
    with database.session_factory.begin() as session:
        session.info["user"] = "fatima"
        accessions.update_accession(session, saved.id, expected_version=saved.version,
                                    values=passport_values(ORIGCTY="MAR"))
        accessions.delete_accession(session, saved.id, expected_version=saved.version + 1)
    with database.session_factory() as session:
        story = queries.accession_history(session, instcode="KAZ001", accenumb="KZ-0001")
        assert [e.action for e in story] == ["created", "changed", "deleted"]
        assert story[1].fields[-1] == queries.FieldChange("ORIGCTY", "KAZ", "MAR")
        by_fatima = queries.recent_changes(session, user="fatima")
        assert [e.action for e in by_fatima] == ["deleted", "changed"]
        assert queries.recent_changes(session, since=dt.datetime(2100, 1, 1)) == []
        assert {e.subject_type for e in queries.recent_changes(
            session, subject_type="taxon")} == {"taxon"}
    path = write_history(tmp_path / "history.xlsx", story)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == headings()
    assert ("ACCENAME", "Orge de printemps") in {(r[13], r[15]) for r in rows[1:]}
    assert [r[13] for r in rows[1:] if r[12] == "changed"] == ["ACCENAME", "ORIGCTY"]


def test_history_command(database: db.Database, tmp_path: Path) -> None:
    """`genebank history KAZ001:KZ-1` prints the story; --user, --since and --export."""
    _import(database, _xlsx(tmp_path / "new.xlsx", [
        ["INSTCODE", "ACCENUMB", "GENUS", "ACCENAME"],
        ["KAZ001", "KZ-1", "Triticum", "Пшеница озимая"]]))
    _import(database, _xlsx(tmp_path / "update.xlsx", [
        ["INSTCODE", "ACCENUMB", "GENUS", "ACCENAME"],
        ["KAZ001", "KZ-1", "Triticum", "Ак бидай"]]), "--update")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["--database", database.url, "history", "KAZ001:KZ-1"]) == 0
        assert cli.main(["--database", database.url, "history", "--user", "nobody"]) == 0
        assert cli.main(["--database", database.url, "history", "--since", "2020-01-01",
                         "--export", str(tmp_path / "h.xlsx")]) == 0
    lines = out.getvalue().splitlines()
    assert "import 1  created accession KAZ001:KZ-1" in lines[0]
    assert "    ACCENAME: 'Пшеница озимая' -> 'Ак бидай'" in lines
    assert lines[-1].startswith("Wrote 4 change(s) to ")  # institute, taxon, accession x2
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert cli.main(["--database", database.url, "history", "KZ-1"]) == 1
    assert "INSTCODE:ACCENUMB" in err.getvalue()


@pytest.mark.postgres
def test_two_workstations_each_record_their_own(postgres_url: str) -> None:
    """Two processes take seeds from one lot at the same moments: every ledger line has
    one entry, with the user who wrote it."""
    database = db.open_database(postgres_url, user="setup")
    try:
        with database.session_factory.begin() as session:
            accession_id = accessions.create_accession(session, values=passport_values(
                ACCENUMB=f"KZ-{dt.datetime.now():%H%M%S%f}")).id
            lot_id = seed_lots.create_lot(session, accession_id=accession_id,
                                          lot_number=f"L-{accession_id}", storage_type="base",
                                          stored_on=dt.date(2025, 1, 15), seeds=1000,
                                          today=TODAY)
        start = SPAWN.Event()
        queue = SPAWN.Queue()
        processes = [SPAWN.Process(target=jobs.run_job, args=(
            queue, name, jobs.withdraw_many, postgres_url, name, lot_id, 15, start))
            for name in ("FIRST", "SECOND")]
        for process in processes:
            process.start()
        start.set()
        results = [queue.get(timeout=120) for _ in processes]
        for process in processes:
            process.join(30)
        assert all(outcome == "ok" for _name, outcome, _value in results), results
        with database.session_factory() as session:
            lines = dict(session.execute(select(LotTransaction.id, LotTransaction.created_by)
                                         .where(LotTransaction.lot_id == lot_id,
                                                LotTransaction.kind == "distributed")).all())
            entries = session.execute(
                select(ChangeEntry.row_id, ChangeSet.user_name)
                .join(ChangeSet, ChangeSet.id == ChangeEntry.change_set_id)
                .where(ChangeEntry.table_name == "lot_transaction",
                       ChangeEntry.subject_id == lot_id, ChangeEntry.action == "created")
            ).all()
            assert len(lines) == 30
            assert {int(row_id): user for row_id, user in entries
                    if int(row_id) in lines} == lines
            assert sorted(lines.values()).count("FIRST") == 15
    finally:
        database.close()

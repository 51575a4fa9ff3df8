"""The one operation runner (ui/operations.py): saves wait for the database off the GUI
thread, end in one plain message with the typing kept, and announce what changed so that
other open windows refresh themselves."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from genebank import db, transactions
from genebank.conservation import conservation_view, seed_lots, storage_locations
from genebank.passport import accessions
from genebank.services.refusals import Refused
from tests.conftest import passport_values
from tests.ui.waiting import done, settled
from ui import operations
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.lot_dialogs import QuantityDialog
from ui.dialogs.storage_locations import LocationDialog
from ui.main_window import MainWindow
from ui.operations import Changed
from ui.settings import Settings


@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite waits 0.3 s for a lock and a write is tried twice: 'busy' comes in a second
    instead of after four waits of 5 s (the behaviour is the same)."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(transactions, "run_write",
                        functools.partial(transactions.run_write, attempts=2))


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[db.Database]:
    """A SQLite file another program (a second connection) can lock, with one accession."""
    database = db.open_database(db.sqlite_url(tmp_path / "shared.sqlite"), user="technician")
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-0001",
                                                                    ACCENAME="Aral"))
    yield database
    database.close()


def kz_0001(session: Session) -> int:
    found = accessions.find_accession_id(session, instcode=str(passport_values()["INSTCODE"]),
                                         accenumb="KZ-0001")
    assert found is not None
    return found


def write_lock(database: db.Database) -> sqlite3.Connection:
    """Another workstation's connection holding SQLite's write lock (until commit)."""
    other = sqlite3.connect(database.display_name, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_save_waiting_for_the_write_lock_keeps_the_window_alive(
        qtbot: QtBot, shared: db.Database) -> None:
    """While another connection holds the write lock the event loop runs (a timer ticks),
    the form shows it is saving with Save disabled and stays open on Cancel; once the lock
    goes, the save lands."""
    dialog = LocationDialog(shared.session_factory, None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Cold room 1")
    other = write_lock(shared)
    ticks: list[float] = []
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    seen: dict[str, bool] = {}

    def look() -> None:  # while the save waits: what the user sees
        seen.update(busy=dialog.busy.isVisible(), save=dialog.save_button.isEnabled(),
                    open=dialog.isVisible())
        dialog.grab().save("/tmp/runner-saving-busy.png")
        dialog.reject()  # Cancel (Esc) while saving: the save commits or fails whole first
        seen["open after cancel"] = dialog.isVisible()
        other.commit()  # the other workstation finishes

    QTimer.singleShot(1000, look)
    started = time.monotonic()
    operation = dialog.save()
    assert operation is not None
    assert done(qtbot, operation), dialog.error.text()
    timer.stop()
    other.close()
    assert time.monotonic() - started >= 0.9  # it did wait for the lock
    assert len([t for t in ticks if t < started + 0.9]) >= 5  # ...without freezing
    assert seen == {"busy": True, "save": False, "open": True, "open after cancel": True}
    assert not dialog.isVisible()
    with shared.session_factory() as session:
        assert [p.name for p in storage_locations.list_places(session)] == ["Cold room 1"]


def test_a_save_ending_busy_says_so_plainly_and_keeps_the_typing(
        qtbot: QtBot, quick_busy: None, shared: db.Database) -> None:
    """The lock is held through every attempt: the form stays open with the typing and one
    plain sentence naming the operation and what to do; Save works again afterwards."""
    dialog = LocationDialog(shared.session_factory, None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Cold room 1")
    other = write_lock(shared)
    operation = dialog.save()
    assert not done(qtbot, operation)
    assert isinstance(operation.error, transactions.DatabaseBusy)
    message = dialog.error.text()
    assert message.startswith("New storage location: another program or Genebank window "
                              "using this file kept the database busy")
    assert "(2 attempts); nothing was changed. Try again in a moment" in message
    assert "Nothing was saved" not in message  # said once, not twice
    assert "Traceback" not in message and "sqlite3" not in message
    assert dialog.isVisible() and dialog.name.text() == "Cold room 1"
    assert dialog.save_button.isEnabled() and not dialog.busy.isVisible()
    dialog.grab().save("/tmp/runner-busy-failure.png")
    other.commit()
    other.close()
    assert done(qtbot, dialog.save())  # the typing kept is saved once the lock is gone
    with shared.session_factory() as session:
        assert [p.name for p in storage_locations.list_places(session)] == ["Cold room 1"]


def test_the_accession_form_ending_busy_keeps_the_typing(
        qtbot: QtBot, quick_busy: None, shared: db.Database,
        message_boxes: list[str]) -> None:
    """The accession form, refused by a busy database, stays open with what was typed."""
    with shared.session_factory() as session:
        accession_id = kz_0001(session)
    editor = AccessionEditor(shared.session_factory, accession_id=accession_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.editors["ACCENAME"].set_value(["Aral sea barley"])
    other = write_lock(shared)
    saving = editor.save()
    editor.grab().save("/tmp/runner-editor-saving.png")
    assert editor.summary.text().startswith("Saving…") and not editor.save_button.isEnabled()
    assert not done(qtbot, saving)
    assert editor.save_button.isEnabled() and not editor.summary.text().startswith("Saving")
    other.commit()
    other.close()
    assert message_boxes[-1].startswith("Accession KZ-0001: another program or Genebank "
                                        "window using this file kept the database busy")
    assert "Your typing is still in this form" in message_boxes[-1]
    assert editor.isVisible() and editor.editors["ACCENAME"].raw_value() == "Aral sea barley"
    assert done(qtbot, editor.save())
    with shared.session_factory() as session:
        assert accessions.get_passport(session, accession_id).values["ACCENAME"] \
            == ["Aral sea barley"]


def test_a_refusal_is_shown_in_the_services_words(qtbot: QtBot, shared: db.Database) -> None:
    """A place named twice is refused by the service: its words, in the form, typing kept."""
    with shared.session_factory.begin() as session:
        storage_locations.add_location(session, "Cold room 1")
    dialog = LocationDialog(shared.session_factory, None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Cold room 1")
    operation = dialog.save()
    assert not done(qtbot, operation)
    assert str(operation.error) == "'Cold room 1' exists already"
    assert dialog.error.text() == "'Cold room 1' exists already. Nothing was saved."
    assert dialog.isVisible() and dialog.name.text() == "Cold room 1"


def test_a_save_in_one_window_shows_in_the_others(
        qtbot: QtBot, shared: db.Database, settings: Settings) -> None:
    """An accession saved in a form the main window did not open is announced; the main
    table shows the new name without anyone pressing Refresh."""
    window = MainWindow(shared, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.model is not None
    qtbot.waitUntil(lambda: window.model.is_complete)
    assert window.model.index(0, 3).data() == "Aral"
    accession_id = window.model.accession_id(0)
    editor = AccessionEditor(shared.session_factory, accession_id=accession_id)
    qtbot.addWidget(editor)
    editor.editors["ACCENAME"].set_value(["Aral sea barley"])
    with qtbot.waitSignal(operations.announcer().changed) as announced:
        assert done(qtbot, editor.save())
    assert announced.args[0] == Changed(accessions=True)
    qtbot.waitUntil(lambda: window.model.index(0, 3).data() == "Aral sea barley")
    settled(qtbot)  # the filter choices, read again after the save


def test_a_lot_change_elsewhere_shows_in_the_open_accession_form(
        qtbot: QtBot, shared: db.Database) -> None:
    """Seeds taken from a lot in another window (as from a worklist) show at once in the
    open accession form's Seed lots tab."""
    with shared.session_factory.begin() as session:
        accession_id = kz_0001(session)
        seed_lots.store_lot(session, accession_id=accession_id, lot_number="L-1",
                            storage_type="base", stored_on=dt.date(2026, 1, 5), seeds=1000)
    editor = AccessionEditor(shared.session_factory, accession_id=accession_id)
    qtbot.addWidget(editor)
    editor.show()
    tab = editor.conservation
    assert tab is not None and tab.lots[0].seeds_on_hand == 1000
    with shared.session_factory() as session:
        lot = conservation_view.accession_lots(session, accession_id, today=dt.date.today())[0]
    dialog = QuantityDialog(shared.session_factory, lot)  # another window's form
    qtbot.addWidget(dialog)
    dialog.seeds.setValue(150)
    dialog.reason.setText("distributed to a breeder")
    assert done(qtbot, dialog.save()), dialog.error.text()
    qtbot.waitUntil(lambda: tab.lots[0].seeds_on_hand == 850)


# The one message ------------------------------------------------------------------------------
def test_coded_errors_are_worded_from_their_code_and_parameters() -> None:
    """DatabaseBusy and a rule's refusal are worded from code + params, first letter up."""
    busy = transactions.DatabaseBusy(operation="Saving lot L-1", attempts=4, seconds=21.4)
    assert operations.message(busy).startswith(
        "Saving lot L-1: the database stayed busy with another workstation's work for 21 s "
        "(4 attempts)")
    refused = Refused("future_date", what="sowing", day="2027-01-01", today="2026-11-26")
    assert operations.message(refused) == ("The sowing date 2027-01-01 is after today "
                                           "(2026-11-26): only what has happened can be "
                                           "recorded")


def test_a_file_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    """An export into a folder that is a file: the file and what to do, no traceback."""
    (tmp_path / "taken").write_text("")
    with pytest.raises(OSError) as caught:
        (tmp_path / "taken" / "export.xlsx").write_bytes(b"")
    said = operations.message(caught.value, operation="Exporting accessions")
    assert said.startswith(f"Exporting accessions: cannot write or read "
                           f"'{tmp_path / 'taken' / 'export.xlsx'}' (Not a directory)")


def test_a_coded_problem_not_worded_here_yet_keeps_the_cores_words() -> None:
    """Any error with a code and params (as every new core error has) is a refusal said in
    the core's English, not 'Something went wrong'."""
    class NotWritten(Exception):
        def __init__(self) -> None:
            self.code, self.params = "disk_full", {"path": "report.xlsx"}
            super().__init__("the disk is full: report.xlsx was not written")

    assert operations.message(NotWritten()) == ("The disk is full: report.xlsx was not "
                                                "written")


def test_a_database_error_says_what_happened_not_the_sql(shared: db.Database) -> None:
    """A constraint broken in SQLite: one sentence, no SQL, no parameters, no traceback."""
    with pytest.raises(DBAPIError) as caught, shared.engine.begin() as connection:
        connection.execute(text("INSERT INTO alembic_version VALUES (:v)"),
                           {"v": db.SCHEMA_REVISION})
    assert not operations.is_coded(caught.value)  # SQLAlchemy's code and params are not ours
    said = operations.message(caught.value, operation="Saving", database=shared)
    assert said.startswith("Saving: the database refused the change as it conflicts with a "
                           "stored record (UNIQUE constraint failed")
    assert "INSERT" not in said and "[parameters" not in said
    assert "cannot reach" not in said


@pytest.mark.postgres
def test_postgresql_says_cannot_reach_only_when_it_cannot(postgres_url: str) -> None:
    """A value the server refuses is not 'cannot reach the server'; a closed port is."""
    engine = create_engine(postgres_url)
    with pytest.raises(DBAPIError) as refused, engine.connect() as connection:
        connection.execute(text("SELECT CAST(:value AS integer)"), {"value": "secret-x"})
    engine.dispose()
    said = operations.message(refused.value, operation="Saving")
    assert "cannot reach" not in said and "[SQL" not in said and "[parameters" not in said
    assert said.startswith("Saving: the database refused the change (")
    unreachable = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/test",
                                connect_args={"connect_timeout": 2})
    with pytest.raises(DBAPIError) as lost:
        unreachable.connect()
    said = operations.message(lost.value, operation="Saving")
    assert said.startswith("Saving: cannot reach the PostgreSQL server")

"""The main window driven as a technician would: search, filter, open, edit, save, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui.waiting import done, settled
from ui.dialogs.accession_editor import AccessionEditor
from ui.main_window import MainWindow


def open_editor(qtbot: QtBot) -> AccessionEditor:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), AccessionEditor))
    editor = QApplication.activeModalWidget()
    assert isinstance(editor, AccessionEditor)
    qtbot.addWidget(editor)
    return editor


def test_window_shows_the_collection_and_its_count(window: MainWindow) -> None:
    """The table lists every accession and the status bar counts them."""
    assert window.model is not None and window.model.rowCount() == 450
    assert window.count_label.text() == "450 accessions"
    assert window.windowTitle() == "Genebank – gui.sqlite (holds demo records)"  # a demo


def test_typing_in_the_search_box_filters_the_table(qtbot: QtBot, window: MainWindow) -> None:
    """Typing a number prefix narrows the list and the count says how many match."""
    qtbot.keyClicks(window.filter_bar.search, "demo-000001")
    qtbot.waitUntil(lambda: window.count_label.text() == "10 of 450 accessions match")
    assert window.model is not None and window.model.rowCount() == 10


def test_filters_combine_with_search(qtbot: QtBot, window: MainWindow) -> None:
    """Choosing a crop filter shows only that crop; Clear brings everything back."""
    crop = window.filter_bar.crop
    crop.setCurrentIndex(crop.findData("barley"))
    qtbot.waitUntil(lambda: "match" in window.count_label.text())
    model = window.model
    assert model is not None
    assert {model.data(model.index(r, 2)) for r in range(model.rowCount())} == {"barley"}
    qtbot.mouseClick(window.filter_bar.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.count_label.text() == "450 accessions")
    qtbot.waitUntil(lambda: model.is_complete)  # the rows of every crop, read again
    assert len({model.data(model.index(r, 2)) for r in range(model.rowCount())}) > 1


def test_a_scanned_number_and_enter_opens_the_accession(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    """A barcode scanner types the number and Enter: the accession opens."""
    qtbot.keyClicks(window.filter_bar.search, "DEMO-0000123")
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Return)
    editor = open_editor(qtbot)
    assert editor.editors["ACCENUMB"].text() == "DEMO-0000123"
    editor.done(0)


def test_edit_and_save_an_accession(qtbot: QtBot, window: MainWindow,
                                    collection: db.Database) -> None:
    """Open with Enter, change the name, save with Enter: the database and table show it."""
    window.table.setFocus()
    window.table.selectRow(2)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    editor = open_editor(qtbot)
    names = editor.editors["ACCENAME"]
    names.setPlainText("Altyn Dala\nAD-7")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    qtbot.waitUntil(lambda: not editor.isVisible())
    accession_id = window.model.accession_id(2) if window.model else None
    with collection.session_factory() as session:
        passport = accessions.get_passport(session, accession_id)  # type: ignore[arg-type]
    assert passport.values["ACCENAME"] == ["Altyn Dala", "AD-7"]
    assert passport.version == 2 and passport.updated_by == "technician"
    qtbot.waitUntil(lambda: window.model is not None
                    and window.model.data(window.model.index(2, 3)) == "Altyn Dala")


def test_invalid_input_is_shown_by_the_field_and_not_saved(
        qtbot: QtBot, window: MainWindow, collection: db.Database) -> None:
    """A date in the future and an unknown country are explained and block saving."""
    window.table.selectRow(0)
    editor = window.edit_selected()
    assert editor is not None
    qtbot.addWidget(editor)
    editor.editors["ACQDATE"].year.clear()
    qtbot.keyClicks(editor.editors["ACQDATE"].year, "2099")
    country = editor.editors["ORIGCTY"]
    country.clear()
    qtbot.keyClicks(country, "XYZ")
    qtbot.waitUntil(lambda: not editor.messages["ORIGCTY"].isHidden())
    assert "in the future" in editor.messages["ACQDATE"].text()
    assert "not an ISO 3166 country code" in editor.messages["ORIGCTY"].text()
    assert "2 problems to fix" in editor.summary.text()
    assert not done(qtbot, editor.save())
    assert editor.isVisible() and editor.tabs.currentIndex() == 0  # jumped to the first error
    with collection.session_factory() as session:
        assert accessions.get_passport(session, 1).version == 1
    editor.done(0)


def test_new_accession_with_keyboard_only(qtbot: QtBot, window: MainWindow,
                                          collection: db.Database) -> None:
    """Ctrl+N, type the required fields, Enter saves; the count grows by one."""
    window.new_action.trigger()
    editor = open_editor(qtbot)
    assert editor.editors["INSTCODE"].text() == "KAZ001"  # the collection's own institute
    assert "ACCENUMB" in {p.field for p in editor.problems}  # required fields flagged
    editor.editors["INSTCODE"].clear()
    qtbot.keyClicks(editor.editors["INSTCODE"], "kaz001")
    qtbot.keyClicks(editor.editors["ACCENUMB"], "KZ-NEW-1")
    qtbot.keyClicks(editor.editors["GENUS"], "Hordeum")
    editor.editors["STORAGE"].boxes[13].setChecked(True)
    editor.editors["INSTCODE"].normalise()
    assert editor.editors["INSTCODE"].text() == "KAZ001"
    qtbot.keyClick(editor.editors["ACCENUMB"], Qt.Key.Key_Return)
    settled(qtbot)
    qtbot.waitUntil(lambda: not editor.isVisible())
    qtbot.waitUntil(lambda: window.count_label.text() == "451 accessions")
    with collection.session_factory() as session:
        assert accessions.find_accession_id(session, instcode="KAZ001",
                                            accenumb="KZ-NEW-1") is not None


def test_duplicate_number_is_refused_in_the_form(qtbot: QtBot, window: MainWindow) -> None:
    """Duplicating keeps the passport but needs a new number; an existing one is refused."""
    window.table.selectRow(0)
    editor = window.duplicate_selected()
    assert editor is not None
    qtbot.addWidget(editor)
    assert editor.editors["ACCENUMB"].text() == ""
    assert editor.editors["GENUS"].text() != ""
    editor.editors["ACCENUMB"].setText("DEMO-0000002")
    assert not done(qtbot, editor.save())
    assert "already has an accession" in editor.messages["ACCENUMB"].text()
    editor.done(0)


def test_a_lost_race_keeps_the_typing(qtbot: QtBot, window: MainWindow,
                                      collection: db.Database,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """If someone saved the accession meanwhile, the user is told and nothing is lost."""
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    window.table.selectRow(0)
    editor = window.edit_selected()
    assert editor is not None
    qtbot.addWidget(editor)
    with collection.session_factory.begin() as session:
        values = accessions.get_passport(session, 1).values
        accessions.update_accession(session, 1, expected_version=1,
                                    values={**values, "ACCENAME": ["Other workstation"]})
    editor.editors["COLLSITE"].setText("my typing")
    assert not done(qtbot, editor.save())
    assert "changed by technician" in warnings[0]
    assert editor.isVisible() and editor.editors["COLLSITE"].text() == "my typing"
    editor.done(0)


def test_closing_with_unsaved_changes_asks(qtbot: QtBot, window: MainWindow,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel with changes asks first; answering Cancel keeps the form open."""
    asked: list[str] = []

    def answer(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.table.selectRow(0)
    editor = window.edit_selected()
    assert editor is not None
    qtbot.addWidget(editor)
    editor.editors["COLLSITE"].setText("unsaved")
    editor.reject()
    assert asked and editor.isVisible()
    editor.done(0)


def test_delete_asks_then_removes(qtbot: QtBot, window: MainWindow,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Delete asks for confirmation and the accession disappears from the table."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    with window.database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(ACCENUMB="A-0001"))
    window.refresh()
    qtbot.waitUntil(lambda: window.count_label.text() == "451 accessions")
    window.table.selectRow(0)
    window.delete_action.trigger()
    settled(qtbot)
    qtbot.waitUntil(lambda: window.count_label.text() == "450 accessions")
    assert window.model is not None and window.model.data(window.model.index(0, 0)) == \
        "DEMO-0000001"


def test_an_accession_with_seed_lots_is_not_deleted(qtbot: QtBot, window: MainWindow,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    message_boxes: list[str]) -> None:
    """Its lots are the gene bank's seeds: the refusal says so and nothing is removed."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.table.selectRow(0)
    window.delete_action.trigger()
    settled(qtbot)
    assert "seed lot" in message_boxes[-1]
    assert window.count_label.text() == "450 accessions"


def test_load_demo_runs_in_the_background(qtbot: QtBot, window: MainWindow) -> None:
    """Help > Load demo collection builds the demo without freezing, then shows it."""
    task = window.start_demo(300)
    with qtbot.waitSignal(task.done, timeout=20000):
        pass
    qtbot.waitUntil(lambda: window.count_label.text() == "300 accessions")
    assert window.is_demo_database()


def test_switching_databases(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Opening another database shows its collection and remembers it as recent."""
    assert window.switch_database(db.sqlite_url(tmp_path / "other.sqlite"), create=True)
    qtbot.waitUntil(lambda: window.count_label.text() == "0 accessions")
    assert window.settings.recent_databases[0].endswith("other.sqlite")
    assert window.settings.recent_databases[1].endswith("gui.sqlite")


def test_a_bad_database_is_refused_and_the_current_one_kept(
        window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a file that is not a Genebank database says so and keeps the open one."""
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    bad = tmp_path / "notes.sqlite"
    bad.write_text("shopping list")
    assert not window.switch_database(str(bad))
    assert "not a Genebank database" in warnings[0]
    assert window.count_label.text() == "450 accessions"


def test_coordinates_typed_one_way_fill_the_other(qtbot: QtBot, window: MainWindow) -> None:
    """Typing DMS fills the empty decimal field, and the other way round."""
    window.new_action.trigger()
    editor = open_editor(qtbot)
    editor.tabs.setCurrentIndex(editor._tab_of["LATITUDE"])
    latitude = editor.editors["LATITUDE"]
    latitude.setFocus()
    qtbot.keyClicks(latitude, "43 15 20 n")
    latitude.editingFinished.emit()
    assert latitude.text() == "431520N"
    assert editor.editors["DECLATITUDE"].text() == "43.255556"
    decimal = editor.editors["DECLONGITUDE"]
    qtbot.keyClicks(decimal, "-76.5")
    decimal.editingFinished.emit()
    assert editor.editors["LONGITUDE"].text() == "0763000W"
    editor.done(0)


def test_a_locked_database_on_save_is_explained_and_the_typing_kept(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[str]) -> None:
    """Another program holding the database locked: the save says so, nothing is lost."""
    import sqlite3

    from tests.conftest import passport_values

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "locked.sqlite"
    database = db.open_database(str(path), user="technician")
    with database.session_factory.begin() as session:
        saved = accessions.create_accession(session, values=passport_values())
    editor = AccessionEditor(database.session_factory, accession_id=saved.id)
    qtbot.addWidget(editor)
    editor.editors["COLLSITE"].setText("typed while locked")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert not done(qtbot, editor.save())
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert message_boxes[-1].startswith("Accession KZ-0001: another program or Genebank "
                                        "window using this file kept the database busy")
    assert editor.editors["COLLSITE"].text() == "typed while locked"
    assert done(qtbot, editor.save())  # the lock is gone: saving now works
    database.close()


@pytest.mark.parametrize("action", ["delete_action", "duplicate_action"])
def test_an_accession_deleted_elsewhere_is_explained_not_a_traceback(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[str], action: str) -> None:
    """Another workstation deleted the highlighted accession: Delete and Duplicate read it
    through ui.operations and say in one sentence that it is gone; the table is reread."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    with window.database.session_factory.begin() as session:
        created = accessions.create_accession(session,
                                              values=passport_values(ACCENUMB="A-0001"))
        version = created.version
    window.refresh()
    qtbot.waitUntil(lambda: window.count_label.text() == "451 accessions")
    window.table.selectRow(0)
    assert window.selected_accession_id() == created.id
    with window.database.session_factory.begin() as session:  # the other workstation
        accessions.delete_accession(session, created.id, expected_version=version)
    getattr(window, action).trigger()
    settled(qtbot)
    assert message_boxes and "no longer exists" in message_boxes[-1]
    assert "Traceback" not in message_boxes[-1] and "Something went wrong" not in \
        message_boxes[-1]
    qtbot.waitUntil(lambda: window.count_label.text() == "450 accessions")
    assert QApplication.activeModalWidget() is None  # no editor opened on a ghost

"""The demo from the Help menu: its own database file, named in the title bar, with the
user's database untouched; and removing demo records an older version left in a real one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QSpinBox,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from genebank import db
from genebank.demo import demo_removal
from genebank.models import Base
from genebank.passport import accessions
from tests.conftest import passport_values
from tests.ui import shots
from tests.ui.waiting import settled
from ui.main_window import MainWindow

SHOTS = shots.folder("demo_gui")


def table_counts(database: db.Database) -> dict[str, int]:
    """Rows per table: equal before and after means the database was not changed."""
    with database.session_factory() as session:
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}


def answer_count_dialog(qtbot: QtBot, count: int) -> None:
    """When the "how many" dialog opens, type ``count`` as a person would and press Enter."""
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        assert "its own" in dialog.labelText()
        spin = dialog.findChild(QSpinBox)
        spin.selectAll()
        qtbot.keyClicks(spin, str(count))
        qtbot.keyClick(spin, "\r")

    QTimer.singleShot(0, answer)


def test_load_demo_opens_its_own_file_and_leaves_the_users_database(
        qtbot: QtBot, window: MainWindow, collection: db.Database,
        own_database_path: Path) -> None:
    """Help > Load demo collection: the user's database keeps every row; the demo opens
    from genebank-demo.sqlite beside the user's own file, the title says DEMO, and File >
    Back to ... returns to the user's database."""
    before = table_counts(collection)
    assert "DEMO" not in window.windowTitle() and not window.back_action.isVisible()
    answer_count_dialog(qtbot, 120)
    window.demo_action.trigger()
    task = window._task  # held here: the window lets go of it when it finishes
    assert task is not None
    with qtbot.waitSignal(task.done, timeout=30000):
        pass
    qtbot.waitUntil(lambda: window.count_label.text() == "120 accessions")
    demo_file = own_database_path.with_name("genebank-demo.sqlite")
    assert window.database.display_name == str(demo_file.resolve())
    assert window.windowTitle() == "Genebank – DEMO collection – genebank-demo.sqlite"
    assert window.back_action.isVisible() and window.back_action.text() == "Bac&k to gui.sqlite"
    assert "was not changed" in window.statusBar().currentMessage()
    window.grab().save(str(SHOTS / "demo_main_window.png"))
    assert table_counts(collection) == before
    window.back_action.trigger()
    qtbot.waitUntil(lambda: window.count_label.text() == "450 accessions")
    assert window.windowTitle() == "Genebank – gui.sqlite (holds demo records)"
    assert not window.back_action.isVisible()
    settled(qtbot)  # the user's database's filter choices and rows, read again


def test_a_new_demo_replaces_the_old_only_when_the_user_says_so(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        message_boxes: list[str]) -> None:
    """An existing demo file is replaced only after Yes, even while it is open."""
    task = window.start_demo(30)
    with qtbot.waitSignal(task.done, timeout=30000):
        pass
    qtbot.waitUntil(lambda: window.count_label.text() == "30 accessions")
    answer_count_dialog(qtbot, 40)
    assert window.load_demo() is None  # the question was not answered Yes
    assert "Replace it with a new demo?" in message_boxes[-1]
    assert window.count_label.text() == "30 accessions"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    answer_count_dialog(qtbot, 40)
    task = window.load_demo()
    assert task is not None
    with qtbot.waitSignal(task.done, timeout=30000):
        pass
    qtbot.waitUntil(lambda: window.count_label.text() == "40 accessions")
    assert window.is_demo_database()
    settled(qtbot)  # the new demo's filter choices


def when_a_box_opens(act: Callable[[QMessageBox], None]) -> QTimer:
    """Call ``act`` with the message box once it opens (the counting runs first)."""
    timer = QTimer()
    timer.setInterval(20)

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            timer.stop()
            act(box)

    timer.timeout.connect(poll)
    timer.start()
    return timer


def test_remove_demo_records_shows_the_counts_then_keeps_only_real_records(
        qtbot: QtBot, window: MainWindow, collection: db.Database) -> None:
    """Help > Remove demo records lists what goes; Cancel keeps all; Remove keeps the real."""
    with collection.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values(ACCENUMB="KZ-0001"))
    window.refresh()
    window._update_title()
    qtbot.waitUntil(lambda: window.count_label.text() == "451 accessions")
    assert window.windowTitle() == "Genebank – gui.sqlite (holds demo records)"
    seen: list[str] = []

    def click(button_text: str) -> Callable[[QMessageBox], None]:
        def act(box: QMessageBox) -> None:
            assert box.objectName() == "demo_removal"
            seen.append(box.text() + "\n" + box.informativeText())
            box.grab().save(str(SHOTS / "demo_removal_box.png"))
            button = next(b for b in box.findChildren(QPushButton)
                          if b.text().replace("&", "") == button_text)
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        return act

    waiting = when_a_box_opens(click("Cancel"))
    window.remove_demo_action.trigger()
    qtbot.waitUntil(lambda: len(seen) == 1 and window._task is None, timeout=30000)
    assert window.count_label.text() == "451 accessions"
    assert "demo records from gui.sqlite?" in seen[0]
    assert "<td>Accessions</td><td align='right'>&nbsp;&nbsp;450</td>" in seen[0]
    assert "<td>Seed lots</td>" in seen[0] and "<td>Germination tests</td>" in seen[0]
    waiting = when_a_box_opens(click("Remove demo records"))
    window.remove_demo_action.trigger()
    qtbot.waitUntil(lambda: window.count_label.text() == "1 accession", timeout=30000)
    waiting.stop()
    qtbot.waitUntil(lambda: window.windowTitle() == "Genebank – gui.sqlite")
    assert "Removed" in window.statusBar().currentMessage()
    assert window.remove_demo_action.isEnabled()
    with collection.session_factory() as session:
        assert demo_removal.count_demo_records(session).total == 0
        assert accessions.find_accession_id(session, instcode="KAZ001",
                                            accenumb="KZ-0001") is not None


def test_remove_demo_records_says_when_there_are_none(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str], tmp_path: Path) -> None:
    """A database without demo records is left alone, and the user is told so."""
    assert window.switch_database(db.sqlite_url(tmp_path / "own.sqlite"), create=True)
    window.remove_demo_action.trigger()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    assert message_boxes[-1] == "own.sqlite holds no demo records; nothing to remove."
    assert window._task is None and window.remove_demo_action.isEnabled()

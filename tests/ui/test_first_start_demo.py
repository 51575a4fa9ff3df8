"""The first start's "Try the demo" builds the demo on the operation runner, as Help > Load
demo collection does: the runner's progress dialog with Cancel, and a failure said in the
GUI's words (ui.messages), never the exception's own English ("[Errno 21] ...")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from genebank import db, demo_database
from tests.ui import shots
from ui import database_opening, operations

SHOTS = shots.folder("first_start_demo")


def test_a_failing_first_start_demo_is_worded_and_leaves_nothing(
        qtbot: QtBot, own_database_path: Path, message_boxes: list[str]) -> None:
    part = demo_database.part_path(db.demo_database_path())
    part.mkdir(parents=True)  # a folder where the demo's unfinished file goes
    assert database_opening.open_demo(None, accessions=30) is None
    assert len(message_boxes) == 1, message_boxes
    text = message_boxes[0]
    assert text.startswith("Try the demo: cannot write or read"), text
    assert str(part) in text and "Errno" not in text
    assert not db.demo_database_path().exists() and not own_database_path.exists()


def test_the_first_start_demo_runs_as_a_job_whose_cancel_leaves_nothing(
        qtbot: QtBot, own_database_path: Path, message_boxes: list[str]) -> None:
    seen: list[str] = []

    def cancel_when_shown() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, cancel_when_shown)
            return
        jobs = [o for o in operations.pending() if isinstance(o, operations.Job)]
        seen.extend([dialogs[0].windowTitle(), *(job.operation for job in jobs)])
        SHOTS.mkdir(exist_ok=True)
        dialogs[0].grab().save(str(SHOTS / "first-start-demo-progress.png"))
        cancel = dialogs[0].findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()

    QTimer.singleShot(0, cancel_when_shown)
    assert database_opening.open_demo(None, accessions=50000) is None
    assert seen == ["Try the demo", "Try the demo"]
    assert message_boxes == []  # a cancel is no failure
    assert not db.demo_database_path().exists()
    assert not demo_database.part_path(db.demo_database_path()).exists()
    assert not own_database_path.exists()

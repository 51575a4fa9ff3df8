"""The training exports when the file cannot be written (a read-only folder): one plain
sentence, nothing left behind, never "Something went wrong" or a traceback (issue 13)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.training import courses, enrolments, participants
from tests.ui.waiting import done
from ui.views.training_window import TrainingWindow


@pytest.fixture
def training(qtbot: QtBot, tmp_path: Path) -> Iterator[TrainingWindow]:
    database = db.open_database(db.sqlite_url(tmp_path / "training.sqlite"), user="trainer")
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="Development of National Gene Banks")
        course = courses.save_course(session, programme_id=programme,
                                     title="Gene Bank Management", venue_country="KAZ",
                                     start_on=dt.date(2026, 5, 11), end_on=dt.date(2026, 5, 13))
        person = participants.save_participant(session, full_name="Aigerim Nurlanova",
                                               country="KAZ", gender="female")
        enrolments.enrol(session, course_id=course, participant_id=person)
    window = TrainingWindow(database.session_factory, str(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.courses_tab.course_view.show_course(course)
    yield window
    database.close()


def read_only_folder(kind: str, tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written in, as the machine allows: a tmpfs mounted read-only
    (root ignores chmod), or a "folder" that is really a file."""
    if kind == "under a file":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the folder should be")
        yield blocker
        return
    folder = tmp_path / "read-only"
    folder.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


EXPORTS: dict[str, tuple[str, Callable[[TrainingWindow, Path], Any]]] = {
    "attendance sheet": ("Attendance sheet not saved",
                         lambda w, p: w.courses_tab.course_view.save_attendance_sheet(p)),
    "participant list": ("Participant list not saved",
                         lambda w, p: w.courses_tab.course_view.save_participant_list(p)),
    "certificate register": ("Certificate register not saved",
                             lambda w, p: w.certificates_tab.export(p)),
    "training report": ("Training report not saved", lambda w, p: w.reports_tab.export(p)),
}


@pytest.mark.parametrize("kind", ["read-only tmpfs", "under a file"])
def test_an_export_to_a_folder_that_cannot_be_written_says_so_plainly(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    shown: list[tuple[str, str]] = []

    def warning(parent: object, title: str, text: str, *_args: object) -> None:
        shown.append((title, text))
        if len(shown) == 1:  # the first as a person sees it
            box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                              QMessageBox.StandardButton.Ok, training)
            box.show()
            box.grab().save(f"/tmp/mainwindow-export-failed-{kind.replace(' ', '-')}.png")
            box.close()

    monkeypatch.setattr(QMessageBox, "warning", warning)
    folders = read_only_folder(kind, tmp_path)
    folder = next(folders)
    try:
        for name, (title, export) in EXPORTS.items():
            target = folder / f"{name}.xlsx"
            started = export(training, target)
            assert started is not None, name
            assert not done(qtbot, started), name
            assert shown and shown[-1][0] == title, name
            text = shown[-1][1]
            assert text.startswith(f"Cannot write '{target}'"), text
            assert "choose another folder" in text, text
            assert "Something went wrong" not in text and "Traceback" not in text, text
            assert not target.exists()
        assert [t for t, _ in shown] == [t for t, _ in EXPORTS.values()]
        assert QApplication.activeModalWidget() is None
    finally:
        folders.close()

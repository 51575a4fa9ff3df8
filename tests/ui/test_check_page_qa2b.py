"""The tester's findings on the import wizard's check page (QA report, finding 13): the
sheet's own warnings scroll in a pane of their own so the rows stay in sight on a large
file; a Cancel while the rest is checked says what is true of the rows shown; and a check
whose task is deleted while it runs stops quietly instead of raising in its thread."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.io import headings, spreadsheet
from genebank.models import Participant
from genebank.progress import Progress, check
from genebank.training import participant_import
from tests.genebank.test_world_files import GERMINATE
from tests.ui import shots
from tests.ui.test_one_import_wizard import checked, count, open_file, rows_shown
from tests.ui.test_wizard_summary_buttons import CANCEL, NEXT, click
from ui.dialogs.import_wizard import ImportWizard
from ui.tasks import Task


def shot(widget: Any, name: str) -> None:
    shots.shot(widget, name, under="check_page_qa2b")


def long_russian_list(path: Path) -> Path:
    """A course's list of 300 participants with Russian headings, more than the first
    rows read at once."""
    book = openpyxl.Workbook()
    book.active.title = "Участники"
    book.active.append(["Фамилия", "Имя", "Страна", "Организация", "Электронная почта"])
    for n in range(300):
        book.active.append([f"Иванов-{n}", "Пётр", "KAZ", "НИИ земледелия",
                            f"petr{n}@example.kz"])
    book.save(path)
    return path


def test_the_germinate_files_sheet_warnings_leave_the_rows_in_sight(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path) -> None:
    """Germinate's MCPD example (2,010 rows) has many sheet-level warnings; at the
    wizard's size (960x640) the row table still shows at least six rows, the warnings
    scrolling in their own pane."""
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PASSPORT,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.resize(960, 640)
    wizard.show()
    wizard.file_page.path_edit.setText(str(GERMINATE))
    wizard.file_page.load_sheets()
    combo = wizard.file_page.sheet_combo
    combo.setCurrentIndex(next(i for i in range(combo.count())
                               if combo.itemText(i).startswith("DATA")))
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.mapping_page.isComplete(), timeout=20000)
    checked(qtbot, wizard)
    page = wizard.check_page
    qtbot.waitUntil(lambda: page.view.viewport().height() > 0)
    shot(wizard, "1-germinate-check")
    report = wizard.report
    assert report is not None and len(report.sheet_problems) >= 5
    row_height = page.view.verticalHeader().defaultSectionSize()
    assert page.view.viewport().height() >= 6 * row_height
    assert page.sheet_pane.isVisible()
    text = page.sheet_problems.text()
    assert text.count("\n") == len(report.sheet_problems) - 1  # every one, scrolled to


def test_cancel_while_the_rest_is_checked_says_the_first_rows_are_checked(
        qtbot: QtBot, sqlite_database: db.Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the first-rows option the first rows are checked at once; a Cancel while the
    rest is checked must not say "nothing was checked" above them."""
    started = threading.Event()
    real = participant_import.preview_participants

    def slow_check(*args: Any, progress: Progress | None = None, **kwargs: Any) -> Any:
        if progress is not None:  # the check of every row, not of the first rows
            started.set()
            for _ in range(1000):
                if progress.cancelled():
                    break
                threading.Event().wait(0.01)
            check(progress)
        return real(*args, progress=progress, **kwargs)

    release = threading.Event()
    real_read = spreadsheet.read_sheet

    def slow_whole_read(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("first_rows") is None:
            release.wait(20)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(participant_import, "preview_participants", slow_check)
    monkeypatch.setattr(spreadsheet, "read_sheet", slow_whole_read)
    wizard = ImportWizard(sqlite_database.session_factory, None, (headings.PARTICIPANTS,),
                          last_folder=str(tmp_path))
    qtbot.addWidget(wizard)
    wizard.file_page.first_rows.setChecked(True)
    open_file(qtbot, wizard, long_russian_list(tmp_path / "list.xlsx"))
    click(qtbot, wizard, NEXT)
    shown = len(rows_shown(wizard))  # the first rows, checked at once
    assert shown > 0 and wizard.sheet is None
    release.set()
    qtbot.waitUntil(started.is_set, timeout=10000)
    click(qtbot, wizard, CANCEL)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=10000)
    assert not wizard.check_page.checking  # stopped, not started again behind the words
    text = wizard.check_page.counts.text()
    shot(wizard, "2-cancelled-check")
    assert "nothing was checked" not in text
    assert f"the first {shown} rows are checked" in text
    assert "Back, then Next" in text
    assert count(sqlite_database, Participant) == 0


def test_a_task_deleted_while_it_runs_is_seen_as_cancelled(qtbot: QtBot) -> None:
    """A check's thread reporting into a task whose Qt object was deleted (the wizard
    closed, the program ending) raised "Signal source has been deleted" in the worker;
    now its reports go nowhere and ``cancelled()`` tells the core to stop."""
    deleted, seen = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def work(progress: Progress) -> None:
        deleted.wait(10)
        try:
            progress.report(1, 2, "half")
            outcome["cancelled"] = progress.cancelled()
        except Exception as error:  # what main did
            outcome["error"] = error
        finally:
            seen.set()

    task = Task(work).start()
    shiboken6.delete(task)
    deleted.set()
    assert seen.wait(10)
    assert outcome == {"cancelled": True}


"""Windows show a problem of the core worded by the GUI from its code and parameters
(``ui.messages``), not the core's own English (issue 13). Each test words a code here as a
translation of a later issue will (an entry of ``messages.WORDS``), then lets a real widget
meet the problem and checks that the person reads those words."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from genebank import db, problems
from tests.ui.test_demo_failure import SHOTS
from tests.ui.test_training import START, training  # noqa: F401  (a fixture)
from tests.ui.waiting import done, settled
from ui import app, file_dialogs, messages
from ui.dialogs.rules_dialog import RulesDialog
from ui.main_window import MainWindow
from ui.views.number_box import NumberBox
from ui.views.training_window import TrainingWindow


@pytest.fixture
def worded(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Word codes as a translation would: ``worded[code] = "words with {params}"``."""
    words = dict(messages.WORDS)
    monkeypatch.setattr(messages, "WORDS", words)
    return words


def test_a_file_the_import_cannot_read_is_worded(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, worded: dict[str, str]) -> None:
    """Import accessions, a file that is not there: the page says the GUI's words."""
    worded["missing"] = "Nowhere to be found: {file}"
    wizard = window.import_accessions()
    qtbot.addWidget(wizard)
    page = wizard.file_page
    page.path_edit.setText(str(tmp_path / "gone.csv"))
    page.load_sheets()
    assert page.message.text() == f"Nowhere to be found: {tmp_path / 'gone.csv'}"


def test_a_folder_chosen_as_the_tests_sheet_is_worded(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, worded: dict[str, str]) -> None:
    """Import tests, a folder typed as the file: the page says the GUI's words."""
    worded["folder"] = "{file} is a folder"
    wizard = window.import_tests()
    qtbot.addWidget(wizard)
    page = wizard.file_page
    page.path_edit.setText(str(tmp_path / "x.xlsx"))
    (tmp_path / "x.xlsx").mkdir()
    page.load_sheets()
    assert page.message.text() == f"{tmp_path / 'x.xlsx'} is a folder"


def test_a_template_that_cannot_be_saved_is_worded(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, worded: dict[str, str],
        message_boxes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """File > Save the tests template into a folder that is gone: the box says the GUI's
    words with the file's folder."""
    worded["no_folder"] = "The folder {folder} cannot be used ({reason})"
    target = tmp_path / "gone" / "tests-template.xlsx"
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (str(target), ""))
    window.save_tests_template()
    assert message_boxes == [f"The folder {target.parent} cannot be used (it does not exist)"]


def test_an_unreadable_rule_cell_is_worded_with_its_crop_and_column(
        qtbot: QtBot, sqlite_database: db.Database, worded: dict[str, str],
        message_boxes: list[str]) -> None:
    """Conservation rules, letters typed as a seed count: the crop and column lead the
    GUI's words for the refusal."""
    worded["not_a_number"] = "«{text}» is no number"
    dialog = RulesDialog(sqlite_database.session_factory)
    qtbot.addWidget(dialog)
    dialog.table.item(0, 2).setText("many")
    assert dialog.save() is None
    assert message_boxes == ["All crops (this gene bank), Minimum seeds: «many» is no number"]


def test_a_number_field_says_its_refusal_in_the_guis_words(
        qtbot: QtBot, worded: dict[str, str]) -> None:
    """A number field's red tooltip is the GUI's wording of the core's refusal."""
    worded["not_a_number"] = "«{text}» is no number"
    box = NumberBox(whole=True)
    qtbot.addWidget(box)
    box.setText("many")
    box.editingFinished.emit()
    assert box.toolTip() == "«many» is no number"


def test_an_error_nothing_caught_is_worded(
        qtbot: QtBot, worded: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The last resort for an error no window caught: a problem of the core in the GUI's
    words; a fault of ours in the runner's "Something went wrong" with its kind."""
    worded["disk_full_somewhere"] = "No room left on {drive}"
    shown: list[str] = []

    def critical(parent: QWidget | None, title: str, text: str,
                 *_args: object) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text,
                          QMessageBox.StandardButton.Ok, parent)
        box.show()
        SHOTS.mkdir(exist_ok=True)
        box.grab().save(str(SHOTS / f"unexpected_{len(shown)}.png"))
        box.close()
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(sys, "excepthook", lambda *_args: None)  # the terminal's share
    app.report_unexpected_errors()
    coded = problems.Coded("the core's English", code="disk_full_somewhere",
                           params={"drive": "E:"})
    sys.excepthook(type(coded), coded, None)
    fault = KeyError("row")
    sys.excepthook(type(fault), fault, None)
    assert shown[0] == "No room left on E:"
    assert shown[1].startswith("Something went wrong (KeyError: 'row')")
    assert shown[1].endswith("The details for a report are printed in the terminal.")


@pytest.fixture
def say_codes(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """``messages.say`` answering "worded <code>", to see which problems went through it."""
    said: list[BaseException] = []

    def say(error: BaseException, **_context: object) -> str:
        said.append(error)
        return f"worded {getattr(error, 'code', '?')}"

    monkeypatch.setattr(messages, "say", say)
    return said


def test_enrolment_refusals_and_unreadable_scores_are_worded(
        qtbot: QtBot, training: TrainingWindow, message_boxes: list[str],  # noqa: F811
        say_codes: list[BaseException]) -> None:
    """Enrolling people already on the course lists each refusal in the GUI's words, from
    the refusal itself (worded on the GUI thread, not English made in the worker); a
    score that is not a number is said the same way, after its column's name."""
    tab = training.courses_tab
    dialog = tab.new_course()
    qtbot.keyClicks(dialog.title_edit, "Seed health")
    qtbot.keyClicks(dialog.host_name, "Kazakh gene bank")
    qtbot.keyClicks(dialog.city, "Almaty")
    dialog.start_on.setDate(QDate(START))
    dialog.end_on.setDate(QDate(START).addDays(1))
    assert done(qtbot, dialog.save())
    view = tab.course_view
    enrol = view.enrol()
    enrol.results.selectAll()
    assert done(qtbot, enrol.enrol_selected())
    enrol.results.selectAll()
    again = enrol.enrol_selected()
    assert done(qtbot, again) and again.result[0] == 0
    refusals = again.result[1]
    assert len(refusals) == 2 and all(problems.is_coded(r) for r in refusals)
    assert say_codes[-2:] == refusals
    assert enrol.message.text() == "\n".join(
        ["0 enrolled.", *(f"worded {r.code}" for r in refusals)])  # type: ignore[attr-defined]
    enrol.accept()
    view.table.item(0, 4 + len(view.days)).setText("lots")  # the pre-test score
    settled(qtbot)
    assert message_boxes[-1] == "Pre-test %: worded not_a_number"

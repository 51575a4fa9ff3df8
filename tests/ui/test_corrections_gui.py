"""Void… and Correct… in the conservation tab, through the real dialogs (issue 15): the
voided test stays in Tests, struck through and marked void with its reason in a tooltip,
and the lot's viability is the previous test's again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank.conservation import seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.training import certificates
from tests.ui.test_conservation import open_first_accession
from tests.ui.test_training_highlight import course_id, training
from tests.ui.waiting import settled
from ui.dialogs.correction_dialogs import CorrectLedgerLineDialog, VoidDialog
from ui.main_window import MainWindow
from ui.views import certificate_corrections, correction_actions
from ui.views.certificate_corrections import CorrectCertificateDialog
from ui.views.training_window import TrainingWindow

__all__ = ["training"]  # the fixture used below


def test_a_test_voided_through_the_dialog_is_shown_void_and_the_viability_follows(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, message_boxes: list[str]) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    today = dt.date.today()
    with window.database.session_factory.begin() as session:
        lot_id = seed_lots.create_lot(session, accession_id=tab.accession_id,
                                      lot_number="KZ-LOT-0099", storage_type="base",
                                      stored_on=today - dt.timedelta(days=400), seeds=4000)
        seed_tests.record_germination(session, lot_id, tested_on=today - dt.timedelta(days=390),
                                      replicates=[Replicate(100, 93, 7)] * 4,
                                      method="between paper, 20 °C", tester="Aigul")
        seed_tests.record_germination(session, lot_id, tested_on=today - dt.timedelta(days=3),
                                      replicates=[Replicate(100, 58, 42)] * 4,
                                      method="between paper, 20 °C", tester="Aigul")
    tab.reload(select_lot=lot_id)
    lot = tab.current_lot()
    assert lot is not None and lot.last_viability_pct == 58.0 and lot.seeds_on_hand == 3200
    tab.details.setCurrentWidget(tab.test_table)
    tab.test_table.selectRow(0)  # the newest test, 58 %

    dialog = correction_actions.void_current(tab)
    assert isinstance(dialog, VoidDialog)
    assert "58" in dialog.what.text()
    dialog.save_button.click()  # no reason: refused in the dialog, nothing saved
    settled(qtbot)
    assert dialog.isVisible() and not dialog.error.isHidden()
    assert "say why" in dialog.error.text().lower()
    qtbot.keyClicks(dialog.reason, "counted from another lot's tray")
    dialog.grab().save(str(tmp_path / "void-dialog.png"))
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter voids
    settled(qtbot)
    assert not dialog.isVisible()
    assert message_boxes == []

    lot = tab.current_lot()
    assert lot is not None and lot.last_viability_pct == 93.0 and lot.seeds_on_hand == 3600
    voided = tab.test_table.item(0, 1)
    assert voided.text().endswith("(void)") and voided.font().strikeOut()
    assert voided.toolTip() == "Void: counted from another lot's tray"
    assert not tab.test_table.item(1, 1).font().strikeOut()
    assert correction_actions.void_row(tab, "test", 0) is None  # not twice

    tab.details.setCurrentWidget(tab.ledger_table)
    ledger = tab.history.ledger if tab.history else []
    assert [(line.kind, line.voided) for line in ledger] == [
        ("stored", False), ("test", False), ("test", True)]
    assert tab.ledger_table.item(2, 1).font().strikeOut()

    editor.resize(1100, 640)
    tab.details.setCurrentWidget(tab.test_table)
    tab.test_table.selectRow(1)  # the void row shown grey, not highlighted
    editor.show()
    settled(qtbot)
    editor.grab().save(str(tmp_path / "voided-test.png"))  # docs/screenshots/voided-test.png


def test_a_ledger_line_corrected_in_its_usual_form(qtbot: QtBot, window: MainWindow,
                                                   message_boxes: list[str],
                                                   tmp_path: Path) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    today = dt.date.today()
    with window.database.session_factory.begin() as session:
        lot_id = seed_lots.create_lot(session, accession_id=tab.accession_id,
                                      lot_number="KZ-LOT-0098", storage_type="active",
                                      stored_on=today - dt.timedelta(days=30), seeds=2000)
        seed_lots.withdraw(session, lot_id, kind="distributed", on=today, seeds=250,
                           reason="SMTA 2026-17")
    tab.reload(select_lot=lot_id)
    tab.details.setCurrentWidget(tab.ledger_table)
    tab.ledger_table.selectRow(1)
    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectLedgerLineDialog)
    assert dialog.seeds.value() == 250  # prefilled with the line's amount
    dialog.seeds.setValue(200)
    qtbot.keyClicks(dialog.reason, "200 seeds were sent")
    dialog.grab().save(str(tmp_path / "correct-line.png"))
    dialog.save_button.click()
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []
    lot = tab.current_lot()
    assert lot is not None and lot.seeds_on_hand == 1800
    assert tab.ledger_table.rowCount() == 3
    assert tab.ledger_table.item(1, 1).font().strikeOut()


def test_a_certificate_voided_stays_in_the_register_and_a_correction_takes_a_new_number(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path,
        message_boxes: list[str]) -> None:
    with training.session_factory.begin() as session:
        certificates.issue_for_course(session, course_id(training, "Field collecting"))
    tab = training.certificates_tab
    training.tabs.setCurrentWidget(tab)
    tab.reload()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    tab.table.selectRow(0)
    number = tab.table.item(0, 0).text()
    assert tab.void_button.isEnabled() and tab.correct_button.isEnabled()

    corrected = certificate_corrections.correct(tab)
    assert isinstance(corrected, CorrectCertificateDialog)
    qtbot.keyClicks(corrected.reason, "name spelt wrong")
    corrected.grab().save(str(tmp_path / "correct-certificate.png"))
    corrected.save_button.click()
    settled(qtbot)
    assert not corrected.isVisible() and message_boxes == []
    assert tab.table.rowCount() == 2
    assert tab.table.item(0, 0).text() == f"{number} (void)"
    assert tab.table.item(0, 0).font().strikeOut()
    assert tab.table.item(0, 0).toolTip() == "Void: name spelt wrong"
    renumbered = tab.table.item(1, 0).text()
    assert renumbered != number and not tab.table.item(1, 0).font().strikeOut()

    tab.table.selectRow(0)  # the void one: nothing more to do with it
    assert not tab.void_button.isEnabled() and not tab.reprint_button.isEnabled()
    tab.table.selectRow(1)
    voided = certificate_corrections.void(tab)
    assert isinstance(voided, VoidDialog)
    qtbot.keyClicks(voided.reason, "course not completed")
    qtbot.keyClick(voided.reason, Qt.Key.Key_Return)
    settled(qtbot)
    assert [tab.table.item(row, 0).font().strikeOut() for row in range(2)] == [True, True]
    training.grab().save(str(tmp_path / "voided-certificates.png"))

"""Void… and Correct… in the conservation tab, through the real dialogs (issue 15): the
voided test stays in Tests, struck through and marked void with its reason in a tooltip,
and the lot's viability is the previous test's again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank.conservation import regenerations, seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.training import certificates
from tests.ui.test_conservation import open_first_accession
from tests.ui.test_training_highlight import course_id, training
from tests.ui.waiting import settled
from ui.dialogs.correction_dialogs import (
    CorrectDuplicateDialog,
    CorrectLedgerLineDialog,
    CorrectMoistureDialog,
    CorrectRegenerationDialog,
    VoidDialog,
)
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


SHOTS = Path("/tmp")  # the dialogs looked at while writing these tests


def _lot_with(window: MainWindow, accession_id: int, number: str, seeds: int = 3000) -> int:
    today = dt.date.today()
    with window.database.session_factory.begin() as session:
        return seed_lots.create_lot(session, accession_id=accession_id, lot_number=number,
                                    storage_type="base",
                                    stored_on=today - dt.timedelta(days=200), seeds=seeds)


def test_a_moisture_test_corrected_in_its_usual_form_and_the_lot_follows(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    today = dt.date.today()
    lot_id = _lot_with(window, tab.accession_id, "KZ-LOT-0097")
    with window.database.session_factory.begin() as session:
        seed_tests.record_moisture(session, lot_id, tested_on=today - dt.timedelta(days=150),
                                   moisture_pct=6.0, method="oven 103 °C 17 h", tester="Aigul")
        seed_tests.record_moisture(session, lot_id, tested_on=today - dt.timedelta(days=2),
                                   moisture_pct=9.5, erh_pct=40.0, method="oven 103 °C 17 h",
                                   tester="Aigul")
    tab.reload(select_lot=lot_id)
    lot = tab.current_lot()
    assert lot is not None and lot.last_moisture_pct == 9.5
    tab.details.setCurrentWidget(tab.test_table)
    tab.test_table.selectRow(0)  # the newest, 9.5 % (typed for 5.9 %)

    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectMoistureDialog)
    assert (dialog.moisture.value(), dialog.erh.value(), dialog.method.text()) == (
        9.5, 40.0, "oven 103 °C 17 h")  # prefilled with the test
    dialog.moisture.setValue(5.9)
    dialog.save_button.click()  # no reason: refused in the dialog
    settled(qtbot)
    assert dialog.isVisible() and "say why" in dialog.error.text().lower()
    qtbot.keyClicks(dialog.reason, "digits swapped")
    dialog.grab().save(str(SHOTS / "corrections2-moisture.png"))
    dialog.save_button.click()
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []

    lot = tab.current_lot()
    assert lot is not None and lot.last_moisture_pct == 5.9
    tests = tab.history.tests if tab.history else []
    assert sorted((t.tested_on, t.percent, t.voided, t.void_reason) for t in tests) == [
        (today - dt.timedelta(days=150), 6.0, False, ""),
        (today - dt.timedelta(days=2), 5.9, False, ""),
        (today - dt.timedelta(days=2), 9.5, True, "digits swapped")]
    voided = next(row for row, t in enumerate(tests) if t.voided)
    assert tab.test_table.item(voided, 1).font().strikeOut()
    assert tab.test_table.item(voided, 1).text().endswith("(void)")
    assert [tab.test_table.item(row, 1).font().strikeOut() for row in range(3)].count(True) == 1
    tab.test_table.selectRow(voided)
    assert correction_actions.correct_current(tab) is None  # a void test is not corrected


def test_a_regeneration_corrected_in_its_usual_form_stays_listed_void(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    today = dt.date.today()
    lot_id = _lot_with(window, tab.accession_id, "KZ-LOT-0096")
    with window.database.session_factory.begin() as session:
        regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Field 3",
                                        planned_on=today + dt.timedelta(days=30), seeds=200)
    tab.reload(select_lot=lot_id)
    tab.details.setCurrentWidget(tab.regeneration_table)
    tab.regeneration_table.selectRow(0)

    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectRegenerationDialog)
    assert dialog.site.text() == "Field 3"
    assert dialog.planned_on.date().toPython() == today + dt.timedelta(days=30)
    dialog.site.setText("Screenhouse 2")
    qtbot.keyClicks(dialog.reason, "planned for the wrong site")
    dialog.grab().save(str(SHOTS / "corrections2-regeneration.png"))
    dialog.save_button.click()
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []

    assert [(r.site, r.voided, r.void_reason) for r in tab.regenerations] == [
        ("Screenhouse 2", False, ""), ("Field 3", True, "planned for the wrong site")]
    assert tab.regeneration_table.item(1, 1).text() == "Field 3"
    assert tab.regeneration_table.item(1, 1).font().strikeOut()
    assert tab.regeneration_table.item(1, 5).text().endswith("(void)")
    assert not tab.regeneration_table.item(0, 1).font().strikeOut()
    lot = tab.current_lot()
    assert lot is not None and lot.seeds_on_hand == 2800  # its seeds taken once


def test_a_safety_duplicate_corrected_in_its_usual_form_and_voided_as_it_was_read(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    editor = open_first_accession(qtbot, window)
    tab = editor.conservation
    assert tab is not None
    today = dt.date.today()
    lot_id = _lot_with(window, tab.accession_id, "KZ-LOT-0095")
    with window.database.session_factory.begin() as session:
        regenerations.send_safety_duplicate(session, lot_id=lot_id, institute_code="NOR051",
                                            sent_on=today - dt.timedelta(days=5), seeds=500,
                                            box_reference="B-7")
    tab.reload(select_lot=lot_id)
    assert tab.correct_duplicate_action.isEnabled()

    dialog = correction_actions.correct_duplicate(tab)
    assert isinstance(dialog, CorrectDuplicateDialog)
    assert (dialog.institute.text(), dialog.seeds.value(), dialog.box.text()) == (
        "NOR051", 500, "B-7")
    assert dialog.sent_on.date().toPython() == today - dt.timedelta(days=5)
    dialog.seeds.setValue(400)
    qtbot.keyClicks(dialog.reason, "400 seeds were packed")
    dialog.grab().save(str(SHOTS / "corrections2-duplicate.png"))
    dialog.save_button.click()
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []

    lot = tab.current_lot()
    assert lot is not None and lot.seeds_on_hand == 2600
    shown = tab.duplicates.text().splitlines()
    assert shown[0].startswith("NOR051: 400 seeds, sent") and "box B-7" in shown[0]
    assert shown[1].startswith("void: NOR051: 500 seeds") and shown[1].endswith(
        "(400 seeds were packed)")

    # Void… of the duplicate as it was read: confirmed meanwhile elsewhere, it is refused
    voiding = correction_actions.void_duplicate(tab)
    assert isinstance(voiding, VoidDialog) and "400 seeds" in voiding.what.text()
    history = tab.history
    assert history is not None
    with window.database.session_factory.begin() as session:
        regenerations.set_duplicate_status(session, history.duplicate_lines[0].id,
                                           "confirmed", on=today)
    qtbot.keyClicks(voiding.reason, "never left the building")
    voiding.save_button.click()
    settled(qtbot)
    refusal = voiding.error.text() if not voiding.error.isHidden() else " ".join(message_boxes)
    assert "changed" in refusal.lower()
    voiding.grab().save(str(SHOTS / "corrections2-void-duplicate.png"))
    tab.reload(select_lot=lot_id)
    assert tab.duplicates.text().splitlines()[0].startswith("NOR051: 400 seeds, confirmed")

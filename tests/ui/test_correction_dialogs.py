"""Correct… and Void… as a technician uses them (QA session 6, findings 1, 23, 2, 17, 16 and
19), through the real dialogs of an accession's Seed lots tab: a recount is corrected signed,
the grams follow the seeds typed, the Void dialog takes the reason typed at once, a test
still to count is corrected as one, a corrected date keeps the rules of a new record, and a
refusal saying a colleague voided the record meanwhile shows the lot as it is now."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank.conservation import corrections, regenerations, seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from tests.ui import shots
from tests.ui.test_conservation import open_first_accession
from tests.ui.waiting import settled
from ui.dialogs.correction_dialogs import (
    CorrectGerminationDialog,
    CorrectLedgerLineDialog,
    CorrectRegenerationDialog,
    VoidDialog,
)
from ui.main_window import MainWindow
from ui.views import correction_actions
from ui.views.conservation_tab import ConservationTab

UNDER = "correction_dialogs"
TODAY = dt.date.today()


def _tab(qtbot: QtBot, window: MainWindow) -> ConservationTab:
    editor = open_first_accession(qtbot, window)
    assert editor.conservation is not None
    editor.resize(1100, 640)
    return editor.conservation


def _lot(window: MainWindow, tab: ConservationTab, number: str, **amounts: object) -> int:
    values: dict[str, object] = {"seeds": 10_000, "thousand_seed_weight_g": 36.9}
    values.update(amounts)
    with window.database.session_factory.begin() as session:
        return seed_lots.create_lot(session, accession_id=tab.accession_id, lot_number=number,
                                    storage_type="base", stored_on=TODAY - dt.timedelta(days=200),
                                    **values)  # type: ignore[arg-type]


def _ledger(tab: ConservationTab) -> list[tuple[str, int | None, float | None, bool]]:
    lines = tab.history.ledger if tab.history else []
    return [(line.kind, line.seeds, line.grams, line.voided) for line in lines]


def test_a_recount_is_corrected_signed_and_the_lot_follows(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    """A recount of 50 fewer seeds is shown as -50 (and its grams as minus), and corrected
    to -30 the lot holds 30 fewer seeds than stored, not 30 more (finding 1)."""
    tab = _tab(qtbot, window)
    lot_id = _lot(window, tab, "KZ-LOT-0201")
    with window.database.session_factory.begin() as session:
        seed_lots.correct(session, lot_id, on=TODAY, seeds=-50,
                          reason="recount found 50 fewer")
    tab.reload(select_lot=lot_id)
    tab.details.setCurrentWidget(tab.ledger_table)
    tab.ledger_table.selectRow(1)
    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectLedgerLineDialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert (dialog.seeds.value(), dialog.grams.value()) == (-50, -1.845)  # as entered
    assert dialog.seeds.text().replace("\u2212", "-") == "-50"
    assert "negative" in dialog.hint.text()
    dialog.seeds.selectAll()
    qtbot.keyClicks(dialog.seeds, "-30")
    assert dialog.grams.value() == -1.107  # follows from the 1000-seed weight
    qtbot.keyClicks(dialog.reason, "the recount was 30 fewer")
    shots.shot(dialog, "correct-recount-signed", under=UNDER)
    dialog.save_button.click()
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []
    lot = tab.current_lot()
    assert lot is not None
    assert (lot.seeds_on_hand, lot.grams_on_hand) == (9970, 367.893)
    assert _ledger(tab) == [("stored", 10_000, 369.0, False),
                            ("correction", -50, -1.845, True),
                            ("correction", -30, -1.107, False)]


def test_correcting_the_seeds_of_a_line_works_out_its_grams(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    """A distribution of 293 seeds (10.812 g) was 239: typing the seeds changes the grams
    shown, and the lot's seeds and grams keep agreeing with its 1000-seed weight (finding
    23); grams typed work out the seeds the same way."""
    tab = _tab(qtbot, window)
    lot_id = _lot(window, tab, "KZ-LOT-0202")
    with window.database.session_factory.begin() as session:
        seed_lots.withdraw(session, lot_id, kind="distributed", on=TODAY, seeds=293,
                           reason="SMTA 99")
    tab.reload(select_lot=lot_id)
    tab.details.setCurrentWidget(tab.ledger_table)
    tab.ledger_table.selectRow(1)
    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectLedgerLineDialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert (dialog.seeds.value(), dialog.grams.value()) == (293, 10.812)
    dialog.seeds.selectAll()
    qtbot.keyClicks(dialog.seeds, "239")
    assert dialog.grams.value() == 8.819
    assert "follows from the lot's 1000-seed weight" in dialog.hint.text()
    assert dialog.focusWidget() is dialog.seeds
    qtbot.keyClicks(dialog.reason, "the SMTA says 239 seeds")
    shots.shot(dialog, "correct-line-grams-follow", under=UNDER)
    dialog.save_button.click()
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []
    lot = tab.current_lot()
    assert lot is not None
    assert (lot.seeds_on_hand, lot.grams_on_hand) == (9761, 360.181)
    assert lot.grams_on_hand == round(lot.seeds_on_hand * 36.9 / 1000, 3)

    tab.ledger_table.selectRow(2)  # the new line, corrected again by its weight
    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectLedgerLineDialog)
    dialog.grams.selectAll()
    qtbot.keyClicks(dialog.grams, "7.38")
    assert dialog.seeds.value() == 200
    qtbot.keyClicks(dialog.reason, "weighed again: 7.38 g")
    dialog.save_button.click()
    settled(qtbot)
    lot = tab.current_lot()
    assert lot is not None and (lot.seeds_on_hand, lot.grams_on_hand) == (9800, 361.62)


def test_the_void_dialog_takes_the_reason_typed_at_once(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    """The Void dialog opens with its reason field focused: a technician types the reason
    straight away, spaces and all, and Enter voids with it (finding 2)."""
    tab = _tab(qtbot, window)
    lot_id = _lot(window, tab, "KZ-LOT-0203")
    with window.database.session_factory.begin() as session:
        seed_tests.record_germination(session, lot_id, tested_on=TODAY - dt.timedelta(days=3),
                                      replicates=[Replicate(100, 73, 27)] * 2)
    tab.reload(select_lot=lot_id)
    tab.details.setCurrentWidget(tab.test_table)
    tab.test_table.selectRow(0)
    dialog = correction_actions.void_current(tab)
    assert isinstance(dialog, VoidDialog)
    qtbot.waitExposed(dialog)
    typing = dialog.focusWidget()
    assert typing is dialog.reason
    qtbot.keyClicks(typing, "sent under the wrong lot")
    assert dialog.isVisible() and dialog.error.isHidden()
    shots.shot(dialog, "void-reason-typed", under=UNDER)
    qtbot.keyClick(typing, Qt.Key.Key_Return)
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []
    assert tab.test_table.item(0, 1).toolTip() == "Void: sent under the wrong lot"


def test_a_test_still_to_count_is_corrected_as_one(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    """A test recorded as sown on the wrong day, with a tray forgotten, can be corrected: the
    form keeps "Record as sown, count later" ticked, and the new test waits to be counted in
    its place, the seeds of its three trays taken once (finding 17)."""
    tab = _tab(qtbot, window)
    lot_id = _lot(window, tab, "KZ-LOT-0204", thousand_seed_weight_g=None)
    with window.database.session_factory.begin() as session:
        seed_tests.start_germination(session, lot_id, tested_on=TODAY, sown=[50, 50])
    tab.reload(select_lot=lot_id)
    tab.details.setCurrentWidget(tab.test_table)
    tab.test_table.selectRow(0)
    assert [t.status for t in tab.tests_to_count()] == ["in_progress"]
    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectGerminationDialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.sown_only.isVisible() and dialog.sown_only.isChecked()
    assert not dialog.cells[0][1].isEnabled()  # no counts asked for
    assert dialog.consumed.is_blank()  # the seeds sown, whatever they become
    dialog.tested_on.setDate(TODAY - dt.timedelta(days=1))
    dialog.replicate_count.setValue(3)
    qtbot.keyClicks(dialog.reason, "sown the day before, three trays")
    shots.shot(dialog, "correct-test-to-count", under=UNDER)
    dialog.save_button.click()
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []
    waiting = tab.tests_to_count()
    assert [(t.tested_on, t.status, t.sown) for t in waiting] == [
        (TODAY - dt.timedelta(days=1), "in_progress", (50, 50, 50))]
    lot = tab.current_lot()
    assert lot is not None and lot.seeds_on_hand == 9850
    tests = tab.history.tests if tab.history else []
    assert sorted((t.tested_on, t.voided) for t in tests) == [
        (TODAY - dt.timedelta(days=1), False), (TODAY, True)]


def test_a_corrected_date_keeps_the_rules_of_a_new_record(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    """A line's date box starts at the lot's storage day (the line that stored it keeps
    that day); a regeneration corrected as sown after its harvest is refused in the
    dialog, in words, with the typing kept (finding 16)."""
    tab = _tab(qtbot, window)
    lot_id = _lot(window, tab, "KZ-LOT-0205")
    with window.database.session_factory.begin() as session:
        event = regenerations.plan_regeneration(session, source_lot_id=lot_id, site="Field 3",
                                                planned_on=TODAY - dt.timedelta(days=150))
        regenerations.record_sowing(session, event, sown_on=TODAY - dt.timedelta(days=140),
                                    plants=40)
        regenerations.record_harvest(session, event, harvested_on=TODAY - dt.timedelta(days=20),
                                     lot_number="KZ-LOT-0206", storage_type="base",
                                     seeds=900)
    tab.reload(select_lot=lot_id)
    tab.details.setCurrentWidget(tab.ledger_table)
    tab.ledger_table.selectRow(0)
    stored = correction_actions.correct_current(tab)
    assert isinstance(stored, CorrectLedgerLineDialog)
    assert not stored.on.isEnabled()
    assert stored.on.minimumDate().toPython() == TODAY - dt.timedelta(days=200)
    stored.reject()

    tab.details.setCurrentWidget(tab.regeneration_table)
    tab.regeneration_table.selectRow(0)
    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectRegenerationDialog)
    dialog.show()
    dialog.sown_on.setDate(TODAY)
    qtbot.keyClicks(dialog.reason, "sown later")
    dialog.save_button.click()
    settled(qtbot)
    assert dialog.isVisible() and not dialog.error.isHidden()
    assert dialog.error.text() == (
        f"The harvest date {TODAY - dt.timedelta(days=20)} is before the sowing date "
        f"{TODAY}. Nothing was saved.")
    shots.shot(dialog, "correct-regeneration-sown-after-harvest", under=UNDER)
    dialog.sown_on.setDate(TODAY - dt.timedelta(days=130))
    dialog.save_button.click()
    settled(qtbot)
    assert not dialog.isVisible() and message_boxes == []
    assert [(r.sown_on, r.status, r.voided) for r in tab.regenerations] == [
        (TODAY - dt.timedelta(days=130), "harvested", False),
        (TODAY - dt.timedelta(days=140), "harvested", True)]


def test_a_refusal_saying_the_test_was_voided_meanwhile_shows_the_lot_as_it_is(
        qtbot: QtBot, window: MainWindow, message_boxes: list[str]) -> None:
    """plab2 corrects a test that plab1 voids meanwhile: the refusal names plab1, the typing
    stays, and the lot behind shows the test void and the lot's numbers as the database
    has them now, without closing the dialog or reopening the lot (finding 19)."""
    tab = _tab(qtbot, window)
    lot_id = _lot(window, tab, "KZ-LOT-0207", thousand_seed_weight_g=None)
    with window.database.session_factory.begin() as session:
        seed_tests.record_germination(session, lot_id, tested_on=TODAY - dt.timedelta(days=190),
                                      replicates=[Replicate(100, 97, 3)] * 2)
        wrong = seed_tests.record_germination(
            session, lot_id, tested_on=TODAY - dt.timedelta(days=3),
            replicates=[Replicate(100, 81, 19)] * 2)
    tab.reload(select_lot=lot_id)
    tab.details.setCurrentWidget(tab.test_table)
    tab.test_table.selectRow(0)
    lot = tab.current_lot()
    assert lot is not None and (lot.last_viability_pct, lot.seeds_on_hand) == (81.0, 9600)
    dialog = correction_actions.correct_current(tab)
    assert isinstance(dialog, CorrectGerminationDialog)
    dialog.show()
    with window.database.session_factory.begin() as session:  # plab1, at another workstation
        session.info["user"] = "plab1"
        corrections.void_germination_test(session, wrong, reason="typed on the wrong lot")
    dialog.cells[0][1].setValue(85)
    dialog.cells[0][2].setValue(15)
    qtbot.keyClicks(dialog.reason, "85 normal, not 81")
    dialog.save_button.click()
    settled(qtbot)
    assert dialog.isVisible() and message_boxes == []
    assert "was voided on" in dialog.error.text() and "plab1" in dialog.error.text()
    assert dialog.reason.text() == "85 normal, not 81"  # the typing stays
    lot = tab.current_lot()
    assert lot is not None and (lot.last_viability_pct, lot.seeds_on_hand) == (97.0, 9800)
    assert tab.test_table.item(0, 1).text().endswith("(void)")
    assert tab.test_table.item(0, 1).font().strikeOut()
    shots.shot(tab.window(), "stale-refusal-lot-reread", under=UNDER)
    shots.shot(dialog, "stale-refusal-dialog", under=UNDER)

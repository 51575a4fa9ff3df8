"""Accession > Withdraw… and Reinstate in the main window, through the real dialog: the
accession leaves the table (and comes back greyed, with its reason, under "Show
withdrawn"); a refusal stays in the dialog; the actions are greyed by rights."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank import db
from genebank.models import Accession
from genebank.passport import withdrawals
from genebank.services.refusals import Refused
from genebank.users.actor import Actor, attach, detach
from genebank.users.roles import Role
from tests.ui.waiting import done, settled
from ui.main_window import MainWindow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _select(window: MainWindow, accenumb: str) -> int:
    assert window.model is not None
    for row in range(window.model.rowCount()):
        shown = window.model.row_at(row)
        if shown is not None and shown.accenumb == accenumb:
            assert window.select_row(row)  # as a click does, right to left too
            return row
    raise AssertionError(f"{accenumb} is not in the table")


def test_withdraw_through_the_dialog_show_withdrawn_and_reinstate(
        qtbot: QtBot, window: MainWindow, collection: db.Database) -> None:
    assert window.model is not None
    _select(window, "DEMO-0000003")
    assert window.withdraw_action.isEnabled() and not window.reinstate_action.isEnabled()
    dialog = window.withdraw_selected()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Withdraw KAZ001:DEMO-0000003"
    assert not dialog.other.isEnabled()  # "Lost" names no other accession
    dialog.reason.setCurrentIndex(dialog.reason.findData("duplicate"))
    assert dialog.other.isEnabled() and dialog.other.text() == "KAZ001:"
    # the day its lot was last used (the demo's today): a withdrawal is not dated before
    dialog.on.setDate(QDate.currentDate())
    assert not done(qtbot, dialog.save())  # no other accession named: refused, kept open
    assert dialog.isVisible() and dialog.error.text() == (
        "A withdrawal as duplicate names the other accession concerned, as "
        "INSTCODE:ACCENUMB. Nothing was saved.")
    dialog.other.setText("KAZ001:DEMO-0000004")
    dialog.note.setPlainText("same seed sample, received twice")
    assert done(qtbot, dialog.save())
    qtbot.waitUntil(lambda: not dialog.isVisible())
    settled(qtbot)
    qtbot.waitUntil(lambda: window.count_label.text() == "449 accessions")
    assert window.model.rowCount() == 449
    with collection.session_factory() as session:
        state = withdrawals.withdrawal_state(session, 3)
    assert (state.withdrawn_on, state.reason, state.other_key, state.note) == (
        dt.date.today(), "duplicate", "KAZ001:DEMO-0000004",
        "same seed sample, received twice")

    window.filter_bar.show_withdrawn.setChecked(True)
    qtbot.waitUntil(lambda: window.model.is_complete and window.model.rowCount() == 450)
    # the count is of the same kind as what is shown, never "450 of 449"
    qtbot.waitUntil(lambda: window.count_label.text() == "450 accessions, withdrawn ones "
                                                         "included")
    window.filter_bar.search.setText("DEMO-000000")
    qtbot.waitUntil(lambda: window.count_label.text() == "9 of 450 accessions match")
    window.filter_bar.search.setText("")
    qtbot.waitUntil(lambda: window.count_label.text() == "450 accessions, withdrawn ones "
                                                         "included")
    row = _select(window, "DEMO-0000003")
    index = window.model.index(row, 0)
    assert window.model.data(index) == "DEMO-0000003 (withdrawn: duplicate)"
    assert window.model.data(index, Qt.ItemDataRole.ToolTipRole) == (
        f"KAZ001 DEMO-0000003: withdrawn on {dt.date.today()} (duplicate)")
    grey = window.model.data(index, Qt.ItemDataRole.ForegroundRole)
    assert grey.color() == window.palette().color(QPalette.ColorGroup.Disabled,
                                                  QPalette.ColorRole.Text)
    assert window.model.data(window.model.index(row + 1, 0),
                             Qt.ItemDataRole.ForegroundRole) is None
    assert window.reinstate_action.isEnabled() and not window.withdraw_action.isEnabled()
    editor = window.edit_selected()  # the accession's form says it is withdrawn, and why
    assert editor is not None
    qtbot.addWidget(editor)
    assert editor.withdrawn_label.isVisibleTo(editor)
    assert editor.withdrawn_label.text() == (
        f"Withdrawn from the collection on {dt.date.today()} (duplicate: "
        "KAZ001:DEMO-0000004); "
        "its lots take nothing dated after that but a recount, a move or a discard. "
        "Accession > Reinstate accession puts it back\nsame seed sample, received twice")
    from tests.ui import shots

    shots.shot(editor, "withdrawn-accession-form", under="withdrawal")
    editor.done(0)
    assert done(qtbot, window.reinstate_selected(confirm=False))
    settled(qtbot)
    window.filter_bar.show_withdrawn.setChecked(False)
    qtbot.waitUntil(lambda: window.count_label.text() == "450 accessions")
    with collection.session_factory() as session:
        assert not withdrawals.withdrawal_state(session, 3).withdrawn


    # The README's picture: a few withdrawn accessions shown greyed with their reasons.
    with collection.session_factory.begin() as session:
        for accession_id, reason, other in ((3, "duplicate", 4), (7, "dead", None),
                                            (10, "transferred", None)):
            withdrawals.withdraw_accession(session, accession_id, on=dt.date.today(),
                                           reason=reason, other=other)
    window.refresh()
    window.filter_bar.show_withdrawn.setChecked(True)
    qtbot.waitUntil(lambda: window.model.is_complete and window.model.rowCount() == 450)
    window.resize(1200, 560)
    window.table.horizontalHeader().resizeSection(0, 280)
    _select(window, "DEMO-0000005")
    window.statusBar().clearMessage()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(SCREENSHOTS / "withdrawn-accession.png"))


def test_withdraw_reinstate_and_delete_are_greyed_by_rights(
        window: MainWindow, collection: db.Database) -> None:
    """A viewer may do neither (the tooltip says why); a curator withdraws but may not
    delete, which is the administrator's."""
    _select(window, "DEMO-0000005")
    try:
        attach(collection.session_factory, Actor(None, "Пётр", frozenset({Role.VIEWER})))
        window._apply_rights()
        assert not window.withdraw_action.isEnabled()
        assert "Пётр may not change passport data" in window.withdraw_action.toolTip()
        attach(collection.session_factory, Actor(None, "Айгерим",
                                                 frozenset({Role.CURATOR})))
        window._apply_rights()
        assert window.withdraw_action.isEnabled() and not window.delete_action.isEnabled()
        assert "may not delete records" in window.delete_action.toolTip()
    finally:
        detach(collection.session_factory)


def test_a_refusal_goes_once_its_field_is_corrected_and_the_next_row_is_highlighted(
        qtbot: QtBot, window: MainWindow, collection: db.Database) -> None:
    """QA finding 7 (seen in Arabic, right to left): a refusal naming the other accession
    stays while the note is typed and goes once the other accession is changed; one naming
    the date goes once the date is changed; after the withdrawal the accession that took
    the withdrawn one's place is highlighted, as after a delete, and Open acts on it."""
    from PySide6.QtWidgets import QApplication

    from genebank.models import Accession
    from tests.ui import shots

    with collection.session_factory.begin() as session:
        session.get(Accession, 3).acqdate = "199011--"
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # as in Arabic
    try:
        row = _select(window, "DEMO-0000003")
        dialog = window.withdraw_selected()
        assert dialog is not None
        qtbot.addWidget(dialog)
        assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
        dialog.reason.setCurrentIndex(dialog.reason.findData("duplicate"))
        dialog.other.setText("KAZ001:DEMO-0000003")
        assert not done(qtbot, dialog.save())
        assert dialog.error.isVisibleTo(dialog)
        assert "cannot be duplicate of itself" in dialog.error.text()
        dialog.other.setText("KAZ001:DEMO-0000004")
        dialog.note.setPlainText("عينة البذور نفسها، وردت مرتين")
        shots.shot(dialog, "ar-withdraw-corrected-other", under="withdrawal")
        assert not dialog.error.isVisibleTo(dialog)  # the other accession was corrected
        dialog.on.setDate(QDate(1990, 10, 31))
        assert not done(qtbot, dialog.save())
        assert "is before KAZ001:DEMO-0000003 was acquired (1990-11)" in dialog.error.text()
        dialog.note.setPlainText("عينة البذور نفسها")  # not the field the refusal names
        dialog.other.setText("KAZ001:DEMO-0000005")
        assert dialog.error.isVisibleTo(dialog)
        shots.shot(dialog, "ar-withdraw-date-refused", under="withdrawal")
        dialog.on.setDate(QDate.currentDate())
        assert not dialog.error.isVisibleTo(dialog)
        assert done(qtbot, dialog.save())
        qtbot.waitUntil(lambda: not dialog.isVisible())
        settled(qtbot)
        qtbot.waitUntil(lambda: window.count_label.text() == "449 accessions")
        qtbot.waitUntil(lambda: window.selected_accession_id() is not None)
        assert window.table.currentIndex().row() == row
        assert window.model.row_at(row).accenumb == "DEMO-0000004"
        assert window.edit_action.isEnabled() and window.duplicate_action.isEnabled()
        shots.shot(window, "ar-after-withdraw-next-row", under="withdrawal")
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    with collection.session_factory() as session:
        state = withdrawals.withdrawal_state(session, 3)
    assert (state.withdrawn_on, state.other_key, state.note) == (
        dt.date.today(), "KAZ001:DEMO-0000005", "عينة البذور نفسها")


def test_a_withdrawn_accessions_lot_refuses_a_distribution_in_its_dialog(
        qtbot: QtBot, collection: db.Database) -> None:
    """QA finding 20: seeds handed out of a lot whose accession was withdrawn yesterday are
    refused in the Quantity dialog, in words saying why and what still can be done; the
    typing stays and the lot keeps its seeds."""
    from genebank.conservation import conservation_view
    from genebank.models import SeedLot
    from tests.ui import shots
    from ui.dialogs.lot_dialogs import QuantityDialog

    yesterday = dt.date.today() - dt.timedelta(days=1)
    with collection.session_factory() as session:
        lots = session.execute(select(SeedLot.id, SeedLot.accession_id, SeedLot.seeds_on_hand)
                               .where(SeedLot.status == "active", SeedLot.seeds_on_hand > 100)
                               .order_by(SeedLot.id)).all()
    for row in lots:  # the first accession whose lots were last used before today
        lot_id, accession_id, seeds = row
        with collection.session_factory() as session:
            try:
                withdrawals.withdraw_accession(session, accession_id, on=yesterday,
                                               reason="lost")
            except Refused:
                continue
            session.commit()
            accession = session.get(Accession, accession_id)
            key = f"{accession.instcode}:{accession.accenumb}"
            break
    else:
        raise AssertionError("no demo accession whose lots were last used before today")
    with collection.session_factory() as session:
        [summary] = [s for s in conservation_view.accession_lots(
            session, accession_id, today=dt.date.today()) if s.id == lot_id]
    dialog = QuantityDialog(collection.session_factory, summary)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.seeds.setValue(10)
    dialog.reason.setText("SMTA 99")
    assert not done(qtbot, dialog.save())
    assert dialog.isVisible() and dialog.error.text().startswith(
        f"{key} was withdrawn on {yesterday} (lost): nothing dated after that "
        f"({dt.date.today()}) can be taken from or recorded on its lot {summary.lot_number}, "
        "but a recount, a move or a discard")
    assert dialog.reason.text() == "SMTA 99"
    shots.shot(dialog, "withdrawn-lot-distribution-refused", under="withdrawal")
    with collection.session_factory() as session:
        assert session.get(SeedLot, lot_id).seeds_on_hand == seeds

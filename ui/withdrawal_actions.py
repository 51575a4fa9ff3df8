"""Accession > Withdraw… and Reinstate: the highlighted accession out of the collection (with a
date and a reason, :mod:`ui.dialogs.withdraw_dialog`) and back in. A mixin of
:class:`ui.main_window.MainWindow`, before :class:`ui.people_actions.PeopleActions`: its
:meth:`_apply_rights` greys both by the person's rights (Right.CHANGE_PASSPORT, the reason
in the tooltip) and by the highlighted accession (only one in the collection can be
withdrawn, only a withdrawn one reinstated)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from genebank.passport import withdrawals
from genebank.users.roles import Right
from ui import operations
from ui.operations import Changed

if TYPE_CHECKING:
    from ui.dialogs.withdraw_dialog import WithdrawDialog


class WithdrawalActions:
    """The window provides ``database``, ``model``, ``table``, ``rights``, ``_action``,
    ``selected_accession_id``, ``_select_row_after_load``, ``statusBar`` and ``tr``. It
    comes before PeopleActions among MainWindow's bases: its ``_apply_rights`` extends
    theirs."""

    def _build_withdrawal_actions(self, menu: QMenu, before: QAction) -> None:
        self.withdraw_action = self._action(
            self.tr("&Withdraw accession…"), self.withdraw_selected, None,
            self.tr("The accession leaves the collection (lost, dead, a duplicate...): kept, "
                    "out of counts, worklists and exports"))
        self.reinstate_action = self._action(
            self.tr("&Reinstate accession"), self.reinstate_selected, None,
            self.tr("Put the withdrawn accession back in the collection"))
        menu.insertActions(before, [self.withdraw_action, self.reinstate_action])
        self.rights[self.withdraw_action] = Right.CHANGE_PASSPORT
        self.rights[self.reinstate_action] = Right.CHANGE_PASSPORT

    def _selected_withdrawn(self) -> bool | None:
        """Whether the highlighted accession is withdrawn (None: nothing highlighted)."""
        accession_id = self.selected_accession_id()
        if accession_id is None or self.model is None:
            return None
        row = self.model.row_at(self.table.currentIndex().row())
        return None if row is None else row.withdrawal_reason is not None

    def _apply_rights(self) -> None:
        """The person's rights first (PeopleActions), then the highlighted accession: only
        one in the collection can be withdrawn, only a withdrawn one reinstated."""
        super()._apply_rights()  # type: ignore[misc]
        if not hasattr(self, "withdraw_action"):
            return
        withdrawn = self._selected_withdrawn()
        for action, possible in ((self.withdraw_action, withdrawn is False),
                                 (self.reinstate_action, withdrawn is True)):
            if not possible:
                action.setEnabled(False)

    def withdraw_selected(self) -> WithdrawDialog | None:
        """Ask for the date, reason, other accession and note of the highlighted accession."""
        from ui.dialogs.withdraw_dialog import WithdrawDialog

        accession_id = self.selected_accession_id()
        if accession_id is None:
            return None
        state = operations.read_now(
            self.database, lambda session: withdrawals.withdrawal_state(session, accession_id),
            operation=self.tr("Reading the accession"))
        dialog = WithdrawDialog(self.database.session_factory, accession_id=accession_id,
                                version=state.version, key=state.key, parent=self)
        row = self.table.currentIndex().row()

        def withdrawn() -> None:
            self.statusBar().showMessage(self.tr("Withdrew {0}").format(state.key), 8000)
            # As after a delete: out of the table (unless withdrawn ones are shown), the
            # next accession takes its place and is highlighted.
            self._select_row_after_load = row

        dialog.accepted.connect(withdrawn)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def reinstate_selected(self, *, confirm: bool = True) -> operations.Write[object] | None:
        """Put the highlighted withdrawn accession back, once confirmed."""
        accession_id = self.selected_accession_id()
        if accession_id is None:
            return None
        state = operations.read_now(
            self.database, lambda session: withdrawals.withdrawal_state(session, accession_id),
            operation=self.tr("Reading the accession"))
        if confirm and QMessageBox.question(
                self, self.tr("Reinstate accession"),
                self.tr("Put {0} back in the collection? It was withdrawn on {1}.").format(
                    state.key, state.withdrawn_on.isoformat() if state.withdrawn_on else ""),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes) != QMessageBox.StandardButton.Yes:
            return None
        write = operations.Write(
            self, self.database, lambda session: withdrawals.reinstate_accession(
                session, accession_id, expected_version=state.version),
            operation=self.tr("Reinstating {0}").format(state.key),
            changes=Changed(accessions=True, lots=True), initiator=self)
        write.success(lambda _state: self.statusBar().showMessage(
            self.tr("Reinstated {0}").format(state.key), 8000))
        write.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not reinstated"), text))
        return write.run()  # type: ignore[return-value]

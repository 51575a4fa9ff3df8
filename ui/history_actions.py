"""Tools > Recent changes…: the collection's change history, filtered and exported
(:mod:`ui.dialogs.recent_changes`, imported when first opened: start-up).

Its own module so that the main window only calls :func:`add_history_actions` once its
Tools menu exists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from ui.dialogs.recent_changes import RecentChangesWindow


def add_history_actions(window: Any) -> QAction:
    """Add Recent changes… to ``window``'s Tools menu (``window`` provides ``tools_menu``,
    ``database``, ``settings`` and ``open_accession(accession_id, lot_id)``)."""
    action = QAction(QCoreApplication.translate("HistoryActions", "&Recent changes…"), window)
    action.setObjectName("recent_changes_action")
    tip = QCoreApplication.translate(
        "HistoryActions", "Who changed what, and when: filtered by person, date and type of "
                          "record; export to Excel")
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.triggered.connect(lambda: show_recent_changes(window))
    window.tools_menu.insertAction(window.tools_menu.actions()[0]
                                   if window.tools_menu.actions() else None, action)
    window.recent_changes_action = action
    return action


def show_recent_changes(window: Any) -> RecentChangesWindow | None:
    """Open the Recent changes window over ``window``'s database."""
    from ui import operations
    from ui.dialogs.recent_changes import RecentChangesWindow

    try:
        dialog = RecentChangesWindow(
            window.database.session_factory,
            open_accession=lambda accession_id, lot_id: window.open_accession(
                accession_id, lot_id),
            last_folder=window.settings.last_folder or "", parent=window)
    except Exception as error:  # sign-in required, a busy server: worded as everywhere
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, QCoreApplication.translate(
            "HistoryActions", "Recent changes"), operations.message(error))
        return None
    dialog.setModal(True)
    dialog.show()
    window.recent_changes = dialog
    return dialog

"""The windows and dialogs the main window's menus open besides the accession editor:
Conservation > Needs attention, Storage locations, Rules; Accession > Own institute codes;
Training > Open training programme; File > Import log; Help > About. A mixin of
:class:`ui.main_window.MainWindow`; each window's module is imported when first opened
(start-up, tests/ui/test_start_imports.py). The attention and training windows are kept
(one of each) until the database changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from genebank import __version__

if TYPE_CHECKING:
    from ui.dialogs.import_log import ImportLogDialog
    from ui.dialogs.own_institutes_dialog import OwnInstitutesDialog
    from ui.dialogs.rules_dialog import RulesDialog
    from ui.dialogs.storage_locations import StorageLocationsDialog
    from ui.views.attention_view import AttentionView
    from ui.views.training_window import TrainingWindow


class WindowActions:
    """The window provides ``database``, ``settings``, ``attention``, ``training``,
    ``open_accession``, ``why_not`` (the person's rights, :mod:`ui.people_actions`) and
    ``tr``."""

    def show_attention(self) -> AttentionView:
        from ui.views.attention_view import AttentionView

        if self.attention is None:
            self.attention = AttentionView(self.database.session_factory,
                                           self.settings.last_folder or "", self)
            self.attention.open_accession.connect(
                lambda accession_id, lot_id: self.open_accession(accession_id, lot_id))
            self.attention.open_test.connect(
                lambda accession_id, lot_id, test_id: self.open_accession(
                    accession_id, lot_id, test_id))
        self.attention.show()
        self.attention.raise_()
        self.attention.activateWindow()
        return self.attention

    def show_training(self) -> TrainingWindow:
        from ui.views.training_window import TrainingWindow

        if self.training is None:
            self.training = TrainingWindow(self.database.session_factory,
                                           self.settings.last_folder or "", self,
                                           why_not=self.why_not)
        self.training.show()
        self.training.raise_()
        self.training.activateWindow()
        return self.training

    def show_storage_locations(self) -> StorageLocationsDialog:
        from ui.dialogs.storage_locations import StorageLocationsDialog

        dialog = StorageLocationsDialog(self.database.session_factory, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_own_institutes(self) -> OwnInstitutesDialog:
        from ui.dialogs.own_institutes_dialog import OwnInstitutesDialog

        dialog = OwnInstitutesDialog(self.database.session_factory, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_rules(self) -> RulesDialog:
        from ui.dialogs.rules_dialog import RulesDialog

        dialog = RulesDialog(self.database.session_factory, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_import_log(self) -> ImportLogDialog:
        from ui.dialogs.import_log import ImportLogDialog

        dialog = ImportLogDialog(self.database.session_factory, self)
        dialog.show()
        return dialog

    def about(self) -> None:
        QMessageBox.about(self, self.tr("About Genebank"), self.tr(
            "<b>Genebank {0}</b><p>Records of a national plant gene bank: passport data to "
            "FAO/Bioversity MCPD v2.1.</p><p>Database: {1}</p>").format(
                __version__, self.database.display_name))

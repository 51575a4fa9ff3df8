"""The spreadsheets part of the main window: the MCPD and tests templates, importing
accessions and tests, exporting accessions. A mixin of :class:`ui.main_window.MainWindow`,
kept apart so that the window's own module holds the table, the search and the menus."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from sqlalchemy.orm import Session

from genebank.io import passport_export, passport_template, test_sheet
from genebank.io.files import FileNotWritten
from genebank.passport import accession_query
from genebank.passport.accession_query import AccessionFilter
from genebank.progress import Progress
from ui import messages, operations
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.test_import_wizard import TestImportWizard
from ui.views import shown_numbers


class SpreadsheetActions:
    """File > Excel template, Import accessions, Export accessions; Conservation > Import
    tests, Tests template. The window provides ``database``, ``settings``, ``model``,
    ``_total``, ``selected_accession_id``, ``statusBar`` and ``tr``."""

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the MCPD template"),
            str(Path(self.settings.last_folder or Path.home()) / "mcpd-template.xlsx"),
            "Excel workbook (*.xlsx)")
        if path:
            self._save_template(lambda: passport_template.write_template(Path(path)))

    def import_accessions(self) -> ImportWizard:
        wizard = ImportWizard(self.database.session_factory, self.settings, self)
        wizard.imported.connect(lambda summary: self.statusBar().showMessage(
            self.tr("Imported: {0}").format(summary.line(shown_numbers.count)), 15000))
        wizard.setModal(True)
        wizard.show()
        return wizard

    def export_accessions(self, *, path: Path | None = None, scope: str | None = None) \
            -> operations.Read[int] | None:
        """Export all, the current search/filter, or the selected accession."""
        assert self.model is not None
        choices = {
            self.tr("All {0} accessions").format(shown_numbers.count(self._total)): "all",
            self.tr("The {0} accessions matching the search and filters").format(
                shown_numbers.count(self.model.rowCount())): "filtered",
        }
        if self.selected_accession_id() is not None:
            choices[self.tr("The selected accession")] = "selected"
        if scope is None:
            label, ok = QInputDialog.getItem(self, self.tr("Export accessions"),
                                             self.tr("Export which accessions?"),
                                             list(choices), 1 if self.model.where !=
                                             AccessionFilter() else 0, False)
            if not ok:
                return None
            scope = choices[label]
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export accessions"),
                str(Path(self.settings.last_folder or Path.home()) / "mcpd-export.xlsx"),
                "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)")
            if not chosen:
                return None
            path = Path(chosen)
        where, selected = self.model.where, self.selected_accession_id()

        def work(session: Session, progress: Progress) -> int:
            if scope == "selected":
                ids: Sequence[int] = [selected]  # type: ignore[list-item]
            else:
                ids = accession_query.matching_ids(
                    session, where if scope == "filtered" else AccessionFilter())
            return passport_export.export_passports(session, path, ids, progress=progress)

        read = operations.Read(self, self.database, work,
                               operation=self.tr("Exporting accessions"))
        read.with_progress(self.tr("Exporting…"))
        read.success(lambda count: self.statusBar().showMessage(
            self.tr("Exported {0} accessions to {1}").format(shown_numbers.count(count), path),
            15000))
        read.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Export failed"), text))
        return read.run()  # type: ignore[return-value]

    def import_tests(self) -> TestImportWizard:
        wizard = TestImportWizard(self.database.session_factory, self.settings.last_folder or "",
                                  self)
        wizard.imported.connect(lambda result: (self.statusBar().showMessage(
                                                    self.tr("Imported: {0}").format(
                                                        result.line(shown_numbers.count)), 15000)))
        wizard.setModal(True)
        wizard.show()
        return wizard

    def save_tests_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the tests template"),
            str(Path(self.settings.last_folder or Path.home()) / "tests-template.xlsx"),
            "Excel workbook (*.xlsx)")
        if path:
            self._save_template(lambda: test_sheet.write_template(Path(path)))

    def _save_template(self, write: Callable[[], Path]) -> None:
        try:
            written = write()
        except FileNotWritten as error:  # full disk, read-only folder: nothing was written
            QMessageBox.warning(self, self.tr("Template not saved"), messages.say(error))
            return
        self.statusBar().showMessage(self.tr("Template saved: {0}").format(written), 10000)

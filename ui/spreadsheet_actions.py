"""The spreadsheets part of the main window: the MCPD and tests templates, importing
accessions and tests, exporting accessions. A mixin of :class:`ui.main_window.MainWindow`,
kept apart so that the window's own module holds the table, the search and the menus."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
)
from sqlalchemy.orm import Session

from genebank.io import headings, test_sheet
from genebank.io.files import FileNotWritten
from genebank.passport import accession_query, mcpd_export
from genebank.passport.accession_query import AccessionFilter
from genebank.progress import Progress
from ui import file_dialogs, messages, operations
from ui.views import shown_numbers

if TYPE_CHECKING:  # the wizard and the writers are imported when used: start-up
    from ui.dialogs.import_wizard import ImportWizard


class SpreadsheetActions:
    """File > Excel template, Import accessions, Export accessions; Conservation > Import
    tests, Tests template. The window provides ``database``, ``settings``, ``model``,
    ``_total``, ``selected_accession_id``, ``statusBar`` and ``tr``."""

    def save_template(self) -> None:
        path, _ = file_dialogs.get_save_file_name(
            self, self.tr("Save the MCPD template"),
            str(Path(self.settings.last_folder or Path.home()) / "mcpd-template.xlsx"),
            "Excel workbook (*.xlsx)")
        if path:
            from genebank.io import passport_template  # openpyxl, when used (start-up)

            self._save_template(lambda: passport_template.write_template(Path(path)))

    def import_accessions(self) -> ImportWizard:
        from ui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.database.session_factory, self.settings, parent=self)
        wizard.imported.connect(lambda summary: self.statusBar().showMessage(
            self.tr("Imported: {0}").format(summary.line(shown_numbers.count)), 15000))
        wizard.setModal(True)
        wizard.show()
        return wizard

    def export_accessions(self, *, path: Path | None = None, scope: str | None = None,
                          safe_csv: bool = False) -> operations.Read[int] | None:
        """Export all, the current search/filter, or the selected accession. A CSV file is
        exact (for Genesys or EURISCO) unless ``safe_csv`` (to open in a spreadsheet)."""
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
            dialog = self.export_file_dialog()
            if not dialog.exec() or not dialog.selectedFiles():
                return None
            chosen_filter = dialog.selectedNameFilter()
            path = with_suffix_of(Path(dialog.selectedFiles()[0]), chosen_filter)
            safe_csv = chosen_filter == dialog.property("safe_csv_filter")
        where, selected = self.model.where, self.selected_accession_id()

        def work(session: Session, progress: Progress) -> int:
            if scope == "selected":
                ids: Sequence[int] = [selected]  # type: ignore[list-item]
            else:
                ids = accession_query.matching_ids(
                    session, where if scope == "filtered" else AccessionFilter())
            return mcpd_export.export_passports(session, path, ids, progress=progress,
                                                safe_csv=safe_csv)

        read = operations.Read(self, self.database, work,
                               operation=self.tr("Exporting accessions"))
        read.with_progress(self.tr("Exporting…"))
        read.success(lambda count: self.statusBar().showMessage(
            self.tr("Exported {0} accessions to {1}").format(shown_numbers.count(count), path),
            15000))
        read.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Export failed"), text))
        return read.run()  # type: ignore[return-value]

    def export_file_dialog(self) -> QFileDialog:
        """The Save dialog of an export: an Excel workbook, or one of two CSV files, with a
        line saying which CSV is for what (Qt's own dialog: a native one takes no line)."""
        dialog = file_dialogs.file_dialog(self, self.tr("Export accessions"),
                                          str(Path(self.settings.last_folder or Path.home())
                                              / "mcpd-export.xlsx"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        safe = self.tr("CSV to open in a spreadsheet, formulas neutralised (*.csv)")
        dialog.setNameFilters([self.tr("Excel workbook (*.xlsx)"),
                               self.tr("CSV for Genesys/EURISCO, exact (*.csv)"), safe])
        dialog.setProperty("safe_csv_filter", safe)
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # the name typed in Qt's dialog

        def follow_filter(chosen: str) -> None:  # the format follows the choice, visibly
            if name is not None and name.text():
                name.setText(with_suffix_of(Path(name.text()), chosen).name)

        dialog.filterSelected.connect(follow_filter)
        line = QLabel(self.tr(
            "Send Genesys or EURISCO the exact CSV (or the workbook). Choose the spreadsheet "
            "CSV only to open it in Excel or LibreOffice: it puts an apostrophe before text "
            "that a spreadsheet would run as a formula."))
        line.setWordWrap(True)
        layout = dialog.layout()
        if isinstance(layout, QGridLayout):
            layout.addWidget(line, layout.rowCount(), 0, 1, layout.columnCount())
        return dialog

    def import_tests(self) -> ImportWizard:
        from ui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.database.session_factory, self.settings,
                              (headings.GERMINATION, headings.MOISTURE), parent=self)
        wizard.imported.connect(lambda result: (self.statusBar().showMessage(
                                                    self.tr("Imported: {0}").format(
                                                        result.line(shown_numbers.count)), 15000)))
        wizard.setModal(True)
        wizard.show()
        return wizard

    def save_tests_template(self) -> None:
        path, _ = file_dialogs.get_save_file_name(
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


def with_suffix_of(path: Path, name_filter: str) -> Path:
    """``path`` ending as the chosen filter says (.csv or .xlsx): the filter chosen decides
    the format, whatever the name typed ends with."""
    wanted = ".csv" if name_filter.endswith("(*.csv)") else ".xlsx"
    return path if path.suffix.lower() == wanted else path.with_suffix(wanted)

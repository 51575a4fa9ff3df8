"""The import wizard's first page: the file, its sheet, a text file's encoding, which kind
of import when the wizard offers several (tests: germination or moisture, guessed from the
sheet's name), the kind's own buttons (the tests' template), and whether the first rows are
read first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWizardPage,
)

from genebank import imports
from genebank.io import headings, sheet_choice, spreadsheet
from ui import file_dialogs, messages
from ui.dialogs.import_kind_views import ERROR_STYLE, KIND_LABELS
from ui.dialogs.text_encoding import TextEncodingBox, file_filter
from ui.tasks import Task

if TYPE_CHECKING:
    from ui.dialogs.import_wizard import ImportWizard


def preselect_best_sheet(page: QWizardPage, combo: QComboBox, path: Path,
                         names: Sequence[str], kinds: Sequence[str]) -> Task | None:
    """Read the first rows of each of the sheets ``names`` off the GUI thread and select
    in ``combo`` the one that suits an import of ``kinds`` best (the required headings,
    then the most headings matched), unless the person chose another file or sheet
    meanwhile or went on. A sheet that cannot be read is left to the reading to say."""
    if len(names) < 2 or not kinds:
        return None
    items = [combo.itemText(i) for i in range(combo.count())]
    before = combo.currentIndex()

    def chosen(fits: list[sheet_choice.SheetFit]) -> None:
        best = sheet_choice.best(fits)
        if best is None or not best.matched or not shiboken6.isValid(combo) \
                or [combo.itemText(i) for i in range(combo.count())] != items \
                or combo.currentIndex() != before or page.wizard().currentPage() is not page:
            return
        index = max(combo.findData(best.name), combo.findText(best.name))
        if index >= 0:
            combo.setCurrentIndex(index)

    task = Task(lambda _progress: sheet_choice.sheet_fits(path, kinds, names=names))
    task.succeeded.connect(chosen)
    return task.start()


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(wizard.view.file_subtitle())
        self.form = layout = QFormLayout(self)
        self.file_row = row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path")
        self.path_edit.setPlaceholderText(self.tr("The file to import"))
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        label = QLabel(self.tr("&File:"), self)
        label.setBuddy(self.path_edit)  # a row of widgets gets no buddy by itself: Alt+F
        layout.addRow(label, row)
        wizard.view.add_file_actions(self)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("sheet")
        layout.addRow(self.tr("&Sheet:"), self.sheet_combo)
        self.encoding_box = TextEncodingBox(self)
        self.encoding_box.changed.connect(self.completeChanged)
        layout.addRow(self.encoding_box)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kind")
        for kind in wizard.kinds:
            self.kind_combo.addItem(QCoreApplication.translate(
                "ImportKindViews", KIND_LABELS.get(kind, imports.kind(kind).label)), kind)
        if len(wizard.kinds) > 1:
            layout.addRow(self.tr("&Holds:"), self.kind_combo)
        else:
            self.kind_combo.hide()
        self.first_rows = QCheckBox(self.tr(
            "Show the columns and the first rows at once, and read the rest of a large sheet "
            "meanwhile"), self)
        self.first_rows.setObjectName("first_rows")
        self.first_rows.setChecked(True)
        layout.addRow(self.first_rows)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addRow(self.message)
        self.preselecting: Task | None = None
        self.path_edit.editingFinished.connect(self.load_sheets)
        self.sheet_combo.currentIndexChanged.connect(self.completeChanged)
        self.sheet_combo.currentTextChanged.connect(self._guess_kind)

    def say(self, text: str, *, error: bool = True) -> None:
        """Tell something on the page: an error (Next waits) or a plain note."""
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
        self.completeChanged.emit()

    def browse(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, self.wizard_.windowTitle(),
                                                  self.wizard_.last_folder, file_filter())
        if path:
            self.path_edit.setText(path)
            self.load_sheets()

    def load_sheets(self) -> None:
        self.sheet_combo.clear()
        self.say("")
        text = self.path_edit.text().strip()
        if not text:
            return
        path = Path(text)
        self.encoding_box.clear()
        try:
            if spreadsheet.is_text_file(path):
                self.encoding_box.show_for(path)  # its encoding, or a choice of them
                sheets = [spreadsheet.SheetInfo(path.stem, True)]
            else:
                sheets = spreadsheet.list_sheets(path)
        except (spreadsheet.UnreadableFile, OSError) as error:
            self.say(messages.say(error))
        else:
            for sheet in sheets:
                label = sheet.name if sheet.visible else self.tr("{0} (hidden)").format(sheet.name)
                self.sheet_combo.addItem(label, sheet.name)
            first_visible = next((i for i, s in enumerate(sheets) if s.visible), 0)
            self.sheet_combo.setCurrentIndex(first_visible)
            self.wizard_.last_folder = str(path.parent)
            if not spreadsheet.is_text_file(path):  # of several sheets, the one that suits
                self.preselecting = preselect_best_sheet(
                    self, self.sheet_combo, path, [s.name for s in sheets if s.visible],
                    self.wizard_.kinds)
        self.completeChanged.emit()

    def _guess_kind(self, name: str) -> None:
        """Tests: a sheet named "Moisture…" holds moisture tests, "Germination…" or
        "Viability…" germination tests (the person can choose otherwise)."""
        lowered = name.lower()
        for words, kind in ((("moist", "humid", "влажн"), headings.MOISTURE),
                            (("germ", "viab", "всхож"), headings.GERMINATION)):
            index = self.kind_combo.findData(kind)
            if index >= 0 and any(word in lowered for word in words):
                self.kind_combo.setCurrentIndex(index)
                return

    def isComplete(self) -> bool:
        error = bool(self.message.text()) and self.message.styleSheet() == ERROR_STYLE
        return self.sheet_combo.count() > 0 and not error and self.encoding_box.ready()

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip())
        sheet = self.sheet_combo.currentData()
        encoding = self.encoding_box.encoding
        kind = self.kind_combo.currentData()
        first_rows = self.first_rows.isChecked()
        wizard = self.wizard_
        if (path, sheet, encoding, kind, first_rows) != (
                wizard.path, wizard.sheet_name, wizard.encoding, wizard.kind,
                wizard.first_rows):
            wizard.forget_file()  # read again, and check again
            wizard.path, wizard.sheet_name, wizard.encoding = path, sheet, encoding
            wizard.kind, wizard.first_rows = kind, first_rows
            wizard.setWindowTitle(wizard.view.title())
        return True

"""The saved mappings row of every import wizard's column page: apply a mapping saved in
the database (so every workstation has it), save the current matching by name, export
this kind's mappings to a JSON file or import such a file.

The page gives its kind of import, its current choices ({heading: field or None}) and a
way to apply choices; the database is read through :func:`ui.operations.read_now` (a short
list) and written through :class:`ui.operations.Write`, like every form.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.services import import_mappings
from genebank.services.import_mappings import ImportedMappings, SavedMapping
from ui import file_dialogs, messages, operations
from ui.operations import Changed
from ui.views import shown_numbers, shown_values

ERROR_STYLE = "color: #b00020;"
JSON_FILTER = "Saved mappings (*.json);;All files (*)"

Choices = dict[str, str | None]


class SavedMappingsBar(QWidget):
    """Saved mappings: choose one to apply it; Save, Export and Import buttons."""

    def __init__(self, parent: QWidget, session_factory: sessionmaker[Session], *,
                 kind: Callable[[], str], current: Callable[[], Choices],
                 apply: Callable[[Choices], str | None], folder: Callable[[], str],
                 dates: Callable[[], str | None] | None = None,
                 set_dates: Callable[[str], None] | None = None) -> None:
        """``apply(choices)`` sets the page's columns and returns what to tell (headings
        the sheet lacks) or None; ``folder`` is where the file dialogs start. ``dates``
        gives the date order chosen on the page (saved with the mapping) and
        ``set_dates`` chooses a saved mapping's own (a mapping for French sheets keeps
        day first)."""
        super().__init__(parent)
        self.session_factory = session_factory
        self.kind, self.current, self.apply, self.folder = kind, current, apply, folder
        self.dates, self.set_dates = dates, set_dates
        self.saved: list[SavedMapping] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.combo = QComboBox(self)
        self.combo.setObjectName("saved_mappings")
        self.combo.activated.connect(self._chosen)
        label = QLabel(self.tr("Saved &mappings:"), self)
        label.setBuddy(self.combo)
        self.save_button = QPushButton(self.tr("&Save this mapping…"), self)
        self.save_button.clicked.connect(self.save)
        self.export_button = QPushButton(self.tr("E&xport mappings…"), self)
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(self.tr("Im&port mappings…"), self)
        self.import_button.clicked.connect(self.import_file)
        row.addWidget(label)
        row.addWidget(self.combo, 1)
        for button in (self.save_button, self.export_button, self.import_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setObjectName("saved_mappings_status")
        self.status.setWordWrap(True)
        shown_values.follow_layout(self.status)
        layout.addWidget(self.status)

    def take_status(self) -> QLabel:
        """The status line, for a page that places it itself (below its own rows, so the
        line appearing pushes none of them down)."""
        self.layout().removeWidget(self.status)
        return self.status

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    def refresh(self, select: str | None = None) -> None:
        """Read this kind's saved mappings (a short list) into the choice."""
        kind = self.kind()
        try:
            self.saved = operations.read_now(
                self.session_factory,
                lambda session: import_mappings.list_mappings(session, kind=kind),
                operation=self.tr("Reading the saved mappings"))
        except Exception as error:  # the import goes on without them; the reason is shown
            self.saved = []
            self._say(operations.message(error, database=self.session_factory), error=True)
        self.combo.clear()
        self.combo.addItem(self.tr("(choose one to apply)"), None)
        for mapping in self.saved:
            self.combo.addItem(mapping.name, mapping.id)
        if select is not None:
            self.combo.setCurrentIndex(max(0, self.combo.findText(select)))

    def _chosen(self) -> None:
        chosen = next((m for m in self.saved if m.id == self.combo.currentData()), None)
        if chosen is None:
            return
        try:
            note = self.apply(dict(chosen.columns))
        except Exception as error:  # a heading the sheet holds twice: the columns stay
            self._say(messages.say(error), error=True)
            return
        if chosen.dates is not None and self.set_dates is not None:
            self.set_dates(chosen.dates)  # none saved: the page's choice stays
        self._say(note or self.tr("Applied '{0}'.").format(chosen.name))

    def save(self) -> None:
        columns = self.current()
        dates = self.dates() if self.dates is not None else None
        names = [m.name for m in self.saved]
        name, ok = QInputDialog.getItem(
            self, self.tr("Save mapping"),
            self.tr("Name for this column mapping (every workstation will have it):"),
            names, max(0, self.combo.currentIndex() - 1), True)
        name = name.strip()
        if not ok or not name:
            return
        if name.casefold() in {n.casefold() for n in names} and QMessageBox.question(
                self, self.tr("Save mapping"),
                self.tr("Replace the saved mapping '{0}'?").format(name)) \
                != QMessageBox.StandardButton.Yes:
            return
        kind = self.kind()
        write = operations.Write(
            self, self.session_factory,
            lambda session: import_mappings.save_mapping(session, kind=kind, name=name,
                                                         columns=columns, dates=dates),
            operation=self.tr("Saving the mapping"), changes=Changed(), initiator=self)
        write.busy(self.save_button)
        write.success(lambda saved: (self.refresh(select=saved.name),
                                     self._say(self.tr("Saved '{0}'.").format(saved.name))))
        write.failure(lambda text, _error: self._say(text, error=True))
        write.run()

    def export(self) -> None:
        kind = self.kind()
        chosen, _ = file_dialogs.get_save_file_name(
            self, self.tr("Export mappings"),
            str(Path(self.folder() or Path.home()) / f"{kind}-mappings.json"), JSON_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        read = operations.Read(
            self, self.session_factory,
            lambda session: import_mappings.export_mappings(session, path, kind=kind),
            operation=self.tr("Exporting the mappings"))
        read.busy(self.export_button)
        read.success(lambda count: self._say(self.tr("Exported {0} mappings to {1}.").format(
            shown_numbers.count(count), path.name)))
        read.failure(lambda text, _error: self._say(text, error=True))
        read.run()

    def import_file(self) -> None:
        chosen, _ = file_dialogs.get_open_file_name(self, self.tr("Import mappings"),
                                                    self.folder() or str(Path.home()), JSON_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        write = operations.Write(
            self, self.session_factory,
            lambda session: import_mappings.import_mappings(session, path),
            operation=self.tr("Importing the mappings"), changes=Changed(), initiator=self)
        write.busy(self.import_button)
        write.success(self._imported)
        write.failure(lambda text, _error: self._say(text, error=True))
        write.run()

    def _imported(self, result: ImportedMappings) -> None:
        self.refresh()
        self._say(self.tr("Imported the mappings: {0} added, {1} replaced.").format(
            shown_numbers.count(len(result.added)), shown_numbers.count(len(result.replaced))))

"""Conservation > Rules…: the numbers behind the flags, for the gene bank and per crop.

Each cell shows the number set at that level, or in grey the one inherited (from the gene
bank's row, or from the FAO Genebank Standards). Type a number to set it, clear a cell to
inherit again. Saving re-judges the lots concerned in the background (through
:mod:`ui.operations`: progress with Cancel, one transaction, announced to the open windows)
and keeps the window open. Close, Escape or the close button after numbers were typed ask
"Save them?" as every form does (:class:`~ui.dialogs.unsaved_changes.UnsavedChanges`); Save
there saves and closes once saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.conservation import crop_rules
from genebank.numbers import NumberRefused
from genebank.progress import Progress
from ui import messages, operations
from ui.dialogs.unsaved_changes import UnsavedChanges
from ui.operations import Changed
from ui.views.number_box import format_number, read_typed

INHERITED = QColor("gray")


class CellRefused(ValueError):
    """A cell that holds no number the rule can take; ``text`` says which and why, worded
    by the GUI (the crop, the column and the core's refusal through ``messages.say``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class RulesDialog(UnsavedChanges, QDialog):
    def __init__(self, session_factory: sessionmaker[Session],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.operation: operations.Write[int] | None = None  # the save running, if any
        self.read_only_reason: str | None = None  # the menu entry is greyed for who may not
        self.setWindowTitle(self.tr("Conservation rules"))
        self.resize(860, 520)
        layout = QVBoxLayout(self)
        note = QLabel(self.tr(
            "Grey numbers are inherited: a crop from the gene bank's row, the gene bank from "
            "the FAO Genebank Standards. Type a number to set it; clear it to inherit again."),
            self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.titles = (self.tr("Base collection:\ntest every (years)"),
                       self.tr("Active collection:\ntest every (years)"),
                       self.tr("Minimum\nseeds"), self.tr("Moisture\nfrom %"),
                       self.tr("Moisture\nto %"))
        self.table = QTableWidget(0, len(crop_rules.NUMBERS), self)
        self.table.setHorizontalHeaderLabels(list(self.titles))
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.buttons = buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Close, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rows: list[crop_rules.RuleRow] = []
        self.shown: dict[tuple[int, int], str] = {}
        self.reload()

    def reload(self) -> None:
        self.rows = operations.read_now(self.session_factory, crop_rules.rules_table,
                                        operation=self.tr("Reading the conservation rules"))
        self.table.setRowCount(len(self.rows))
        self.table.setVerticalHeaderLabels([
            self.tr("All crops (this gene bank)") if r.genus == crop_rules.ALL_CROPS
            else r.genus for r in self.rows])
        self.shown = {}
        for row, rule in enumerate(self.rows):
            for column, name in enumerate(crop_rules.NUMBERS):
                value = rule.set[name]
                text = _text(value if value is not None else rule.applies[name], name)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if value is None:
                    item.setForeground(QBrush(INHERITED))
                self.table.setItem(row, column, item)
                self.shown[row, column] = text
        self.table.resizeColumnsToContents()

    @property
    def is_modified(self) -> bool:
        """Whether a cell shows another number than when read (the cell being typed in
        counts: its typing is taken into the cell first)."""
        self._take_open_edit()
        return any(self.table.item(row, column).text().strip() != before.strip()
                   for (row, column), before in self.shown.items())

    def _take_open_edit(self) -> None:
        """The number being typed in a cell, into the cell, as leaving the cell would."""
        if self.table.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.table.indexWidget(self.table.currentIndex())
        if editor is not None:
            self.table.commitData(editor)

    def save_and_close(self) -> Any:
        """The question's Save: save, then close once saved (a refusal keeps the window)."""
        operation = self.save()
        if operation is not None:
            operation.done.connect(lambda ok: self.accept() if ok else None)
        return operation

    def changes(self) -> dict[str, dict[str, int | float | None]]:
        """Genus -> the numbers the user changed; :class:`CellRefused` names a cell that is
        not one."""
        changed: dict[str, dict[str, int | float | None]] = {}
        for (row, column), before in self.shown.items():
            text = self.table.item(row, column).text().strip()
            if text == before:
                continue
            name = crop_rules.NUMBERS[column]
            genus = self.rows[row].genus
            try:
                value = read_typed(text, whole=_whole(name), minimum=0,
                                   maximum=100 if name.endswith("_pct") else None)
            except NumberRefused as error:
                crop = self.table.verticalHeaderItem(row).text()
                raise CellRefused(self.tr("{0}, {1}: {2}").format(
                    crop, self.titles[column].replace("\n", " "), messages.say(error))) from None
            changed.setdefault(genus, dict(self.rows[row].set))[name] = value
        return changed

    def save(self) -> operations.Write[int] | None:
        """Save the numbers changed; the lots concerned are re-judged in the same
        transaction, with progress and Cancel. None if nothing was started."""
        if self.operation is not None:
            return self.operation  # Save pressed again while saving
        self._take_open_edit()
        try:
            changes = self.changes()
        except CellRefused as refused:
            QMessageBox.warning(self, self.tr("Not saved"), refused.text)
            return None
        if not changes:
            return None
        ordered = sorted(changes.items(), key=lambda item: item[0] != crop_rules.ALL_CROPS)

        def work(session: Session, progress: Progress) -> int:
            return sum(crop_rules.set_rule(session, genus, progress=progress, **numbers)
                       for genus, numbers in ordered)

        operation = operations.Write(self, self.session_factory, work,
                                     operation=self.tr("Saving the conservation rules"),
                                     changes=Changed(rules=True, lots=True), initiator=self)
        operation.with_progress(self.tr("Re-judging the seed lots…")).busy(self.buttons)
        operation.success(lambda _count: self.reload())
        operation.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Not saved"), self.tr("{0}. Nothing was saved.").format(
                text.rstrip(".")) if "nothing was" not in text.lower() else text))
        self.operation = operation
        operation.done.connect(self._ended)
        return operation.run()  # type: ignore[return-value]

    def _ended(self, _ok: bool) -> None:
        self.operation = None


def _whole(name: str) -> bool:
    """Intervals in years and seed counts are whole numbers; moisture limits are not."""
    return name.endswith(("years", "seeds"))


def _text(value: int | float | None, name: str) -> str:
    """A rule's number in the system's regional format."""
    return "" if value is None else format_number(value, whole=_whole(name))

"""File > Import log > Undo this import…: what the undo will do (accessions removed, values
put back, accessions left and why), then one button that does it, in one transaction."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from genebank.io.history_export import shown
from genebank.passport import import_undo
from genebank.passport.import_undo import UndoPreview, UndoResult
from ui import operations
from ui.views import shown_numbers
from ui.views.history_words import local_time
from ui.views.shown_values import isolated

SHOWN = 500  # accessions listed per section; the rest counted


class UndoImportDialog(QDialog):
    """The preview of undoing one import, read when opened; "Undo import" runs the undo
    (which makes the same plan again in its transaction) through ``ui/operations.py``."""

    undone = Signal(object)  # the UndoResult

    def __init__(self, session_factory: sessionmaker[Session], import_log_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.import_log_id = import_log_id
        self.write: operations.Operation[UndoResult] | None = None
        self.setWindowTitle(self.tr("Undo import {0}").format(import_log_id))
        self.resize(760, 540)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Accession"), self.tr("What happens")])
        self.tree.setColumnWidth(0, 260)
        layout.addWidget(self.tree, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.confirm: QPushButton = self.buttons.addButton(
            self.tr("Undo import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(False)
        self.confirm.setAutoDefault(False)  # Enter never undoes: the button is pressed
        self.buttons.rejected.connect(self.reject)
        self.confirm.clicked.connect(self.run_undo)
        layout.addWidget(self.buttons)
        self.preview: UndoPreview | None = None
        # Read off the GUI thread: an import of 20,000 accessions takes seconds to plan.
        self.heading.setText(self.tr("Reading what undoing import {0} does…").format(
            import_log_id))
        read = operations.Read(self, session_factory, lambda session: import_undo.preview_undo(
            session, import_log_id), operation=self.tr("Undo import {0}").format(import_log_id))
        read.success(self.show_preview)
        read.failure(lambda text, _error: self.heading.setText(text))
        self.read = read.run()

    def show_preview(self, plan: UndoPreview) -> None:
        self.preview = plan
        count = shown_numbers.count
        # Each value set into the sentence is isolated (FSI ... PDI): in a right-to-left
        # window the bidi algorithm would otherwise read "of ١; ٢ stay" as one Arabic
        # number run and show "of ٢ ;١ stay", the numbers swapped.
        self.heading.setText(self.tr(
            "Import {0}: {1}, {2}, by {3}.\nUndoing it removes {4} accession(s) and puts "
            "back the values of {5}; {6} stay as they are (below, with why). All of it or "
            "nothing, in one step.").format(*map(isolated, (
                str(plan.import_log_id), plan.file_name, local_time(plan.finished_at),
                plan.imported_by or self.tr("(unknown)"), count(len(plan.remove)),
                count(len(plan.put_back)),
                count(len(plan.cannot_remove) + len(plan.changed_after))))))
        self._section(self.tr("Left: changed after the import ({0})").format(
            count(len(plan.changed_after))), [(c.key, self._changed(c))
                                              for c in plan.changed_after])
        self._section(self.tr("Kept: other records depend on them ({0})").format(
            count(len(plan.cannot_remove))), [(r.key, self._dependents(r))
                                              for r in plan.cannot_remove])
        self._section(self.tr("Put back: updated by the import ({0})").format(
            count(len(plan.put_back))), [], children=[
            (p.key, self.tr("{0} value(s) put back").format(count(len(p.fields))),
             [(f.field, self.tr("{0} → {1}").format(_value(f.current), _value(f.restored)))
              for f in p.fields]) for p in plan.put_back])
        self._section(self.tr("Removed: created by the import ({0})").format(
            count(len(plan.remove))), [(r.key, self.tr("removed")) for r in plan.remove])
        self._section(self.tr("Also removed: crop names and institutes only the import "
                              "used ({0})").format(count(len(plan.also_removed))),
                      [(r.key, self.tr("taxon") if r.table == "taxon" else self.tr("institute"))
                       for r in plan.also_removed])
        self.tree.resizeColumnToContents(0)
        self.confirm.setEnabled(plan.changes_anything)
        if not plan.changes_anything:
            self.heading.setText(self.heading.text() + "\n" + self.tr(
                "There is nothing left to undo."))

    def _section(self, title: str, rows: list[tuple[str, str]], *,
                 children: list[tuple[str, str, list[tuple[str, str]]]] | None = None) -> None:
        top = QTreeWidgetItem(self.tree, [title])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        items = [(key, what, []) for key, what in rows] + (children or [])
        for key, what, lines in items[:SHOWN]:
            item = QTreeWidgetItem(top, [key, what])
            for field, change in lines:
                QTreeWidgetItem(item, [field, change])
            item.setExpanded(len(items) <= 20)
        if len(items) > SHOWN:
            QTreeWidgetItem(top, [self.tr("… and {0} more").format(
                shown_numbers.count(len(items) - SHOWN))])
        top.setExpanded(0 < len(items) <= 50)  # a long list opened on request
        top.setFirstColumnSpanned(True)
        top.setDisabled(not items)

    def _changed(self, change: import_undo.ChangedAfter) -> str:
        who = change.by or self.tr("(before sign-in)")
        when = local_time(change.at) if change.at else ""
        if change.action == "deleted":
            return self.tr("deleted by {0} on {1}").format(who, when)
        return self.tr("changed by {0} on {1}").format(who, when)

    def _dependents(self, removal: import_undo.Removal) -> str:
        words = {"seed_lot": self.tr("seed lot(s)"), "regeneration": self.tr("regeneration(s)"),
                 "safety_duplicate": self.tr("safety duplicate(s)")}
        return ", ".join(self._dependent(d, words) for d in removal.dependents)

    def _dependent(self, dependent: import_undo.Dependent, words: dict[str, str]) -> str:
        """"1 seed lot(s)"; withdrawn accessions naming this one are named themselves."""
        if dependent.names:
            names = ", ".join(isolated(name) for name in dependent.names)
            more = dependent.count - len(dependent.names)
            if more:
                names = self.tr("{0} and {1} more").format(names, isolated(
                    shown_numbers.count(more)))
            return self.tr("withdrawn {0}: named as the other accession of its "
                           "withdrawal").format(names)
        word = words.get(dependent.table, dependent.table)
        return f"{shown_numbers.count(dependent.count)} {word}"

    def run_undo(self) -> None:
        self.confirm.setEnabled(False)
        write = operations.Write(
            self, self.session_factory, lambda session, _progress: import_undo.undo_import(
                session, self.import_log_id),
            operation=self.tr("Undoing import {0}").format(self.import_log_id),
            changes=operations.Changed(accessions=True, imports=True), bulk=True)
        write.busy(self.buttons)
        # One transaction that cannot stop half-way (20,000 accessions: about 11 s on
        # SQLite): a window that says the work goes on, without Cancel.
        write.with_progress(self.tr("Undoing import {0}…").format(self.import_log_id),
                            cancel=False)
        write.success(self._done)
        write.failure(self._failed)
        self.write = write.run()

    def _done(self, result: UndoResult) -> None:
        self.undone.emit(result)
        self.accept()

    def _failed(self, text: str, error: BaseException) -> None:
        QMessageBox.warning(self, self.windowTitle(), text)
        # Nothing left to undo (changed meanwhile on another workstation) or undone
        # already: trying again would be refused the same; anything else may pass.
        self.confirm.setEnabled(getattr(error, "code", "") not in (
            "undo_import_nothing", "undo_import_already_undone"))


def _value(value: object) -> str:
    if value is None or value == []:
        return QCoreApplication.translate("UndoImportDialog", "(empty)")
    return str(shown(value))

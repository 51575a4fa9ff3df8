"""The demo collection's part of the main window: building the demo in a file of its own and
opening it, going back to the user's own database, and removing demo records that older
versions loaded into a real database. A mixin of :class:`ui.main_window.MainWindow`, kept
apart so that the window's own module holds the table, the search and the menus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox, QProgressDialog

from genebank import db, demo_database
from genebank.progress import Progress
from genebank.services import demo_removal
from ui import operations
from ui.operations import Changed
from ui.tasks import Task
from ui.views import shown_numbers


class DemoActions:
    """Help > Load demo collection, File > Back to <your database>, Help > Remove demo
    records. The window provides ``database``, ``settings``, ``switch_database``, ``_task``,
    ``statusBar`` and ``tr``."""

    def is_demo_database(self) -> bool:
        """Whether the open database is the demo's own file."""
        return demo_database.is_demo_file(self.database.url)

    def _own_database_url(self) -> str | None:
        """The most recent database that is not the demo's file."""
        return next((url for url in self.settings.recent_databases
                     if not demo_database.is_demo_file(url)), None)

    def back_to_own_database(self) -> bool:
        """Leave the demo for the database used before it (File > Back to ...)."""
        url = self._own_database_url()
        return url is not None and self.switch_database(url)

    def load_demo(self) -> Task | None:
        """Help > Load demo collection: a new demo in its own file, then opened."""
        path = db.demo_database_path()
        count, ok = QInputDialog.getInt(
            self, self.tr("Load demo collection"),
            self.tr("How many demo accessions?\n\nThe demo goes into a database of its own:\n"
                    "{0}\nYour database {1} is not changed.").format(
                path, self._database_name()),
            10000, 1, 2_000_000, 1000)
        if not ok:
            return None
        if path.exists() and QMessageBox.question(
                self, self.tr("Replace the demo?"),
                self.tr("A demo database exists already:\n{0}\n\nReplace it with a new "
                        "demo? Your own database is not affected.").format(path),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return None
        return self.start_demo(count)

    def start_demo(self, count: int) -> Task:
        """Build a demo of ``count`` accessions in the background, then open it."""
        path = db.demo_database_path()

        def work(progress: Progress) -> demo_database.BuiltDemo:
            return demo_database.build(path, accessions=count, progress=progress)

        dialog = QProgressDialog(self.tr("Creating demo accessions…"), self.tr("Cancel"),
                                 0, count, self)
        dialog.setWindowTitle(self.tr("Load demo collection"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        task = Task(work)
        task.progressed.connect(lambda done, _total, text: (dialog.setValue(done),
                                                            dialog.setLabelText(text)))
        dialog.canceled.connect(task.cancel)
        task.succeeded.connect(lambda built: setattr(self, "_built_demo", built))
        task.cancelled.connect(lambda: self.statusBar().showMessage(
            self.tr("Demo loading cancelled; nothing was changed"), 10000))
        task.failed.connect(lambda error: QMessageBox.warning(
            self, self.tr("Demo collection not loaded"), str(error)))
        task.finished.connect(dialog.reset)
        task.finished.connect(self._demo_finished)
        self._task = task
        self.demo_action.setEnabled(False)
        self.remove_demo_action.setEnabled(False)
        return task.start()

    def _open_built_demo(self, built: demo_database.BuiltDemo) -> None:
        """Put the new demo in place (closing the old one first) and open it."""
        own = self._database_name() if not self.is_demo_database() else None
        path = db.demo_database_path()
        if self.is_demo_database():
            self.database.close()  # Windows cannot replace an open file
        try:
            demo_database.install(built, path)
        except OSError as error:
            demo_database.discard(built)
            QMessageBox.warning(self, self.tr("Demo collection not loaded"), self.tr(
                "Cannot replace {0}: {1}").format(path, error.strerror))
            return
        if not self.switch_database(db.sqlite_url(path)):
            return
        count = shown_numbers.count(built.accessions.accessions)
        self.statusBar().showMessage(
            self.tr("Demo opened ({0} accessions). Your database {1} was not changed: "
                    "File > Back to {1}").format(count, own) if own else
            self.tr("Opened a new demo collection ({0} accessions)").format(count), 20000)

    def _demo_finished(self) -> None:
        self._task = None
        self.demo_action.setEnabled(True)
        self.remove_demo_action.setEnabled(True)
        built, self._built_demo = self._built_demo, None
        if built is not None:
            self._open_built_demo(built)

    def demo_record_labels(self) -> dict[str, str]:
        """The words for each kind of record :class:`DemoRecords` counts."""
        return {
            "accessions": self.tr("Accessions"), "seed_lots": self.tr("Seed lots"),
            "germination_tests": self.tr("Germination tests"),
            "moisture_tests": self.tr("Moisture tests"),
            "regenerations": self.tr("Regenerations"),
            "safety_duplicates": self.tr("Safety duplicates"), "courses": self.tr("Courses"),
            "participants": self.tr("Participants"), "enrolments": self.tr("Enrolments"),
            "certificates": self.tr("Certificates"),
            "storage_locations": self.tr("Demo storage locations"),
            "crop_rules": self.tr("Crop rules added by the demo"),
            "programmes": self.tr("Training programmes"),
            "taxa": self.tr("Taxa and crop names only the demo used"),
            "institutes": self.tr("Institutes of the directory only the demo used"),
        }

    def remove_demo_records(self) -> Task | None:
        """Help > Remove demo records: count (in the background), show the counts, then
        remove them in one step once the user agrees."""
        if self._task is not None:
            QMessageBox.information(self, self.tr("Please wait"),
                                    self.tr("Wait for the demo collection to finish."))
            return None
        factory = self.database.session_factory

        def count(_progress: Progress) -> demo_removal.DemoRecords:  # off the GUI thread
            return operations.read_in_task(factory, demo_removal.count_demo_records,
                                       operation=self.tr("Counting demo records"))

        task = self._demo_task(count, self.tr("Counting demo records…"))
        task.succeeded.connect(lambda counts: setattr(self, "_demo_counts", counts))
        task.failed.connect(lambda error: QMessageBox.warning(
            self, self.tr("Remove demo records"), operations.message(error)))
        task.finished.connect(self._demo_count_finished)
        return task.start()

    def _demo_count_finished(self) -> None:
        self._demo_finished()  # lets go of the task: no slot may follow this one
        # the question opens its own event loop: not inside the task's signal
        QTimer.singleShot(0, self._demo_counted)

    def _demo_busy(self, text: str) -> QProgressDialog:
        """The busy dialog of a step of the demo removal, with no Cancel (it reads, or
        removes in one transaction that completes or changes nothing)."""
        dialog = QProgressDialog(text, "", 0, 0, self)
        dialog.setCancelButton(None)
        dialog.setWindowTitle(self.tr("Remove demo records"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self.demo_action.setEnabled(False)
        self.remove_demo_action.setEnabled(False)
        return dialog

    def _demo_task(self, work: Callable[[Progress], object], text: str) -> Task:
        """A background read of the demo removal (the counting), under its busy dialog."""
        dialog = self._demo_busy(text)
        task = Task(work)
        task.finished.connect(dialog.reset)
        self._task = task
        return task

    def _demo_counted(self) -> None:
        counts, self._demo_counts = self._demo_counts, None
        if counts is None:
            return
        if not counts.total:
            QMessageBox.information(self, self.tr("Remove demo records"), self.tr(
                "{0} holds no demo records; nothing to remove.").format(self._database_name()))
            return
        if not self.confirm_demo_removal(counts):
            return
        dialog = self._demo_busy(self.tr("Removing demo records…"))
        write = operations.Write(
            self, self.database, demo_removal.remove_demo_records,
            operation=self.tr("Removing demo records"),
            changes=Changed(accessions=True, lots=True, locations=True, rules=True,
                            training=True), initiator=self)
        write.success(lambda removed: self.statusBar().showMessage(
            self.tr("Removed {0} demo records; your own records were not changed").format(
                shown_numbers.count(removed.total)), 15000))
        write.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Demo records not removed"), self.tr(
                "Nothing was removed: {0}").format(text)))
        write.done.connect(lambda _ok: (dialog.reset(), self._demo_removal_finished()))
        self._task = write
        write.run()

    def confirm_demo_removal(self, counts: demo_removal.DemoRecords) -> bool:
        """Show what will go, kind by kind; True when the user chooses to remove it."""
        labels = self.demo_record_labels()
        box = QMessageBox(self)
        box.setObjectName("demo_removal")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove demo records"))
        box.setText(self.tr("Remove {0} demo records from {1}?").format(
            shown_numbers.count(counts.total), self._database_name()))
        lines = "".join(f"<tr><td>{labels[kind]}</td><td align='right'>&nbsp;&nbsp;"
                        f"{shown_numbers.count(n)}</td></tr>" for kind, n in counts.items())
        box.setInformativeText(
            f"<table>{lines}</table><p>"
            + self.tr("They are removed together, in one step. Records you typed or imported "
                      "stay. To keep a copy first, use File > Back up database.") + "</p>")
        remove = box.addButton(self.tr("Remove demo records"),
                               QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is remove

    def _demo_removal_finished(self) -> None:
        """The table and the attention view refreshed on the announcement; the title may
        no longer mention demo records, and a training window may show courses gone."""
        self._demo_finished()
        self._update_title()
        if self.training is not None:  # it may show courses that are gone
            self.training.close()
            self.training.deleteLater()
            self.training = None


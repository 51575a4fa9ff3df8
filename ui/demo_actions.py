"""The demo collection's part of the main window: building the demo in a file of its own and
opening it, going back to the user's own database, and removing demo records that older
versions loaded into a real database. A mixin of :class:`ui.main_window.MainWindow`, kept
apart so that the window's own module holds the table, the search and the menus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox

from genebank import db, demo_database
from ui import messages, operations
from ui.operations import Changed
from ui.views import shown_numbers

if TYPE_CHECKING:  # the demo's modules are imported when used: start-up
    from genebank.demo import demo_removal


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

    def load_demo(self) -> operations.Job[demo_database.BuiltDemo] | None:
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

    def start_demo(self, count: int) -> operations.Job[demo_database.BuiltDemo]:
        """Build a demo of ``count`` accessions in its own file, off the GUI thread with the
        runner's progress and Cancel, then open it. The user's database is not touched, so
        a failure is said in the runner's words and leaves it as it was."""
        path = db.demo_database_path()
        job = operations.Job(
            self, None, lambda progress: demo_database.build(path, accessions=count,
                                                             progress=progress),
            operation=self.tr("Loading the demo collection"))
        job.with_progress(self.tr("Creating demo accessions…"))
        job.success(self._demo_built)
        job.failure(self._demo_not_built)
        self._task = job
        self.demo_action.setEnabled(False)
        self.remove_demo_action.setEnabled(False)
        return job.run()  # type: ignore[return-value]

    def _demo_built(self, built: demo_database.BuiltDemo) -> None:
        self._demo_finished()  # lets go of the job: the demo may now be opened
        self._open_built_demo(built)

    def _demo_not_built(self, text: str, error: BaseException) -> None:
        self._demo_finished()
        if isinstance(error, operations.CancelledByUser):
            self.statusBar().showMessage(
                self.tr("Demo loading cancelled; nothing was changed"), 10000)
        else:
            QMessageBox.warning(self, self.tr("Demo collection not loaded"), text)

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
            QMessageBox.warning(self, self.tr("Demo collection not loaded"), messages.say(
                error, operation=self.tr("Putting the demo in place")))
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
        self._apply_rights()  # Remove demo records: an administrator's (delete_records)

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

    def remove_demo_records(self) -> operations.Read[demo_removal.DemoRecords] | None:
        """Help > Remove demo records: count (off the GUI thread, through the runner), show
        the counts, then remove them in one step once the user agrees."""
        from genebank.demo import demo_removal

        if self._task is not None:
            QMessageBox.information(self, self.tr("Please wait"),
                                    self.tr("Wait for the demo collection to finish."))
            return None
        read = operations.Read(
            self, self.database,
            lambda session, _progress: demo_removal.count_demo_records(session),
            operation=self.tr("Counting demo records"))
        read.with_progress(self.tr("Counting demo records…"))
        # the question opens its own event loop: not inside the runner's signal
        read.success(lambda counts: QTimer.singleShot(0, lambda: self._demo_counted(counts)))
        read.failure(self._demo_not_counted)
        read.done.connect(lambda _ok: self._demo_finished())
        self._task = read
        self.demo_action.setEnabled(False)
        self.remove_demo_action.setEnabled(False)
        return read.run()  # type: ignore[return-value]

    def _demo_not_counted(self, text: str, error: BaseException) -> None:
        if isinstance(error, operations.CancelledByUser):
            self.statusBar().showMessage(text, 10000)
        else:
            QMessageBox.warning(self, self.tr("Remove demo records"), text)

    def _demo_counted(self, counts: demo_removal.DemoRecords) -> None:
        from genebank.demo import demo_removal

        if not counts.total:
            QMessageBox.information(self, self.tr("Remove demo records"), self.tr(
                "{0} holds no demo records; nothing to remove.").format(self._database_name()))
            return
        if self._task is not None or not self.confirm_demo_removal(counts):
            return
        write = operations.Write(
            self, self.database,
            lambda session, _progress: demo_removal.remove_demo_records(session),
            operation=self.tr("Removing demo records"),
            changes=Changed(accessions=True, lots=True, locations=True, rules=True,
                            training=True), initiator=self)
        # one transaction: it completes or changes nothing, so no Cancel half-way
        write.with_progress(self.tr("Removing demo records…"), cancel=False)
        write.success(lambda removed: self.statusBar().showMessage(
            self.tr("Removed {0} demo records; your own records were not changed").format(
                shown_numbers.count(removed.total)), 15000))
        write.failure(lambda text, _error: QMessageBox.warning(
            self, self.tr("Demo records not removed"), self.tr(
                "Nothing was removed: {0}").format(text)))
        write.done.connect(lambda _ok: self._demo_removal_finished())
        self._task = write
        self.demo_action.setEnabled(False)
        self.remove_demo_action.setEnabled(False)
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


"""Opening a database from the window: the first start's choices, refusals in plain words,
the server upgrade its owner confirms (with a backup offered first), and the network-share
warning, shown once when the database opens.

Databases are created only on purpose here: "Create my database", File > New database,
"Connect to a server" (an empty server database gets Genebank's tables) and the demo's own
file. Everything else opens with ``create=False``, so a mistyped or vanished file is refused
and nothing appears on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from genebank import backup, connection_urls, db, demo_database
from genebank.passport.identity_collisions import DuplicateAccessions
from genebank.progress import NoProgress, Progress
from ui import file_dialogs, messages, operations
from ui.dialogs import connection_dialog, duplicates_dialog
from ui.tasks import Task
from ui.views.command_link import CommandLink

SQLITE_FILTER = "Genebank databases (*.sqlite *.db);;All files (*)"
FIRST_START_DEMO = 2000  # accessions: a demo worth browsing, built in seconds
SHOW_PROGRESS_AFTER_MS = 400  # a quick opening shows no dialog

T = TypeVar("T")


def tr(text: str) -> str:
    return QCoreApplication.translate("DatabaseOpening", text)


def describe(error: BaseException) -> str:
    """The words for a refusal to open: :func:`ui.messages.say`, the one way to say what
    went wrong."""
    return messages.say(error)


def show_warnings(parent: QWidget | None, database: db.Database) -> None:
    """Tell the user, once as the database opens, what they should know about it."""
    for warning in database.warnings:
        if warning.code == "network_share":
            text = tr("{0} is on a network share ({1}).\n\nA database file on a share can be "
                      "damaged when two workstations write to it at once. Keep it on this "
                      "computer's own disk; several workstations share a PostgreSQL server, "
                      "not a file.").format(warning.params["path"], warning.params["share"])
        else:
            text = warning.message
        QMessageBox.warning(parent, tr("Database on a network share"), text)


class ServerUpgradeDialog(QMessageBox):
    """Asks the owner of an older server database to back it up, then to upgrade it."""

    def __init__(self, needed: db.NeedsUpgrade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("server_upgrade")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(tr("Upgrade the database?"))
        self.setText(tr("The database {0} was made by an older version of Genebank (schema "
                        "{1}; this version needs {2}).").format(
            needed.params["database"], needed.params["revision"], needed.params["newest"]))
        self.setInformativeText(tr(
            "The upgrade changes it for every workstation, and older Genebank versions will "
            "no longer open it. Back it up first."))
        self.backup_button = self.addButton(tr("Back up first…"),
                                            QMessageBox.ButtonRole.ActionRole)
        self.upgrade_button = self.addButton(tr("Upgrade now"),
                                             QMessageBox.ButtonRole.AcceptRole)
        self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.backup_button)

    def backed_up(self, target: Path) -> None:
        self.setInformativeText(tr("Backed up to {0}. Upgrade now?").format(target))
        self.setDefaultButton(self.upgrade_button)


def confirm_server_upgrade(parent: QWidget | None, url: str, needed: db.NeedsUpgrade) -> bool:
    """The owner's choice: back up (any number of times), upgrade, or leave it."""
    dialog = ServerUpgradeDialog(needed, parent)
    while True:
        dialog.exec()
        clicked = dialog.clickedButton()
        if clicked is dialog.upgrade_button:
            return True
        if clicked is not dialog.backup_button:
            return False
        path, _ = file_dialogs.get_save_file_name(
            parent, tr("Back up the database"),
            str(Path.home() / "genebank-before-upgrade.sqlite"), SQLITE_FILTER)
        if not path:
            continue
        replace = Path(path).exists()  # the save dialog asked, and the person said Replace
        try:
            target = in_background(
                parent, tr("Backing up {0}…").format(_where(url)),
                lambda _progress, to=Path(path), confirmed=replace: backup.backup_server(
                    url, to, replace=confirmed))
        except db.DatabaseError as error:
            QMessageBox.warning(parent, tr("Backup failed"), describe(error))
            continue
        dialog.backed_up(target)


def open_interactively(parent: QWidget | None, url: str, *,
                       create: bool = False) -> db.Database | None:
    """Open ``url`` for the window, or say plainly why not (None)."""
    try:
        return open_or_refuse(parent, url, create=create)
    except db.DatabaseError as error:
        QMessageBox.warning(parent, tr("The database needs upgrading")
                            if isinstance(error, db.NeedsUpgrade)
                            else tr("Cannot open the database"), describe(error))
        return None


def open_or_refuse(parent: QWidget | None, url: str, *,
                   create: bool = False) -> db.Database | None:
    """Open ``url`` for the window, asking the owner to confirm an upgrade and offering the
    way out of duplicate accessions; None when the person cancelled. A refusal raises
    :class:`db.DatabaseError` for the caller to show where the person will read it."""
    confirmed = False
    # The address of the last attempt, with the password typed in a sign-in if there was
    # one: the backup, the duplicates' fix-up and the next attempt reach the server signed
    # in. Held for this opening only, never saved.
    signed_in = [url]
    while True:
        try:
            database = _open(parent, signed_in[-1], attempted=signed_in, create=create,
                             upgrade_confirmed=confirmed)
            break
        except db.NeedsUpgrade as needed:
            if confirmed or not needed.params.get("is_owner"):
                raise
            if not confirm_server_upgrade(parent, signed_in[-1], needed):
                return None
            confirmed = True
        except DuplicateAccessions as duplicates:
            # Resolved as the person chooses (backed up first), then opened again; groups a
            # merge left come back here, listed again.
            resolved = duplicates_dialog.resolve(parent, signed_in[-1], duplicates,
                                                 upgrade_confirmed=confirmed)
            if resolved is None:
                return None
            confirmed = resolved
    if database is not None:
        show_warnings(parent, database)
    return database


def connect_to_server(parent: QWidget | None) -> db.Database | None:
    """Ask for a server's address (and password) and open its database (an empty one
    becomes a Genebank database); a refusal (a server that does not answer, a database
    that is not there) is said in the dialog, which keeps what was typed but the password.
    None when the person cancels."""
    ask = connection_dialog.ask_with_dialog(parent)
    url, message = "", ""
    while True:
        answer = ask(url, message)
        if answer is None:
            return None
        url, password = answer
        try:
            return open_or_refuse(
                parent, connection_urls.with_password(url, password) if password else url,
                create=True)
        except db.DatabaseError as error:
            message = describe(error)


def _open(parent: QWidget | None, url: str, *, attempted: list[str] | None = None,
          **options: bool) -> db.Database | None:
    """:func:`db.open_database` as the window does it; None when the person cancelled.
    (The one place where a sign-in, e.g. a server's password dialog, wraps the opening.)
    ``attempted`` hears the address of each attempt (the typed password in it).

    Each attempt runs off the GUI thread behind a progress dialog (an older file's integrity
    check, backup and upgrade can take minutes, and a server may be slow to answer); the
    questions (the password, the owner's upgrade) are asked on the GUI thread between them."""
    def attempt(address: str, **given: bool) -> db.Database:
        if attempted is not None:
            attempted.append(address)
        return in_background(parent, tr(
            "Opening {0}…\n\nAn older database is checked, backed up and upgraded first, "
            "which can take a few minutes.").format(_where(address)),
                             lambda _progress: db.open_database(address, **given))

    return connection_dialog.open_signed_in(url, connection_dialog.ask_with_dialog(parent),
                                            opener=attempt, **options)


def _where(url: str) -> str:
    """The file or server database ``url`` names, for a progress label (a malformed
    address is refused by the opening itself, with its own message)."""
    try:
        return db.describe_where(url)
    except Exception:
        return tr("the database")


def in_background(parent: QWidget | None, label: str,
                  work: Callable[[Progress], T]) -> T:
    """``work`` run off the GUI thread while a progress dialog (without Cancel: an opening,
    backup or upgrade half done is not stopped) keeps the window painted and its timers
    running; returns its result or raises its exception, on the GUI thread. Without a
    QApplication (a script, a test of the core's choices) there is no window to keep alive:
    ``work`` runs here."""
    if QApplication.instance() is None:
        return work(NoProgress())
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setObjectName("database_progress")
    dialog.setWindowTitle(tr("Please wait"))
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
    outcome: dict[str, object] = {}
    task = Task(work)
    task.succeeded.connect(lambda result: outcome.update(result=result))
    task.failed.connect(lambda error: outcome.update(error=error))
    task.progressed.connect(lambda done, total, _text: (dialog.setMaximum(total),
                                                        dialog.setValue(done)))
    loop = QEventLoop()
    task.finished.connect(loop.quit)
    task.start()
    loop.exec()
    dialog.reset()
    dialog.deleteLater()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome["result"]  # type: ignore[return-value]


class FirstStartDialog(QDialog):
    """The first start: no database yet. Four ways on, each made on purpose."""

    CREATE, OPEN_FILE, SERVER, DEMO = "create", "open_file", "server", "demo"

    def __init__(self, own_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_start")
        self.setWindowTitle(tr("Welcome to Genebank"))
        self.setMinimumWidth(560)
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Genebank keeps your collection in a database. How would you like "
                          "to start?"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.buttons: dict[str, CommandLink] = {}
        for choice, title, detail in (
                (self.CREATE, tr("Create my database"),
                 tr("A new, empty database on this computer")),
                (self.OPEN_FILE, tr("Open a database file…"),
                 tr("A Genebank file you have already: your own, a colleague's or a backup")),
                (self.SERVER, tr("Connect to a server…"),
                 tr("Your centre's PostgreSQL server, which several workstations share")),
                (self.DEMO, tr("Try the demo"),
                 tr("A realistic demo collection in a file of its own; nothing else is "
                    "created"))):
            button = CommandLink(title, detail, self)
            button.setObjectName(choice)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
            if choice == self.CREATE:
                self.where = where = QLabel(tr("It will be kept in {0}").format(own_path),
                                            self)
                where.setWordWrap(True)
                where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                where.setContentsMargins(0, 0, 0, 6)
                # Under the title, on its side of the arrow: a box layout's spacing, which
                # right to left moves to the right (a widget's margins would not).
                row = QHBoxLayout()
                row.addSpacing(button.text_offset())
                row.addWidget(where, 1)
                layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def first_start(parent: QWidget | None = None) -> db.Database | None:
    """Offer the first start's choices until one gives an open database (None: closed)."""
    own = db.default_database_path()
    while True:
        dialog = FirstStartDialog(own, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        database = _start_with(parent, dialog.choice, own)
        if database is not None:
            return database


def _start_with(parent: QWidget | None, choice: str | None, own: Path) -> db.Database | None:
    if choice == FirstStartDialog.CREATE:
        return open_interactively(parent, db.sqlite_url(own), create=True)
    if choice == FirstStartDialog.OPEN_FILE:
        path, _ = file_dialogs.get_open_file_name(parent, tr("Open database"), str(Path.home()),
                                                  SQLITE_FILTER)
        return open_interactively(parent, db.sqlite_url(path), create=False) if path else None
    if choice == FirstStartDialog.SERVER:
        # The same dialog as File > Connect to a server: address and password apart, the
        # password never shown nor kept (an empty database becomes a Genebank database).
        return connect_to_server(parent)
    if choice == FirstStartDialog.DEMO:
        return open_demo(parent)
    return None


def open_demo(parent: QWidget | None, accessions: int | None = None) -> db.Database | None:
    """Open the demo's own file, building it first (off the GUI thread) if there is none."""
    path = db.demo_database_path()
    if not path.exists():
        built = _build_demo(parent, path, accessions or FIRST_START_DEMO)
        if built is None:
            return None
        demo_database.install(built, path)
    return open_interactively(parent, db.sqlite_url(path), create=False)


def _build_demo(parent: QWidget | None, path: Path,
                accessions: int) -> demo_database.BuiltDemo | None:
    """The demo built in its own file on the operation runner (:class:`operations.Job`),
    as Help > Load demo collection does: its progress dialog with Cancel, and a failure
    worded by :mod:`ui.messages`. Waits here, since the first start has no window yet.
    None when cancelled or failed (nothing is left behind either way)."""
    job = operations.Job(
        parent, None, lambda progress: demo_database.build(path, accessions=accessions,
                                                           progress=progress),
        operation=tr("Try the demo"))
    job.with_progress(tr("Creating the demo collection…"))
    job.failure(lambda text, error: None if isinstance(error, operations.CancelledByUser)
                else QMessageBox.warning(parent, tr("Demo collection not loaded"), text))
    loop = QEventLoop()
    job.done.connect(loop.quit)
    job.run()
    if not job.finished:
        loop.exec()
    built = job.result if job.ok else None
    return built if isinstance(built, demo_database.BuiltDemo) else None

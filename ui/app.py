"""Starting the GUI: choose the database (or offer the first start's choices), open it,
show the window.

Start-up is what people feel every morning (issue 15). This module imports PySide6 and
little else: a database that asked who signs in last time shows its sign-in dialog at once
(:func:`quick_sign_in`), while SQLAlchemy, the models and the main window load on a thread
behind it and the database opens; everything else is imported where it is used
(``tests/ui/test_start_imports.py``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from genebank import __version__
from ui.background_imports import BackgroundImports
from ui.settings import Settings
from ui.sign_in_dialog import SignInDialog

if TYPE_CHECKING:
    from genebank import db

ENV_DATABASE = "GENEBANK_DATABASE_URL"  # genebank.cli_common.ENV_DATABASE, without the CLI
# What the main window needs, loaded while the sign-in dialog is on the screen.
BEHIND_THE_DIALOG = ("sqlalchemy.orm", "genebank.models", "genebank.db", "ui.operations",
                     "ui.signing_in", "ui.database_opening", "ui.main_window",
                     "genebank.demo.demo_removal")


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="genebank-gui", description="Genebank desktop app")
    parser.add_argument("--database", metavar="URL",
                        help=f"a SQLite file or database URL (default: ${ENV_DATABASE}, "
                             "the last one used, or your own database file)")
    parser.add_argument("--version", action="version", version=f"Genebank {__version__}")
    return parser.parse_known_args(argv)[0]


def install_translations(app: QApplication) -> None:
    translator = QTranslator(app)
    if translator.load(QLocale.system(), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


def start_database(argument: str | None, settings: Settings, *,
                   wanted_tried: bool = False) -> db.Database | None:
    """The database to start with: the one asked for (--database, $GENEBANK_DATABASE_URL,
    the last used), else the user's own file if it exists, else the first start's choices.
    Nothing is created here without the user choosing it: a last-used file that vanished is
    refused with a message, not recreated empty. Each is opened signed in
    (:func:`ui.signing_in.sign_in`): a cancelled sign-in is a database not opened.
    ``wanted_tried``: the one asked for was tried already (:func:`quick_sign_in`)."""
    from genebank import db
    from ui import database_opening, signing_in

    def signed_in(database: db.Database | None) -> db.Database | None:
        if database is not None and not signing_in.sign_in(None, database, settings):
            database.close()
            return None
        return database

    wanted = argument or os.environ.get(ENV_DATABASE) or settings.last_database
    if wanted and not wanted_tried:
        database = signed_in(database_opening.open_interactively(None, wanted, create=False))
        if database is not None:
            settings.set_sign_in_hint(wanted, database.display_name
                                      if signing_in.signed_in(database) else None)
        if database is not None or argument:
            return database
    own = db.default_database_path()
    if own.exists() and not (wanted and db.same_database(wanted, str(own))):
        database = signed_in(database_opening.open_interactively(None, db.sqlite_url(own),
                                                                 create=False))
        if database is not None:
            return database
    return signed_in(database_opening.first_start())


def start(argument: str | None, settings: Settings) -> db.Database | None:
    """:func:`start_database`, after :func:`quick_sign_in` when the database asked for
    asked who signs in last time."""
    wanted = argument or os.environ.get(ENV_DATABASE) or settings.last_database
    display_name = settings.sign_in_hint(wanted) if wanted else None
    if wanted and display_name is not None:
        database = quick_sign_in(wanted, display_name, settings)
        if database is not None or argument:
            return database
        return start_database(argument, settings, wanted_tried=True)
    return start_database(argument, settings)


def quick_sign_in(wanted: str, display_name: str, settings: Settings) -> db.Database | None:
    """The sign-in dialog of ``wanted``, shown before anything else is imported; behind
    it the rest of the app loads (:data:`BEHIND_THE_DIALOG`), then the database opens (its
    refusals and questions said over the dialog). The database signed in, or None when it
    was refused or the person cancelled (as :func:`start_database`). A database that no
    longer asks who signs in (sign-in turned off, no people) is opened as
    :func:`ui.signing_in.sign_in` says, the dialog closed."""
    dialog = SignInDialog(None, settings, display_name=display_name)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    behind = BackgroundImports(BEHIND_THE_DIALOG, dialog)
    dialog.painted.connect(behind.start)
    opened: list[db.Database | None] = []
    asks: list[bool] = []

    def loaded() -> None:
        from ui import database_opening, signing_in

        database = database_opening.open_interactively(dialog, wanted, create=False)
        opened.append(database)
        if database is None:
            dialog.reject()  # refused, and said: the start goes on without it
        elif signing_in.asks_sign_in(database):
            asks.append(True)
            dialog.set_database(database)
        else:
            dialog.done(QDialog.DialogCode.Accepted)

    behind.done.connect(loaded)
    dialog.exec()
    behind.done.disconnect(loaded)
    from ui import signing_in

    database = opened[0] if opened else None
    if database is None:  # refused, or cancelled before it opened
        return None
    if not asks:  # it no longer asks who signs in
        settings.set_sign_in_hint(wanted, None)
        if signing_in.sign_in(None, database, settings):
            return database
    elif dialog.result() == QDialog.DialogCode.Accepted and dialog.actor is not None:
        signing_in.attach_person(database, dialog.actor)
        return database
    database.close()
    return None


def unexpected_error_text(error: BaseException) -> str:
    """What the window says of an error nothing caught, in the one way the GUI words a
    problem (``messages.say``): a refusal of the core in its own words; a fault of ours
    as "Something went wrong" with its kind and first line, for whoever supports Genebank."""
    from genebank import problems
    from ui import messages

    if problems.is_coded(error):
        return messages.say(error)
    return messages.say(error) + "\n\n" + QApplication.translate(
        "App", "The details for a report are printed in the terminal.")


def report_unexpected_errors() -> None:
    """Show an unexpected error in a dialog (and on stderr) instead of losing it silently;
    the window stays open, so typed work is not lost."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        previous(kind, error, trace)
        if QApplication.instance() is not None:
            QMessageBox.critical(None, "Genebank", unexpected_error_text(error))

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Genebank")
    app.setOrganizationName("Genebank")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(Path(__file__).with_name("resources") / "genebank.svg")))
    install_translations(app)
    report_unexpected_errors()
    settings = Settings()
    database = start(args.database, settings)
    if database is None:
        return 1
    from ui import tasks
    from ui.main_window import MainWindow

    window = MainWindow(database, settings)
    window.show()
    code = app.exec()
    tasks.shutdown()
    window.database.close()
    return code


if __name__ == "__main__":
    sys.exit(main())

"""Starting the GUI: choose the database (or offer the first start's choices), open it,
show the window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from genebank import __version__, db, problems
from genebank.cli_common import ENV_DATABASE
from ui import database_opening, messages, signing_in, tasks
from ui.main_window import MainWindow
from ui.settings import Settings


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


def start_database(argument: str | None, settings: Settings) -> db.Database | None:
    """The database to start with: the one asked for (--database, $GENEBANK_DATABASE_URL,
    the last used), else the user's own file if it exists, else the first start's choices.
    Nothing is created here without the user choosing it: a last-used file that vanished is
    refused with a message, not recreated empty. Each is opened signed in
    (:func:`ui.signing_in.sign_in`): a cancelled sign-in is a database not opened."""
    def signed_in(database: db.Database | None) -> db.Database | None:
        if database is not None and not signing_in.sign_in(None, database, settings):
            database.close()
            return None
        return database

    wanted = argument or os.environ.get(ENV_DATABASE) or settings.last_database
    if wanted:
        database = signed_in(database_opening.open_interactively(None, wanted, create=False))
        if database is not None or argument:
            return database
    own = db.default_database_path()
    if own.exists() and not (wanted and db.same_database(wanted, str(own))):
        database = signed_in(database_opening.open_interactively(None, db.sqlite_url(own),
                                                                 create=False))
        if database is not None:
            return database
    return signed_in(database_opening.first_start())


def unexpected_error_text(error: BaseException) -> str:
    """What the window says of an error nothing caught, in the one way the GUI words a
    problem (``messages.say``): a refusal of the core in its own words; a fault of ours
    as "Something went wrong" with its kind and first line, for whoever supports Genebank."""
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
    database = start_database(args.database, settings)
    if database is None:
        return 1
    window = MainWindow(database, settings)
    window.show()
    code = app.exec()
    tasks.shutdown()
    window.database.close()
    return code


if __name__ == "__main__":
    sys.exit(main())

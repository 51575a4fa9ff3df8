"""Start-up is what people feel every morning (issue 15): the modules only some windows or
commands need are imported where they are used, not when the app starts; and the app's
start module imports PySide6 alone, so that the sign-in dialog shows while SQLAlchemy, the
models and the main window load behind it (ui.app.quick_sign_in). A new process imports the
modules and says which of the others came along."""

from __future__ import annotations

import os
import subprocess
import sys

# Imported by the app's start only through a path someone added by mistake; each costs
# a tenth of a second or more on a modest laptop.
NOT_AT_START = (
    "genebank.cli",  # the command line (and through it every command's modules)
    "fpdf",  # the PDF library, for certificates
    "ui.dialogs.accession_editor",  # windows opened from the menus
    "ui.views.training_window",  # and each of its tabs
    "ui.views.training_courses_tab",
    "ui.views.training_participants_tab",
    "ui.views.training_certificates_tab",
    "ui.views.training_reports_tab",
    "ui.views.attention_view",
    "ui.dialogs.import_wizard",
    "openpyxl",  # the writers of templates and exports, imported when one is written
    "genebank.io.passport_template",
    "email_validator",  # checking a participant's e-mail
    "genebank.demo.demo_training",  # the demo's own modules, when it is built or removed
)
# Not even with the main window: what the sign-in dialog is shown before.
BEFORE_THE_SIGN_IN_DIALOG = ("sqlalchemy", "genebank.db", "genebank.models", "ui.main_window",
                             "ui.operations", "ui.signing_in", "ui.database_opening",
                             "genebank.demo.demo_removal")


def _imported_with(modules: str, names: tuple[str, ...]) -> str:
    code = f"import sys, {modules}; print([m for m in {names!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=True)
    return result.stdout.strip() + result.stderr


def test_the_app_starts_without_the_modules_of_other_work() -> None:
    assert _imported_with("ui.app, ui.main_window", NOT_AT_START) == "[]"


def test_the_sign_in_dialog_needs_pyside6_alone() -> None:
    assert _imported_with("ui.app", NOT_AT_START + BEFORE_THE_SIGN_IN_DIALOG) == "[]"


def test_the_window_loaded_behind_the_dialog_is_what_the_main_window_needs() -> None:
    """What :data:`ui.app.BEHIND_THE_DIALOG` loads is all the window's first showing needs,
    so signing in does not wait for an import (it names modules that exist)."""
    from ui import app

    code = ("import sys, importlib; from ui import app; "
            "[importlib.import_module(m) for m in app.BEHIND_THE_DIALOG]; "
            "before = set(sys.modules); import ui.main_window, genebank.demo.demo_removal; "
            "print(sorted(set(sys.modules) - before))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
    assert "ui.main_window" in app.BEHIND_THE_DIALOG


def test_the_app_reads_the_same_environment_variable_as_the_command_line() -> None:
    from genebank.cli_common import ENV_DATABASE
    from ui import app

    assert app.ENV_DATABASE == ENV_DATABASE


def test_reading_the_settings_of_a_server_user_needs_no_sqlalchemy(tmp_path: object) -> None:
    """A recent list with a server address (no password) is read at start without the
    address parser of connection_urls (SQLAlchemy); one holding a password still is."""
    code = ("import sys; from PySide6.QtCore import QSettings; from ui.settings import "
            "Settings; store = QSettings(sys.argv[1], QSettings.Format.IniFormat); "
            "store.setValue('recent_databases', sys.argv[2:]); s = Settings(store); "
            "print(s.last_database, 'sqlalchemy' in sys.modules)")
    path = str(tmp_path) + "/settings.ini"  # type: ignore[operator]

    def run(*urls: str) -> str:
        return subprocess.run([sys.executable, "-c", code, path, *urls], capture_output=True,
                              text=True, check=True).stdout.strip()

    assert run("postgresql+psycopg://ana@srv/bank", "/data/b@k.sqlite") == \
        "postgresql+psycopg://ana@srv/bank False"
    assert run("postgresql+psycopg://ana:secret@srv/bank") == \
        "postgresql+psycopg://ana@srv/bank True"

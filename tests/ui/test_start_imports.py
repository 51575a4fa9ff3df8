"""Start-up is what people feel every morning (issue 15): the modules only some windows or
commands need are imported where they are used, not when the app starts. A new process
imports the app's start module and the main window and says which of them came along."""

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
    "ui.views.training_window",
    "ui.views.attention_view",
)


def test_the_app_starts_without_the_modules_of_other_work() -> None:
    code = ("import sys, ui.app, ui.main_window; "
            f"print([m for m in {NOT_AT_START!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr

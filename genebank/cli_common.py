"""What the ``genebank`` command line's modules share: printing with control characters
escaped, progress on stderr, the words naming each command in a message, and how a
database is named when printed. A module of its own so that :mod:`genebank.cli` and the
command modules it registers (:mod:`genebank.cli_exchange`, :mod:`genebank.cli_demo`)
import it without importing one another."""

from __future__ import annotations

import builtins
import sys

from genebank import connection_urls, db
from genebank.text import terminal_safe

ENV_DATABASE = "GENEBANK_DATABASE_URL"


def print(*values: object, file: object = None, end: str = "\n",
          flush: bool = False) -> None:
    """``print`` with control characters escaped (values come from files and databases)."""
    builtins.print(*(terminal_safe(str(value)) for value in values), file=file, end=end,
                   flush=flush)
# What each command does, as the first words of a message about it.
OPERATIONS = {"demo": "Adding the demo collection", "remove-demo": "Removing the demo records",
              "import-mcpd": "Importing passport data", "import-tests": "Importing tests",
              "backup": "Backing up", "init": "Preparing the database",
              "stats": "Counting the collection", "export-mcpd": "Exporting passport data",
              "import-participants": "Importing participants", "mappings": "Saved mappings",
              "settings": "Changing the collection's settings",
              "history": "Reading the change history", "users": "Managing users",
              "undo-import": "Undoing an import"}


class PrintProgress:
    """Progress on stderr, one line rewritten in place when it is a terminal. It starts at
    the first report of work done: a task announcing itself ("Checking row 0 of 6") is not
    progress, and "0%" as the first line only looks like something is stuck."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last = -1

    def report(self, done: int, total: int, text: str = "") -> None:
        if done <= 0:
            return
        percent = done * 100 // max(total, 1)
        if percent != self._last and (self._tty or percent % 25 == 0):
            self._last = percent
            end = "\r" if self._tty and done < total else "\n"
            print(f"{percent:3d}% {text}", end=end, file=sys.stderr, flush=True)

    def cancelled(self) -> bool:
        return False


def shown_url(url: str) -> str:
    """A URL as it may be printed: a SQLite file by its path, a server URL without password."""
    path = db.sqlite_path(db.normalise_url(url))
    return str(path) if path is not None else connection_urls.shown(url)

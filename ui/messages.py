"""The one way the GUI says what went wrong: :func:`say`.

Every problem the core raises is a :class:`genebank.problems.Coded` (a code and its
parameters); a driver error is first classified by :func:`genebank.driver_errors.classify`,
the same classification the command line prints in English. Here each code is worded from
:data:`WORDS`, one table, through ``QCoreApplication.translate`` (so the translations of a
later issue word them in the user's language); a code not worded here yet keeps the core's
English. Whatever the error, the result is one plain message: never a traceback, SQL or its
values, and "cannot reach the server" only when the server could not be reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from sqlalchemy.exc import DBAPIError

from genebank import driver_errors, problems
from genebank.services.refusals import MESSAGES as REFUSALS

if TYPE_CHECKING:
    from genebank import db


def tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


# Code -> words with ``{name}`` parameters (English until the translations). A key
# "code:variant" words a code whose sense depends on a parameter (see :func:`_key`).
WORDS: dict[str, str] = {
    **REFUSALS,
    "database_busy": "{operation}: the database stayed busy with another workstation's work "
                     "for {seconds} s ({attempts} attempts); nothing was changed. Try again in "
                     "a moment; if it goes on, ask whoever is importing or backing up to "
                     "finish first",
    "read_timed_out": "{operation}: the database did not answer within {seconds} s (the "
                      "server may be slow, or busy with another workstation's work); nothing "
                      "was changed. Try again in a moment",
    # Driver errors, classified by genebank.driver_errors (the operation leads them).
    "database_in_use": "{database} was in use by another program or workstation writing to "
                       "it at the same moment; nothing was changed. Try again in a moment; if "
                       "it goes on, close the other program or wait for the other "
                       "workstation's import or backup to finish",
    "database_disk_full": "the disk holding {database} is full; nothing was changed. Free "
                          "some space on it, then try again",
    "database_io_error": "{database} could not be written or read (a disk or network "
                         "error: {detail}); nothing was changed. Check the disk or "
                         "connection, then try again",
    "database_read_only": "{database} is read-only; Genebank needs to write to it",
    "database_unreadable": "{database} is not a Genebank database or is damaged "
                           "({detail}); nothing was changed. Open your latest backup instead",
    "server_has_no_such_database": "the PostgreSQL server {server} answered, but it has no "
                                   "database named '{name}'; nothing was changed. Check the "
                                   "name, or ask whoever runs the server to create it "
                                   "(createdb {name})",
    "server_unreachable": "cannot reach the PostgreSQL server{at}: {detail}. Nothing was "
                          "changed; check the network and that the server is running, then "
                          "try again",
    "conflicts_with_stored": "the database refused the change as it conflicts with a stored "
                             "record ({detail}); nothing was changed",
    "refused_by_database": "the database refused the change ({detail}); nothing was changed",
    # Refusals to open a database.
    "database_missing": "The database file {path} does not exist; nothing was created.\n\n"
                        "Check the name (a USB stick or network drive may not be connected), "
                        "or create a new database with File > New database.",
    "empty_file": "{path} is empty: it is not a Genebank database. It was not changed.\n\n"
                  "Open another file, or create a new database with File > New database.",
    "foreign_database": "{where} belongs to another program: it holds other tables, not a "
                        "Genebank database. It was not changed.",
    "database_damaged": "{path} is damaged, so Genebank did not open it and did not change "
                        "it.\n\nOpen your latest backup instead. Keep the damaged file: a "
                        "specialist may save more of it with the sqlite3 tool's '.recover' "
                        "command.\n\nSQLite says: {problems}",
    "needs_upgrade:other_owner": "{database} was made for an older version of Genebank and "
                                 "needs upgrading by {owner}, who owns it: ask them to run "
                                 "'genebank upgrade' or to open it in Genebank. You are signed "
                                 "in as {user}; nothing was changed.",
}
_LED_BY_OPERATION = set(driver_errors.TEMPLATES)


def say(error: BaseException, *, operation: str = "",
        database: db.Database | str | None = None) -> str:
    """The one plain message for ``error``, raised while doing ``operation`` (what the user
    did, e.g. "Saving KZ-0001") on ``database`` (a Database or its url, when known)."""
    if isinstance(error, DBAPIError):
        url = database if isinstance(database, str) or database is None else database.url
        error = driver_errors.classify(error, url=url, operation=operation)
    if problems.is_coded(error):
        return _sentence(_worded(error) or str(error))
    if isinstance(error, OSError):
        doing = f"{operation}: " if operation else ""
        where = f"'{error.filename}'" if error.filename else tr("the file")
        return _sentence(tr("{0}cannot write or read {1} ({2}); choose another folder, or free "
                            "some space, and try again").format(
            doing, where, error.strerror or error))
    doing = f" while {operation[:1].lower()}{operation[1:]}" if operation else ""
    details = str(error).splitlines()[0] if str(error) else "no details"
    return _sentence(tr("Something went wrong{0} ({1}: {2}); nothing was changed. Please tell "
                        "whoever supports Genebank what you were doing").format(
        doing, type(error).__name__, details))


def _worded(error: BaseException) -> str | None:
    code: str = error.code  # type: ignore[attr-defined]
    params: dict[str, object] = dict(error.params)  # type: ignore[attr-defined]
    code = _key(code, params)
    words = WORDS.get(code)
    if words is None:
        return None
    if code in _LED_BY_OPERATION and "database" in params:
        params = driver_errors.values(params, the_database=tr("the database"))
    if code == "foreign_database":
        params.setdefault("where", params.get("path") or params.get("database"))
    if code == "database_damaged":
        params["problems"] = "; ".join(map(str, params.get("problems") or []))
    try:
        text = tr(words).format(**params)
    except (KeyError, IndexError, ValueError):
        return None
    lead = params.get("operation") if code in _LED_BY_OPERATION else None
    return f"{lead}: {text}" if lead else text


def _key(code: str, params: dict[str, object]) -> str:
    """The key of :data:`WORDS` for ``code``: a needs-upgrade refusal is worded for the owner
    by the upgrade dialog, another user is told who must upgrade it; a database that could
    not be opened is worded by the driver's fault."""
    if code == "needs_upgrade" and not params.get("is_owner"):
        return "needs_upgrade:other_owner"
    if code == "database_unavailable" and params.get("fault") in _LED_BY_OPERATION:
        return str(params["fault"])  # a database that could not be opened: the fault's words
    return code


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text

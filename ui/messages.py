"""The one way the GUI says what went wrong: :func:`say`.

Every problem the core raises is a :class:`genebank.problems.Coded` (a code and its
parameters); a driver error is first classified by :func:`genebank.driver_errors.classify`,
the same classification the command line prints in English. Each code is worded from its
template, through ``QCoreApplication.translate`` (context ``"Messages"``, so the
translations word it in the user's language): the core's own registered English
(:data:`genebank.problems.TEMPLATES`, one source for the CLI and the GUI), or, for the few
codes the GUI must word differently (naming a menu instead of a command), :data:`WORDS`.
A problem carried as the cause of another (``params["cause"]``) is worded the same way.
:func:`translatable` lists every (context, source text) for the translation files, as the
templates are data that ``lupdate`` cannot find in the code. Whatever the error, the result
is one plain message: never a traceback, SQL or its values, and "cannot reach the server"
only when the server could not be reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale
from sqlalchemy.exc import DBAPIError

from genebank import backup, driver_errors, numbers, problems
from genebank.users.actor import attached

if TYPE_CHECKING:
    from genebank import db


CONTEXT = "Messages"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


# Code -> the GUI's own words with ``{name}`` parameters, only where they must differ from
# the core's English template (a menu named instead of a command, the advice for a damaged
# file). Every other code is worded from genebank.problems.TEMPLATES.
WORDS: dict[str, str] = {
    # Refusals to open a database.
    "database_missing": "The database file {path} does not exist; nothing was created.\n\n"
                        "Check the name (a USB stick or network drive may not be connected), "
                        "or create a new database with File > New database.",
    "empty_file": "{path} is empty: it is not a Genebank database. It was not changed.\n\n"
                  "Open another file, or create a new database with File > New database.",
    "foreign_file": "{path} belongs to another program: it holds other tables, not a "
                    "Genebank database. It was not changed.",
    "foreign_server_database": "{database} belongs to another program: it holds other "
                               "tables, not a Genebank database. It was not changed.",
    "needs_upgrade_by_owner": "{database} was made for an older version of Genebank and "
                              "needs upgrading by {owner}, who owns it: ask them to run "
                              "'genebank upgrade' or to open it in Genebank. You are signed "
                              "in as {user}; nothing was changed.",
    # People: the window's way to sign in, not the command line's --user.
    "sign_in_required": "this database requires signing in: sign in with File > Switch "
                        "user; nothing was changed",
}
# A damaged file, however it was found, is worded the same (the menus' advice).
_DAMAGED = ("database_damaged", "database_damaged_integrity", "damaged_with_duplicates")
WORDS |= dict.fromkeys(_DAMAGED,
                       "{path} is damaged, so Genebank did not open it and did not change "
                       "it.\n\nOpen your latest backup instead. Keep the damaged file: a "
                       "specialist may save more of it with the sqlite3 tool's '.recover' "
                       "command.\n\nSQLite says: {problems}")
WORDS["database_damaged_before_write"] = (
    "{path} is damaged, so nothing was written into it.\n\nOpen your latest backup instead. "
    "Keep the damaged file: a specialist may save more of it with the sqlite3 tool's "
    "'.recover' command.\n\nSQLite says: {problems}")
_LED_BY_OPERATION = set(driver_errors.TEMPLATES)

# The words of the keys a problem names from a fixed set (``{what:word}``,
# ``{choices:keys}``: events, statuses, kinds), each translated in context "Messages".
# tests/ui/test_key_words.py keeps every member of every set worded.
KEY_WORDS: dict[str, str] = {
    # Events whose dates the rules check (genebank.services.refusals.EVENTS).
    "attendance": "attendance", "certificate_issue": "certificate issue",
    "confirmation": "confirmation", "count": "count", "failure": "failure",
    "harvest": "harvest", "sending": "sending", "sowing": "sowing",
    # Course, enrolment and safety-duplicate statuses; genders.
    "planned": "planned", "open": "open", "running": "running", "completed": "completed",
    "cancelled": "cancelled", "nominated": "nominated", "confirmed": "confirmed",
    "attended": "attended", "withdrawn": "withdrawn", "no_show": "no show", "sent": "sent",
    "female": "female", "male": "male", "other": "other", "unstated": "unstated",
    # Storage types and withdrawals from a lot.
    "base": "base", "active": "active", "short_term": "short-term", "field": "field",
    "in_vitro": "in vitro", "cryo": "cryo", "test": "test", "distributed": "distributed",
    "regeneration": "regeneration", "safety_duplicate": "safety duplicate",
    "discarded": "discarded",
    # Why an accession was withdrawn (genebank.models.accession.WITHDRAWAL_REASONS; and
    # "discarded" above).
    "lost": "lost", "dead": "dead", "duplicate": "duplicate", "merged": "merged",
    "split": "split", "transferred": "transferred",
    # Kinds of sheet import (genebank.io.import_kinds.KINDS), as "the {kind} import".
    "passport": "passport", "germination": "germination", "moisture": "moisture",
    "participants": "participants",
    # Rights a refusal names (genebank.users.roles.Right), as "X may not {right}".
    "manage_users": "manage users", "manage_settings": "manage settings",
    "change_passport_data": "change passport data",
    "change_conservation_records": "change conservation records",
    "manage_distribution": "manage distribution", "change_training_records":
    "change training records", "read_personal_data": "read personal data",
    "delete_records": "delete records", "save_import_mappings": "save import mappings",
    # Roles a refusal names (genebank.users.roles.Role), as "that needs the role {roles}".
    "administrator": "administrator", "curator": "curator",
    "seed_laboratory": "seed laboratory", "distribution_officer": "distribution officer",
    "trainer": "trainer", "viewer": "viewer",
}


def _number_words(value: object) -> str:
    """A number a user typed or a file held, in a message: too long to show, it is said by
    its count of digits in the user's language."""
    if numbers.is_huge(value):
        return tr(numbers.HUGE_NUMBER).format(digits=numbers.digits(value))  # type: ignore[arg-type]
    return numbers.shown(value)  # type: ignore[arg-type]


def key_word(key: str) -> str:
    """A key of a fixed set in the user's language (the key itself if it has no word)."""
    words = KEY_WORDS.get(key)
    return tr(words) if words is not None else key


def translatable() -> list[tuple[str, str]]:
    """Every (context, source text) the GUI may pass to :func:`tr` for a problem: the core's
    templates (every module of ``genebank`` imported, so that each has registered its
    own) and :data:`WORDS`, in a stable order. The translation files of the later
    translations issue are written from this list (``lupdate`` cannot see templates kept
    as data); a test keeps it complete."""
    texts = [*dict(sorted(problems.all_templates().items())).values(), *WORDS.values(),
             backup.BackupFailed.lead,  # said before a code's template by its class
             *KEY_WORDS.values(), numbers.HUGE_NUMBER]
    return [(CONTEXT, text) for text in dict.fromkeys(texts)]


def say(error: BaseException, *, operation: str = "",
        database: db.Database | str | None = None) -> str:
    """The one plain message for ``error``, raised while doing ``operation`` (what the user
    did, e.g. "Saving KZ-0001") on ``database`` (a Database or its url, when known)."""
    if isinstance(error, DBAPIError):
        person = None
        if isinstance(database, str) or database is None:
            url = database
        else:  # whoever is connected now: after a sign-in on a server, the person's login
            url = database.connected_url
            actor = attached(database.session_factory)
            person = actor.name if actor is not None else None
        error = driver_errors.classify(error, url=url, operation=operation, person=person)
    if problems.is_coded(error):
        return _sentence(_worded(error) or str(error), keep=_names(error))
    if isinstance(error, OSError):
        doing = f"{operation}: " if operation else ""
        where = f"'{error.filename}'" if error.filename else tr("the file")
        return _sentence(tr("{0}cannot write or read {1} ({2}); choose another folder, or free "
                            "some space, and try again").format(
            doing, where, error.strerror or error))
    # The operation leads, as in "{0}: cancelled": a window title ("Void a test") put
    # inside an English sentence read "while void a test", and cannot be translated so.
    doing = f"{operation}: " if operation else ""
    details = str(error).splitlines()[0] if str(error) else "no details"
    return _sentence(tr("{0}something went wrong ({1}: {2}); nothing was changed. Please tell "
                        "whoever supports Genebank what you were doing").format(
        doing, type(error).__name__, details))


# Refusals the same action meets again however often it is tried: who the person is, or
# is not, decides, not a passing state (a lock, a lost connection, a value to fix).
FINAL = frozenset({"not_allowed", "signed_in_person_disabled", "sign_in_required"})


def retry_helps(error: BaseException) -> bool:
    """Whether trying the same action again may succeed: never after a refusal in
    :data:`FINAL` (the window must not say "try again" for those)."""
    return not (problems.is_coded(error)
                and error.code in FINAL)  # type: ignore[attr-defined]


def problem_text(problem: object) -> str:
    """The words of a problem an import preview found (``genebank.mcpd.Problem``, or one
    located in the file): from its ``code`` and ``params`` in the user's language when it
    has them, else its English ``message``."""
    code = getattr(problem, "code", None)
    if code:
        worded = _words_for(code, dict(getattr(problem, "params", None) or {}))
        if worded is not None:
            return worded
    return str(getattr(problem, "message", problem))


def _worded(error: BaseException) -> str | None:
    code: str = error.code  # type: ignore[attr-defined]
    params: dict[str, object] = dict(error.params)  # type: ignore[attr-defined]
    key = _key(code, params)
    # A class may say its code's template after words of its own (BackupFailed: "backup not
    # made: " before a file writer's problem): those are worded too.
    lead = getattr(error, "lead", "")
    if not isinstance(lead, str) or not str(error).startswith(lead):
        lead = ""
    if key not in WORDS and key not in _LED_BY_OPERATION \
            and lead + (problems.english(code, params) or "") != str(error):
        return None  # its English was not made from the template alone: wording the
        # template would lose the rest
    words = _words_for(code, params)
    return tr(lead) + words if lead and words is not None else words


def _words_for(code: str, params: dict[str, object]) -> str | None:
    """``code`` with ``params`` in the user's language, or None when no template fits."""
    code = _key(code, params)
    words = WORDS.get(code) or problems.TEMPLATES.get(code)
    if words is None:
        return None
    cause = params.get("cause")
    if isinstance(cause, dict):  # the problem this one wraps, worded in its own right
        inner = _words_for(str(cause.get("code")), dict(cause.get("params") or {}))
        if inner is not None:
            params["reason"] = inner
    if code in _LED_BY_OPERATION and "database" in params:
        params = driver_errors.values(params, the_database=tr("the database"))
    if code in (*_DAMAGED, "database_damaged_before_write"):
        params["problems"] = "; ".join(map(str, params.get("problems") or []))
    try:
        text = problems.fill(tr(words), params, month_name=_month_name, word=key_word,
                             key=key_word, number=_number_words, problem=_cause_words)
    except (KeyError, IndexError, ValueError):
        return None
    lead = params.get("operation") if code in _LED_BY_OPERATION else None
    return f"{lead}: {text}" if lead else text


def _cause_words(code: str, params: dict[str, object]) -> str:
    """The words of a wrapped problem (``{cause:problem}``): the user's language when a
    template fits, else its English."""
    words = _words_for(code, dict(params))
    return words if words is not None else problems.english_problem(code, params)


def _month_name(month: int) -> str:
    """A month's name in the user's language, as it stands alone ("February 2026")."""
    return QLocale().standaloneMonthName(month)


def _key(code: str, params: dict[str, object]) -> str:
    """The key of :data:`WORDS` for ``code``: a database that could not be opened is worded
    by the driver's fault."""
    if code == "database_unavailable" and params.get("fault") in _LED_BY_OPERATION:
        return str(params["fault"])  # a database that could not be opened: the fault's words
    return code


# The parameters that hold a person's name as they spelt it: a sentence that starts with one
# keeps it as it is ("moussa may not…": "Moussa" would read as another person).
_NAMES = ("user", "person")


def _names(error: BaseException | None) -> list[str]:
    """The people's names ``error`` carries (a coded problem's ``user``)."""
    if error is None or not problems.is_coded(error):
        return []
    params = error.params  # type: ignore[attr-defined]
    return [str(value) for key, value in params.items() if key in _NAMES and value]


def led_by_name(text: str, error: BaseException | None) -> bool:
    """Whether ``text`` (``error``'s words) starts with a person's name: its first letter
    is theirs, neither capitalised nor lowered."""
    return any(text.startswith(name) for name in _names(error))


def _sentence(text: str, *, keep: list[str] | tuple[str, ...] = ()) -> str:
    """``text`` as a sentence: its first letter capitalised, unless it starts with one of
    the names in ``keep`` (a user's name is spelt as they chose)."""
    text = text.strip()
    if any(name and text.startswith(name) for name in keep):
        return text
    return text[:1].upper() + text[1:] if text else text

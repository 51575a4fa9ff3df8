"""The one type of every refusal or problem the core raises for a user: :class:`Coded`.

A problem is a ``code`` (a short stable string such as ``"disk_full"``) and its ``params``
(the values that made it: the file, the row, the database shown without its password); its
``str()`` is English, for the CLI and the logs, built from the template registered for the
code in :data:`TEMPLATES` (or given by the raiser). The GUI words the code and parameters in
its own table (``ui/messages.py``), so that the translations can say each one in the user's
language without parsing English sentences. ``tests/test_architecture.py`` keeps every
exception class defined under ``genebank/`` a :class:`Coded` (bar a few internal signals), and
every raise of one names a registered code with params that fill its template.

Params hold the values, not their English: numbers as ``int``/``float``, dates as
``datetime.date`` (``str.format`` writes them ISO, ``YYYY-MM-DD``, in the English; a screen
formats them for the user's locale), names and numbers of records as given. A template may
give a format spec (``{count:,}``, ``{value:g}``) for the English; the GUI's wording of the
same code can drop it. A month is its number with the spec ``:month`` (``{month:month}
{year}``): the English names it from :data:`MONTHS`, a screen in the user's language (see
:func:`fill`). A value from a fixed set of words (an event, a status) is its key, with the
spec ``:word`` (the English is the key, "_" read as a space: ``certificate_issue`` is
"certificate issue"); a list of keys a user may type is a tuple with the spec ``:keys`` (the
English lists the keys as typed). A screen words each key from its own table. A refusal
that wraps another problem carries it with :func:`because` (``reason`` in English,
``cause`` as code + params), or with :func:`cause` alone when its template says the cause
itself: ``{cause:problem}`` is the wrapped problem's words (``{cause:sentence}`` the same
with a capital first letter), English here and the user's language on a screen.

This module imports nothing of Genebank or SQLAlchemy: any module may raise a problem.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Callable, Mapping

# Code -> English template with ``{name}`` fields taken from the params. Modules add theirs
# with :func:`register` (the refusal rules, the file writers, the database errors...).
TEMPLATES: dict[str, str] = {}


def register(templates: dict[str, str]) -> dict[str, str]:
    """Add ``templates`` (code -> English) to :data:`TEMPLATES`; returns them, so a module
    can keep its own name for its table. A code means one thing: registering it again with
    other words is a mistake caught here."""
    for code, words in templates.items():
        known = TEMPLATES.setdefault(code, words)
        if known != words:
            raise ValueError(f"problem code {code!r} registered twice with different words")
    return templates


def all_templates() -> dict[str, str]:
    """Every registered template: each module of the ``genebank`` package is imported first,
    as a module registers its codes when it is imported (for the translation files and the
    tests that keep every raise site's code registered)."""
    import genebank

    global _everything_imported
    for module in pkgutil.walk_packages(genebank.__path__, "genebank."):
        importlib.import_module(module.name)
    _everything_imported = True
    return dict(TEMPLATES)


_everything_imported = False  # whether all_templates() has imported every module


def template(code: str) -> str | None:
    """The English template of ``code``, or None when no module registers it. A code is
    registered by the module that raises it, when that module is imported; a caller may
    build another module's problem before that happens (``Refused("course_full", ...)``
    from a script), so an unknown code first has every module of ``genebank`` imported."""
    words = TEMPLATES.get(code)
    if words is None and not _everything_imported:
        all_templates()
        words = TEMPLATES.get(code)
    return words


# The English month names a template's ``{month:month}`` says (never the C library's locale).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


class _Formatter(string.Formatter):
    """``str.format`` plus the specs ``month`` (month number -> its name), ``word`` (a key
    of a fixed set -> its word), ``keys`` (keys a user may type -> their list), ``number``
    and ``problem``/``sentence`` (a wrapped problem's code and params -> its words)."""

    def __init__(self, month_name: Callable[[int], str], word: Callable[[str], str],
                 key: Callable[[str], str], number: Callable[[object], str],
                 problem: Callable[[str, dict[str, object]], str]) -> None:
        self.month_name, self.word, self.key, self.number = month_name, word, key, number
        self.problem = problem

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec in {"problem", "sentence"} and isinstance(value, Mapping) \
                and isinstance(value.get("code"), str):
            text = self.problem(str(value["code"]), dict(value.get("params") or {}))
            return text[:1].upper() + text[1:] if format_spec == "sentence" else text
        if format_spec == "month" and isinstance(value, int) and 1 <= value <= 12:
            return self.month_name(value)
        if format_spec == "word" and isinstance(value, str):
            return self.word(value)
        if format_spec == "number" and isinstance(value, int | float) \
                and not isinstance(value, bool):
            return self.number(value)
        if format_spec == "keys" and isinstance(value, list | tuple):
            return ", ".join(self.key(str(item)) for item in value)
        return super().format_field(value, format_spec)


def english_month(month: int) -> str:
    return MONTHS[month - 1]


def english_word(key: str) -> str:
    """A key's English word: the key, "_" read as a space."""
    return key.replace("_", " ")


# How the English writes a number a user typed or a file held (``{value:number}``): the
# number module registers its own (exact when short, else in exponent form, or the count of
# its digits), so that params keep the number itself.
_english_number: list[Callable[[object], str]] = [str]


def register_number_english(shown: Callable[[object], str]) -> None:
    _english_number[0] = shown


# Code -> how its params are made ready for its English template, for problems whose
# English is not their params filled in as they are (a driver error quotes its database).
_PREPARED: dict[str, Callable[[dict[str, object]], dict[str, object]]] = {}


def register_params(codes: Mapping[str, str],
                    prepare: Callable[[dict[str, object]], dict[str, object]]) -> None:
    """Have ``prepare`` make the params of each of ``codes`` ready for its English when it
    is the cause of another problem (``{cause:problem}``)."""
    for code in codes:
        _PREPARED[code] = prepare


def english_problem(code: str, params: dict[str, object]) -> str:
    """A wrapped problem's English (``{cause:problem}``): its template filled, or its code
    when it has none that its params fill."""
    prepared = _PREPARED.get(code, dict)(params)
    return english(code, prepared) or code.replace("_", " ")


def fill(template: str, params: Mapping[str, object],
         month_name: Callable[[int], str] = english_month,
         word: Callable[[str], str] = english_word,
         key: Callable[[str], str] = str,
         number: Callable[[object], str] | None = None,
         problem: Callable[[str, dict[str, object]], str] = english_problem) -> str:
    """``template`` filled with ``params`` as ``str.format`` does; ``{month:month}``,
    ``{what:word}``, ``{choices:keys}``, ``{value:number}`` and ``{cause:problem}`` fields
    are worded by ``month_name``, ``word``, ``key``, ``number`` and ``problem`` (English,
    unless a screen gives its language's words). Raises what ``str.format`` raises
    (KeyError, IndexError, ValueError) when they do not fit."""
    return _Formatter(month_name, word, key, number or _english_number[0],
                      problem).vformat(template, (), dict(params))


def fields(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def english(code: str, params: dict[str, object]) -> str | None:
    """The registered English for ``code`` with ``params``, or None when there is none or
    the params do not fill it."""
    words = template(code)
    if words is None:
        return None
    try:
        return fill(words, params)
    except (KeyError, IndexError, ValueError):
        return None


def registered_english(code: str, params: Mapping[str, object]) -> str:
    """The English of a registered ``code``; a code without a template, or params that do
    not fill it, is a mistake in Genebank, said at once rather than shown as a bare code."""
    words = english(code, dict(params))
    if words is None:
        raise KeyError(f"problem code {code!r} is not registered or its params do not fill it")
    return words


class Coded(Exception):
    """A refusal or problem for the user: ``code`` (str), ``params`` (dict) and English.

    ``Coded(code=..., params=...)`` builds its English from :data:`TEMPLATES`;
    ``Coded("English", code=..., params=...)`` keeps the English given (for messages whose
    wording depends on more than a template can say). A subclass may set ``code`` as a
    class attribute and set ``self.params`` before calling ``super().__init__``."""

    code: str = "problem"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 params: dict[str, object] | None = None) -> None:
        if code is not None:
            self.code = code
        if params is not None or "params" not in self.__dict__:
            self.params: dict[str, object] = dict(params or {})
        if message is None:
            message = english(self.code, self.params) or self.code.replace("_", " ")
        super().__init__(message)


def because(error: BaseException | None) -> dict[str, object]:
    """The params that carry ``error`` as the reason of another problem: ``reason`` its
    English (for the outer template) and ``cause`` its code and params, which the GUI words
    in the user's language instead (``ui/messages.py``). For a refusal that wraps another,
    e.g. "host institute code: <why the code is not valid>"."""
    if error is None:
        return {"reason": ""}
    if is_coded(error):
        inner = {"code": error.code, "params": dict(error.params)}  # type: ignore[attr-defined]
        return {"reason": str(error), "cause": inner}
    return {"reason": str(error)}


def cause(error: BaseException) -> dict[str, object]:
    """The params that carry a coded ``error`` as the cause of another problem whose
    template says it with ``{cause:problem}``: its code and params only, no English."""
    return {"cause": {"code": error.code,  # type: ignore[attr-defined]
                      "params": dict(error.params)}}  # type: ignore[attr-defined]


def is_coded(error: BaseException) -> bool:
    """Whether ``error`` is a problem worded from its code and parameters: a :class:`Coded`,
    or any exception with a ``code`` str and ``params`` dict that is not SQLAlchemy's (whose
    ``code`` is a link to its documentation and ``params`` the statement's values)."""
    if isinstance(error, Coded):
        return True
    if type(error).__module__.startswith("sqlalchemy"):
        return False
    return isinstance(getattr(error, "code", None), str) \
        and isinstance(getattr(error, "params", None), dict)

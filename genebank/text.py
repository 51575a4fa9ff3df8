"""Text as it comes in from people and files: one form, no hidden controls, within its size.

Every text a form, an import or the command line stores goes through :func:`clean_text`:

* it is NFC-normalised, so that "é" typed as one character and as "e" plus an accent are the
  same text (searches, duplicate checks and identities compare like with like);
* C0 and C1 control characters, DEL and the bidirectional embedding, override and isolate
  controls (U+202A-U+202E, U+2066-U+2069, which can make "KZ-001" display as something
  else) are refused in identifiers (accession numbers, institute codes, lot numbers, codes)
  and removed, with a warning, elsewhere; tabs and line breaks stay in multi-line fields
  (remarks, notes). The joiners and marks Persian and Arabic spelling needs (ZWNJ U+200C,
  ZWJ U+200D, LRM U+200E, RLM U+200F) stay;
* its length is checked against the database column's own size (:func:`limit_of` reads it
  from the model's ``String(n)``, so the limit is written once), before the database sees it:
  PostgreSQL refuses a longer value with a driver error, SQLite stores it whole.

Problems are codes with parameters (:data:`MESSAGES`); ``message`` is the English wording.
:func:`terminal_safe` escapes what the command line prints. Services raise
``services.text_fields.TextRefused`` for a refused value.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import InstrumentedAttribute

from genebank import problems


class TextKind(StrEnum):
    IDENTIFIER = "identifier"  # refused when it holds a control character
    LINE = "line"  # one line: controls (tabs and line breaks too) removed with a warning
    LINES = "lines"  # several lines: tabs and line breaks kept, other controls removed


# C0 but tab, line feed and carriage return; DEL and C1; bidirectional embeddings,
# overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[ ]*[\t\n\r]+[ ]*")
_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_PRINTED_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

MESSAGES: dict[str, str] = {
    "control_refused": "{label}: holds an invisible control character ({character}) at "
                       "position {position}; retype the value",
    "controls_removed": "{label}: {count} invisible control character(s) removed "
                        "({characters})",
    "too_long": "{label}: too long: {length:,} characters, at most {limit:,}",
}
problems.register(MESSAGES)  # one meaning per code, across the core


@dataclass(frozen=True, slots=True)
class TextProblem:
    """One problem of one value: ``code`` a key of :data:`MESSAGES`, with its ``params``
    (``field`` the field's name, ``label`` its words); an error refuses the value, a
    warning says what was changed."""

    code: str
    params: dict[str, object]
    error: bool

    @property
    def field(self) -> str:
        return str(self.params["field"])

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    problems: tuple[TextProblem, ...] = ()

    @property
    def errors(self) -> list[TextProblem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[TextProblem]:
        return [p for p in self.problems if not p.error]


def codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def clean_text(value: str, *, field: str, label: str | None = None,
               kind: TextKind = TextKind.LINE, limit: int | None = None) -> CleanText:
    """``value`` normalised and cleaned as described above; its problems coded."""
    label = label or field
    text = unicodedata.normalize("NFC", value) if not value.isascii() else value
    if kind is TextKind.IDENTIFIER:  # a line break after it (a pasted cell) is no part of it
        text = text.strip(" \t\n\r")
    problems: list[TextProblem] = []
    pattern = _CONTROL if kind is TextKind.LINES else _LINE_CONTROL
    if not text.isprintable() and pattern.search(text):
        if kind is TextKind.IDENTIFIER:
            found = pattern.search(text)
            assert found is not None
            problems.append(TextProblem("control_refused", {
                "field": field, "label": label, "character": codepoint(found.group()),
                "position": found.start() + 1}, error=True))
        else:
            removed = _CONTROL.findall(text)
            text = _CONTROL.sub("", text)
            if kind is TextKind.LINE:  # one line: tabs and line breaks become one space
                text = _BREAKS.sub(" ", text)
            if removed:
                shown = ", ".join(sorted({codepoint(c) for c in removed}))
                problems.append(TextProblem("controls_removed", {
                    "field": field, "label": label, "count": len(removed),
                    "characters": shown}, error=False))
    if limit is not None and len(text) > limit:
        problems.append(TextProblem("too_long", {"field": field, "label": label,
                                                 "length": len(text), "limit": limit},
                                    error=True))
    return CleanText(text, tuple(problems))


def limit_of(column: InstrumentedAttribute[object]) -> int | None:
    """The size of a model's text column (``String(200)`` -> 200; None for ``Text``)."""
    columns = getattr(column.property, "columns", None)  # None: a relationship
    kind = columns[0].type if columns else None
    return kind.length if isinstance(kind, String) else None


# The longest text of a passport descriptor whose column has no size of its own (``Text``),
# or whose values are kept in rows of their own (names, other numbers): a bound on what a
# person means, not the database's.
PASSPORT_TEXT_LIMITS = {"COLLSITE": 2000, "ANCEST": 2000, "REMARKS": 4000,
                        "COLLNAME": 2000, "COLLINSTADDRESS": 2000, "BREDNAME": 2000,
                        "DUPLINSTNAME": 2000, "ACCENAME": 2000, "OTHERNUMB": 2000}
PASSPORT_DEFAULT_LIMIT = 200


@functools.cache
def passport_limits() -> dict[str, int]:
    """The longest text each MCPD descriptor takes: for free text, the ``String(n)`` of its
    column (on the accession or its taxon), else :data:`PASSPORT_TEXT_LIMITS`; for values
    read into a canonical form (dates, codes, coordinates), :data:`PASSPORT_DEFAULT_LIMIT`
    as typed, since their parser makes what is stored fit."""
    from genebank import mcpd
    from genebank.mcpd.descriptors import Kind
    from genebank.models import Accession, Taxon

    limits = {}
    for descriptor in mcpd.DESCRIPTORS:
        code = descriptor.code
        size = None
        if descriptor.kind in (Kind.TEXT, Kind.INSTCODE):
            for model in (Accession, Taxon):
                column = getattr(model, code.lower(), None)
                if isinstance(column, InstrumentedAttribute):
                    size = limit_of(column)
                    break
        limits[code] = size or PASSPORT_TEXT_LIMITS.get(code, PASSPORT_DEFAULT_LIMIT)
    return limits


@functools.cache
def _item_limits() -> dict[str, tuple[int, int | None]]:
    """Multi-valued descriptors stored one item per row: (the item's limit, the limit of
    an ``INSTCODE:`` prefix) from the child tables' columns."""
    from genebank.models.accession import AccessionName, AccessionOtherNumber

    return {"ACCENAME": (limit_of(AccessionName.name) or PASSPORT_DEFAULT_LIMIT, None),
            "OTHERNUMB": (limit_of(AccessionOtherNumber.number) or PASSPORT_DEFAULT_LIMIT,
                          limit_of(AccessionOtherNumber.instcode))}


def long_item(code: str, items: list[str]) -> tuple[str, int] | None:
    """The first item of a multi-valued descriptor (names, other numbers) longer than the
    column that stores each item, with that column's limit; None if all fit. The cell as a
    whole may be longer: each item is its own row."""
    limits = _item_limits().get(code)
    if limits is None:
        return None
    item_limit, prefix_limit = limits
    for item in items:
        prefix, _colon, rest = item.partition(":") if prefix_limit else ("", "", item)
        if prefix_limit and len(prefix) > prefix_limit:
            return prefix, prefix_limit
        if len(rest) > item_limit:
            return rest, item_limit
    return None


def terminal_safe(text: str) -> str:
    """``text`` with control characters (all but the line feed) escaped as ``\\x07`` or
    ``\\u202e``, for printing to a terminal."""
    if text.isprintable():
        return text
    return _PRINTED_CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

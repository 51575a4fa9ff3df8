"""The kinds of sheet import (passport data, germination and moisture tests, participant
lists) seen from their columns: the fields each kind can fill, how headings are matched
automatically, which headings a sheet of that kind must have, and how a person's own
choices ("this heading holds that field") are laid over the automatic match.

One place for these, so that the command line (``--map``, ``--mapping``), the wizards'
saved mappings and the choice of a workbook's sheet apply one rule for every kind. The
headings are matched by the one matcher, :mod:`genebank.io.headings`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from genebank import problems
from genebank.io import headings
from genebank.io.spreadsheet import column_letter
from genebank.problems import Coded

PASSPORT, GERMINATION, MOISTURE, PARTICIPANTS = headings.KINDS
KINDS = headings.KINDS

problems.register({
    "mapping_unknown_kind": "'{kind}' is not a kind of import (the kinds are: {kinds})",
    "mapping_unknown_field": "'{field}' is not a field of the {kind:word} import (its "
                             "fields: {fields})",
    "mapping_heading_not_in_sheet": "'{heading}' is not a heading of sheet '{sheet}' (its "
                                    "headings: {headings})",
    "mapping_heading_twice": "'{heading}' heads more than one column of sheet '{sheet}' "
                             "({columns}); give each column its own heading",
    "mapping_field_twice": "{field} is given to two headings, '{first}' and '{second}'; a "
                           "field comes from one column",
    "mapping_bad_choice": "'{text}' is not HEADING=FIELD (e.g. \"Accession no.=ACCENUMB\", "
                          "or \"Notes=\" to leave a column out)",
})


class MappingRefused(Coded):
    """A mapping (typed on the command line, saved, or read from a file) that cannot be
    used: an unknown kind or field, a heading the sheet lacks or holds twice."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code=code, params=params)


def checked_kind(kind: str) -> str:
    """``kind`` if it is one of :data:`KINDS`, else refused."""
    if kind not in KINDS:
        raise MappingRefused("mapping_unknown_kind", kind=kind, kinds=", ".join(KINDS))
    return kind


def fields(kind: str) -> dict[str, str]:
    """The fields a column of a ``kind`` sheet can fill: code -> label, in the order a
    person meets them (the MCPD order for passport data)."""
    return {f.code: f.label for f in headings.table(checked_kind(kind)).fields}


def field_code(kind: str, typed: str) -> str:
    """The field ``typed`` names (in any case: ``accenumb`` is ACCENUMB, ``FULL_NAME``
    is full_name); refused when ``kind`` has no such field."""
    known = fields(kind)
    wanted = typed.strip().casefold()
    for code in known:
        if code.casefold() == wanted:
            return code
    raise MappingRefused("mapping_unknown_field", field=typed.strip(), kind=kind,
                         fields=", ".join(known))


def suggest(kind: str, headers: Sequence[object]) -> dict[int, str]:
    """The automatic match: column index (0-based) -> field, each field used once."""
    return headings.suggest_mapping(list(headers), checked_kind(kind))


def header_index(kind: str, rows: Sequence[list[object]]) -> int:
    """Which of ``rows`` holds the headings: title rows above them are skipped."""
    return headings.find_header_row(list(rows), checked_kind(kind))


def ways_to_qualify(kind: str) -> list[tuple[str, ...]]:
    """The sets of fields a ``kind`` sheet must have, any one will do: its required fields,
    with a field that others may stand in for (a participant's full name, or a first and a
    last name) replaced by them in a second way (from the one field table,
    :func:`genebank.io.headings.table`)."""
    table = headings.table(checked_kind(kind))
    required = tuple(f.code for f in table.fields if f.required)
    ways = [required]
    for code, parts in table.either.items():
        if code in required:
            ways.append(tuple(c for c in required if c != code) + parts)
    return ways


def qualifies(kind: str, mapping: Mapping[int, str]) -> bool:
    """Whether a sheet mapped so has the headings ``kind`` needs (a passport sheet its
    INSTCODE and ACCENUMB, a participant list a name...)."""
    return not headings.table(checked_kind(kind)).missing(mapping.values())


def required_text(kind: str) -> str:
    """The headings ``kind`` needs, in English for the command line: "INSTCODE and
    ACCENUMB", "full_name, or first_name and last_name"."""
    def joined(codes: tuple[str, ...]) -> str:
        return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]
    return ", or ".join(joined(way) for way in ways_to_qualify(kind))


def _nfc(heading: object) -> str:
    """A heading in composed Unicode: "Numéro" typed on macOS (e + U+0301) or saved by
    Excel for Mac is the same heading as Windows' "Numéro"."""
    return unicodedata.normalize("NFC", str(heading or ""))


def _key(heading: object) -> str:
    return " ".join(re.sub(r"\s+", " ", _nfc(heading)).split()).casefold()


def columns_headed(headers: Sequence[object], heading: str) -> list[int]:
    """The columns ``heading`` names: those whose heading is the same text (compared in
    composed Unicode, NFC), else those whose heading differs only in case and spaces."""
    exact = [i for i, h in enumerate(headers)
             if h is not None and _nfc(h).strip() == _nfc(heading).strip()]
    if exact:
        return exact
    key = _key(heading)
    return [i for i, h in enumerate(headers) if key and _key(h) == key]


@dataclass(frozen=True, slots=True)
class Applied:
    """A mapping with a person's choices laid over it."""

    mapping: dict[int, str]  # column index -> field
    absent: tuple[str, ...]  # headings chosen for that the sheet does not have
    displaced: tuple[tuple[int, str], ...]  # (column, field) the automatic match gave up


def apply_choices(headers: Sequence[object], mapping: Mapping[int, str],
                  choices: Mapping[str, str | None], *, sheet: str = "") -> Applied:
    """Lay ``choices`` (heading -> field, None for "not imported") over ``mapping``: the
    column each heading names takes its field, and another column the match had given that
    field loses it (a field comes from one column). A heading the sheet holds twice is
    refused (which column would it be?); one it lacks is listed in ``absent`` for the
    caller to refuse or to tell."""
    result = dict(mapping)
    absent: list[str] = []
    displaced: list[tuple[int, str]] = []
    placed: dict[int, str] = {}
    for heading, field in choices.items():
        columns = columns_headed(headers, heading)
        if not columns:
            absent.append(heading)
            continue
        if len(columns) > 1:
            raise MappingRefused("mapping_heading_twice", heading=heading, sheet=sheet,
                                 columns=", ".join(column_letter(i + 1) for i in columns))
        if field and field in placed.values():
            first = next(h for h, f in choices.items() if f == field)
            raise MappingRefused("mapping_field_twice", field=field, first=first,
                                 second=heading)
        placed[columns[0]] = field or ""
    for column, field in placed.items():
        if field:
            for other, given in list(result.items()):
                if given == field and other != column and other not in placed:
                    del result[other]
                    displaced.append((other, field))
            result[column] = field
        else:
            result.pop(column, None)
    return Applied(dict(sorted(result.items())), tuple(absent), tuple(displaced))


def parse_choice(kind: str, text: str) -> tuple[str, str | None]:
    """``"HEADING=FIELD"`` as typed on the command line -> (heading, field code, or None
    for ``"HEADING="``: the column is not imported). The last '=' splits, so a heading may
    hold one."""
    heading, equals, field = text.rpartition("=")
    if not equals or not heading.strip():
        raise MappingRefused("mapping_bad_choice", text=text)
    return heading.strip(), field_code(kind, field) if field.strip() else None


def headings_text(headers: Sequence[object]) -> str:
    """A sheet's headings as a refusal lists them (the first 20)."""
    named = [str(h).strip() for h in headers if h is not None and str(h).strip()]
    return ", ".join(f"'{h}'" for h in named[:20]) + (", …" if len(named) > 20 else "")


def choices_of(headers: Sequence[object], mapping: Mapping[int, str]) -> dict[str, str | None]:
    """A sheet's matching as choices to save: each heading (that heads one column only)
    with its field, or None when its column is not imported."""
    named = [str(h).strip() if h is not None else "" for h in headers]
    return {heading: mapping.get(index) for index, heading in enumerate(named)
            if heading and named.count(heading) == 1}

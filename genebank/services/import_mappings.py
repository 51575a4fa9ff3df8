"""Column mappings saved by name in the database, per kind of sheet import (passport data,
germination or moisture tests, participant lists), so that every workstation has them;
exported to and imported from a JSON file (:mod:`genebank.io.mapping_file`).

A mapping is ``{heading: field}`` (``None``: the column is not imported), with the date
order chosen with it (``dates``: "dmy", "mdy" or None). The JSON column holds
``{heading: field}`` alone when no date order was chosen (as every mapping saved before),
else ``{"columns": {heading: field}, "dates": "dmy"}``: a field is never an object, so the
two read apart without a migration. A name is one per
kind, whatever its case: saving under a name in use replaces that mapping. Every function
works in the caller's transaction and returns plain results (:class:`SavedMapping`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from genebank import problems
from genebank.io import import_kinds, mapping_file
from genebank.io.mapping_file import MappingData
from genebank.models import ImportMapping
from genebank.services.errors import NotFound
from genebank.services.refusals import Refused
from genebank.services.text_fields import checked_text
from genebank.text import TextKind
from genebank.users.actor import everyone, requires
from genebank.users.roles import Right

NAME_LIMIT = 100  # ImportMapping.name
HEADING_LIMIT = 1000  # far longer than any heading; a mapping stays a short record

problems.register({
    "mapping_not_found": "no mapping named '{name}' is saved for the {kind:word} import",
    "mapping_not_found_any": "no saved mapping is named '{name}'",
    "mapping_name_in_kinds": "mappings named '{name}' are saved for several imports "
                             "({kinds}); say which kind of import",
    "mapping_name_empty": "give the mapping a name",
    "mapping_heading_empty": "a heading of the mapping is empty",
    "mapping_heading_too_long": "a heading of the mapping is {length:,} characters long, "
                                "more than {limit:,}",
    "mapping_empty": "the mapping '{name}' gives no column a field",
    "mapping_dates_unknown": "'{dates}' is no date order (dmy: day first, mdy: month "
                             "first)",
})


@dataclass(frozen=True, slots=True)
class SavedMapping:
    """A mapping as saved: which field each heading holds (None: not imported)."""

    id: int
    kind: str
    name: str
    columns: dict[str, str | None]
    updated_by: str
    updated_at: dt.datetime
    dates: str | None = None  # the date order chosen with it: "dmy", "mdy" or None

    def data(self) -> MappingData:
        return MappingData(self.name, self.kind, dict(self.columns), self.dates)


def _plain(row: ImportMapping) -> SavedMapping:
    stored = json.loads(row.columns)
    dates = None
    if isinstance(stored.get("columns"), dict):  # with its options (a field is no object)
        stored, dates = stored["columns"], stored.get("dates")
    return SavedMapping(row.id, row.kind, row.name, stored, row.updated_by, row.updated_at,
                        dates)


def _rows(session: Session, kinds: Sequence[str] | None = None) -> list[ImportMapping]:
    query = select(ImportMapping).order_by(ImportMapping.kind, ImportMapping.name)
    if kinds is not None:
        query = query.where(ImportMapping.kind.in_(kinds))
    return list(session.scalars(query))


@everyone
def list_mappings(session: Session, *, kind: str | None = None) -> list[SavedMapping]:
    """The saved mappings (of ``kind``, or all), by kind then name."""
    kinds = None if kind is None else [import_kinds.checked_kind(kind)]
    return sorted((_plain(row) for row in _rows(session, kinds)),
                  key=lambda m: (m.kind, m.name.casefold()))


@everyone
def named(session: Session, name: str, *, kinds: Sequence[str] = import_kinds.KINDS) \
        -> list[SavedMapping]:
    """The mappings of ``kinds`` named ``name`` (in any case): one per kind at most."""
    wanted = name.strip().casefold()
    return [_plain(row) for row in _rows(session, kinds) if row.name.casefold() == wanted]


@everyone
def get_mapping(session: Session, *, kind: str, name: str) -> SavedMapping:
    """The mapping of ``kind`` named ``name``; :class:`NotFound` when there is none."""
    found = named(session, name, kinds=[import_kinds.checked_kind(kind)])
    if not found:
        raise NotFound(code="mapping_not_found", params={"name": name.strip(), "kind": kind})
    return found[0]


def checked_columns(kind: str, columns: Mapping[str, str | None]) -> dict[str, str | None]:
    """``columns`` with each heading trimmed and each field in its code's own spelling;
    refused for an empty or overlong heading, an unknown field, or a field given twice."""
    checked: dict[str, str | None] = {}
    for heading, field in columns.items():
        text = str(heading).strip()
        if not text:
            raise Refused("mapping_heading_empty")
        if len(text) > HEADING_LIMIT:
            raise Refused("mapping_heading_too_long", length=len(text), limit=HEADING_LIMIT)
        code = import_kinds.field_code(kind, field) if field else None
        if code is not None and code in checked.values():
            first = next(h for h, f in checked.items() if f == code)
            raise import_kinds.MappingRefused("mapping_field_twice", field=code, first=first,
                                              second=text)
        checked[text] = code
    return checked


@requires(Right.SAVE_IMPORT_MAPPINGS)
def save_mapping(session: Session, *, kind: str, name: str,
                 columns: Mapping[str, str | None], dates: str | None = None) -> SavedMapping:
    """Save ``columns`` as the mapping ``name`` of ``kind``, replacing one of that name;
    ``dates`` is the date order chosen with it ("dmy", "mdy"), kept so that the next sheet
    of the same shape reads its dates the same way."""
    kind = import_kinds.checked_kind(kind)
    text = checked_text(name, field="name", label="mapping name", kind=TextKind.IDENTIFIER,
                        limit=NAME_LIMIT).strip()
    if not text:
        raise Refused("mapping_name_empty")
    checked = checked_columns(kind, columns)
    if not any(checked.values()):
        raise Refused("mapping_empty", name=text)
    if dates is not None and dates not in mapping_file.DATE_ORDERS:
        raise Refused("mapping_dates_unknown", dates=dates)
    stored = json.dumps(checked if dates is None else {"columns": checked, "dates": dates},
                        ensure_ascii=False)
    same = [row for row in _rows(session, [kind]) if row.name.casefold() == text.casefold()]
    if same:
        row = same[0]
        row.name, row.columns = text, stored
    else:
        row = ImportMapping(kind=kind, name=text, columns=stored)
        session.add(row)
    session.flush()
    return _plain(row)


@requires(Right.SAVE_IMPORT_MAPPINGS)
def delete_mapping(session: Session, *, name: str, kind: str | None = None) -> SavedMapping:
    """Delete the mapping named ``name`` (of ``kind``; without it, the one kind that has
    such a name); returns what was deleted."""
    kinds = import_kinds.KINDS if kind is None else [import_kinds.checked_kind(kind)]
    found = named(session, name, kinds=kinds)
    if not found:
        if kind is None:
            raise NotFound(code="mapping_not_found_any", params={"name": name.strip()})
        raise NotFound(code="mapping_not_found", params={"name": name.strip(), "kind": kind})
    if len(found) > 1:
        raise Refused("mapping_name_in_kinds", name=name.strip(),
                      kinds=", ".join(m.kind for m in found))
    row = session.get(ImportMapping, found[0].id)
    session.delete(row)
    session.flush()
    return found[0]


@everyone
def export_mappings(session: Session, path: Path, *, kind: str | None = None,
                    name: str | None = None, replace: bool = True) -> int:
    """Write the saved mappings (of ``kind``, or the one named ``name``) to the JSON file
    ``path``, whole or not at all; returns how many."""
    if name is not None:
        chosen = [get_mapping(session, kind=kind, name=name)] if kind is not None else \
            named(session, name)
        if not chosen:
            raise NotFound(code="mapping_not_found_any", params={"name": name.strip()})
    else:
        chosen = list_mappings(session, kind=kind)
    mapping_file.write_mappings(Path(path), [m.data() for m in chosen], replace=replace)
    return len(chosen)


@dataclass(frozen=True, slots=True)
class ImportedMappings:
    """What a file of mappings brought: names added, names whose mapping it replaced."""

    added: tuple[tuple[str, str], ...]  # (kind, name)
    replaced: tuple[tuple[str, str], ...]

    def line(self, number: Callable[[int], str] = "{:,}".format) -> str:
        """The counts in words, each written by ``number`` (a screen passes the user's
        regional format)."""
        return f"{number(len(self.added))} added, {number(len(self.replaced))} replaced"


@requires(Right.SAVE_IMPORT_MAPPINGS)
def import_mappings(session: Session, path: Path) -> ImportedMappings:
    """Save every mapping of the JSON file ``path`` (all or, on any refusal, none: the
    caller's transaction is rolled back); a mapping of a name in use replaces it."""
    added: list[tuple[str, str]] = []
    replaced: list[tuple[str, str]] = []
    for mapping in mapping_file.read_mappings(Path(path)):
        existed = bool(named(session, mapping.name, kinds=[mapping.kind]))
        saved = save_mapping(session, kind=mapping.kind, name=mapping.name,
                             columns=mapping.columns, dates=mapping.dates)
        (replaced if existed else added).append((saved.kind, saved.name))
    return ImportedMappings(tuple(added), tuple(replaced))


@dataclass(frozen=True, slots=True)
class MovedMappings:
    """Mappings a workstation kept in its settings, now in the database."""

    moved: tuple[str, ...]  # their names in the settings (taken in, or there already)
    renamed: tuple[tuple[str, str], ...]  # (name in the settings, name saved under)
    refused: tuple[str, ...]  # not mappings this version can use: left in the settings


@requires(Right.SAVE_IMPORT_MAPPINGS)
def move_in(session: Session, kept: Mapping[str, object]) -> MovedMappings:
    """Save the passport mappings a workstation kept in its settings (name -> {heading:
    MCPD code}). One whose name the database has for another mapping is saved as
    "name (2)"; one that is not a usable mapping is left out and named in ``refused``."""
    moved: list[str] = []
    renamed: list[tuple[str, str]] = []
    refused: list[str] = []
    for name, columns in kept.items():
        if not isinstance(columns, dict) or not all(
                isinstance(h, str) and isinstance(f, str) for h, f in columns.items()):
            refused.append(name)
            continue
        try:
            checked = checked_columns(import_kinds.PASSPORT, columns)
        except problems.Coded:
            refused.append(name)
            continue
        target = name.strip()[:NAME_LIMIT] or "workstation"
        number = 1
        while True:
            existing = named(session, target, kinds=[import_kinds.PASSPORT])
            if not existing or existing[0].columns == checked:
                break
            number += 1
            target = f"{name.strip()[:NAME_LIMIT - 8]} ({number})"
        try:
            if not existing:
                save_mapping(session, kind=import_kinds.PASSPORT, name=target,
                             columns=checked)
        except problems.Coded:
            refused.append(name)
            continue
        moved.append(name)
        if target != name:
            renamed.append((name, target))
    return MovedMappings(tuple(moved), tuple(renamed), tuple(refused))

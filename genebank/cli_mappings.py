"""The command line's column mappings and sheet choice, for every import command, and the
``genebank mappings`` command over the mappings saved in the database.

Every import command (``import-mcpd``, ``import-tests``, ``import-participants``) takes:

- ``--mapping NAME`` (a mapping saved in the database for that kind of import) or
  ``--mapping FILE.json`` (a file ``genebank mappings export`` wrote): its headings take
  the fields it gives them, over the automatic match; headings the sheet lacks are named;
- ``--map "HEADING=FIELD"`` (repeatable; ``"HEADING="`` leaves the column out): over both;
  a heading the sheet lacks, or a field the kind does not have, is refused (exit 2);
- without ``--sheet``, the visible sheet holding the kind's required headings is read and
  named; when several do, they are listed and the command exits 2 asking for ``--sheet``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from genebank import db, transactions
from genebank.cli_common import print
from genebank.io import import_kinds, mapping_file, sheet_choice, spreadsheet
from genebank.io.import_kinds import MappingRefused
from genebank.io.mapping_file import MappingData, MappingFileRefused
from genebank.io.spreadsheet import Sheet, column_letter
from genebank.io.text_sheet import DELIMITER_NAMES
from genebank.services import import_mappings
from genebank.services.errors import NotFound, ServiceError
from genebank.services.refusals import Refused

USAGE = 2  # what the command line asked for cannot be used: nothing was read or written


def add_mapping_options(parser: argparse.ArgumentParser, fields_hint: str) -> None:
    """``--map`` and ``--mapping`` on an import command."""
    parser.add_argument(
        "--map", action="append", default=[], metavar="HEADING=FIELD",
        help=f"the column headed HEADING holds FIELD ({fields_hint}); repeatable; "
             "\"HEADING=\" leaves the column out. Overrides the automatic match and "
             "--mapping for that heading")
    parser.add_argument(
        "--mapping", metavar="NAME|FILE.json",
        help="a mapping saved in the database for this kind of import (see 'genebank "
             "mappings list'), or a file 'genebank mappings export' wrote: it replaces the "
             "automatic match for the headings it names")


@dataclass(frozen=True, slots=True)
class Chosen:
    """The sheet an import reads, its kind and its columns' fields."""

    sheet: Sheet
    kind: str
    header_index: int
    mapping: dict[int, str]
    adjusted: bool  # --map or --mapping changed the automatic match
    dates: str | None = None  # the date order saved with --mapping's mapping ("dmy", "mdy")



def _saved(database: db.Database, value: str, kinds: list[str]) -> MappingData:
    """The mapping ``--mapping`` names: a file when it names one (or ends in .json), else a
    name saved in the database for one of ``kinds``."""
    path = Path(value)
    if value.lower().endswith(".json") or path.is_file():
        return mapping_file.one_for(mapping_file.read_mappings(path), kinds, path.name)
    found = transactions.run_read(
        database, lambda session: import_mappings.named(session, value, kinds=kinds),
        operation="Reading the saved mappings")
    if not found:
        raise NotFound(code="mapping_not_found",
                                       params={"name": value.strip(), "kind": kinds[0]})
    if len(found) > 1:
        raise Refused("mapping_name_in_kinds", name=value.strip(),
                                      kinds=", ".join(m.kind for m in found))
    return found[0].data()


def _parse_for_any(kinds: list[str], text: str) -> None:
    """Refuse ``text`` unless it is HEADING=FIELD with a field of one of ``kinds`` (the
    kind of a test sheet is known once it is read)."""
    for kind in kinds[1:]:
        try:
            import_kinds.parse_choice(kind, text)
            return
        except MappingRefused:
            pass
    import_kinds.parse_choice(kinds[0], text)


def _choices(kind: str, typed: list[str]) -> dict[str, str | None]:
    choices: dict[str, str | None] = {}
    for text in typed:
        heading, field = import_kinds.parse_choice(kind, text)
        choices[heading] = field  # the last --map of a heading is the one meant
    return choices


def _lay_over(kind: str, headers: list[object], saved: MappingData | None,
              typed: list[str], sheet: str, *, strict: bool) -> import_kinds.Applied:
    """The automatic match with ``saved`` laid over it, then the ``--map`` choices; with
    ``strict``, a ``--map`` heading the sheet lacks is refused."""
    applied = import_kinds.Applied(import_kinds.suggest(kind, headers), (), ())
    if saved is not None:
        applied = import_kinds.apply_choices(headers, applied.mapping, saved.columns,
                                             sheet=sheet)
    absent_saved, displaced = applied.absent, list(applied.displaced)
    if typed:
        over = import_kinds.apply_choices(headers, applied.mapping, _choices(kind, typed),
                                          sheet=sheet)
        if over.absent and strict:
            raise MappingRefused("mapping_heading_not_in_sheet", heading=over.absent[0],
                                 sheet=sheet, headings=import_kinds.headings_text(headers))
        applied = import_kinds.Applied(over.mapping, absent_saved,
                                       tuple(displaced + list(over.displaced)))
    return applied
def add_reading_options(parser: argparse.ArgumentParser) -> None:
    """The options of every import command about reading its file."""
    parser.add_argument("--encoding", metavar="NAME",
                        help="the encoding of a text file (.csv, .tsv, .txt) that is not "
                             "UTF-8 and has no byte-order mark, e.g. cp1251, cp1256, "
                             "latin-1 (without it, such a file is refused with the likely "
                             "encodings and its first lines in each)")


def read_input(args: argparse.Namespace, sheet_name: str | None = None) -> Sheet | None:
    """The sheet an import command reads, or None once its refusal is printed (exit 2): a
    text file in an uncertain encoding with the candidates and their first lines. For a
    text file, says the encoding and delimiter it was read with."""
    try:
        sheet = spreadsheet.read_sheet(args.path, sheet_name or args.sheet,
                                       encoding=args.encoding)
    except spreadsheet.UnreadableFile as error:
        print(f"genebank: {error}", file=sys.stderr)
        if error.code == "text_encoding_unknown":
            for candidate in error.params["candidates"]:  # type: ignore[attr-defined]
                print(f"  --encoding {candidate['encoding']}:", file=sys.stderr)
                for line in candidate["lines"]:
                    print(f"      {line}", file=sys.stderr)
        return None
    if sheet.encoding is not None and sheet.delimiter is not None:
        print(f"Read '{args.path.name}' as {sheet.encoding} text, "
              f"{DELIMITER_NAMES[sheet.delimiter]}-separated")
    return sheet


def choose_and_map(database: db.Database, args: argparse.Namespace,
                   kinds: list[str]) -> Chosen | int:
    """Read the sheet an import command works on and match its columns, saying what was
    chosen; an exit status when that cannot be done (the reason printed)."""
    try:
        saved = _saved(database, args.mapping, kinds) if args.mapping else None
        if saved is not None:
            kinds = [saved.kind]
        for text in args.map:  # every --map checked before the file is read
            _parse_for_any(kinds, text)
        name = args.sheet or _chosen_sheet(args.path, kinds, saved, args.map)
        if isinstance(name, int):
            return name
        sheet = read_input(args, name)
        if sheet is None:
            return USAGE
        kind = kinds[0] if len(kinds) == 1 else \
            sheet_choice.fit(sheet.name, sheet.rows[:sheet_choice.TOP_ROWS], kinds,
                             _matcher(saved, args.map)).kind
        index = import_kinds.header_index(kind, sheet.rows) if sheet.rows else 0
        headers = list(sheet.rows[index]) if sheet.rows else []
        applied = _lay_over(kind, headers, saved, args.map, sheet.name, strict=True)
    except (MappingRefused, MappingFileRefused, ServiceError, spreadsheet.UnreadableFile) \
            as error:
        print(f"genebank: {error}", file=sys.stderr)
        return USAGE
    if saved is not None and applied.absent:
        print(f"genebank: note: the mapping '{saved.name}' names headings sheet "
              f"'{sheet.name}' does not have: "
              + ", ".join(f"'{h}'" for h in applied.absent[:10])
              + (", …" if len(applied.absent) > 10 else ""), file=sys.stderr)
    for column, field in applied.displaced:
        print(f"genebank: note: column {column_letter(column + 1)} "
              f"('{headers[column]}') is not read as {field}: it was given to another "
              "heading", file=sys.stderr)
    return Chosen(sheet, kind, index, applied.mapping, bool(saved or args.map),
                  saved.dates if saved is not None else None)


def _matcher(saved: MappingData | None, typed: list[str]) -> sheet_choice.Matcher:
    """How a sheet's headings are matched while choosing the sheet: as the import will
    (``--map`` headings a sheet lacks do not count against it here)."""
    def match(kind: str, headers: list[object]) -> dict[int, str]:
        try:
            return _lay_over(kind, headers, saved, typed, "", strict=False).mapping
        except MappingRefused:  # a heading this sheet holds twice: judged once it is read
            return import_kinds.suggest(kind, headers)
    return match


def _chosen_sheet(path: Path, kinds: list[str], saved: MappingData | None,
                  typed: list[str]) -> str | int | None:
    """The sheet to read when ``--sheet`` was not given: None for the first visible one
    (a text file, a workbook of one sheet, or none qualifying), a name, or exit 2."""
    names = sheet_choice.visible_sheets(path)
    if len(names) < 2:
        return None
    fits = sheet_choice.sheet_fits(path, kinds, _matcher(saved, typed), names=names)
    found = sheet_choice.qualifying(fits)

    def needs(fit: sheet_choice.SheetFit) -> str:
        return import_kinds.required_text(fit.kind)

    if len(found) == 1:
        print(f"Reading sheet '{found[0].name}' (the one with {needs(found[0])})",
              file=sys.stderr)
        return found[0].name
    if not found:  # the sheet with most headings matched, else the first
        wanted = " or ".join(dict.fromkeys(import_kinds.required_text(k) for k in kinds))
        likely = sheet_choice.best(fits)
        name = likely.name if likely is not None and likely.matched else names[0]
        print(f"genebank: note: no sheet of '{path.name}' has {wanted} among its headings; "
              f"reading '{name}'" + (" (the first)" if name == names[0] else
                                     " (the one with most headings matched)"),
              file=sys.stderr)
        return name
    listed = ", ".join(f"'{f.name}'" + (f" ({f.kind})" if len(kinds) > 1 else "")
                       for f in found)
    print(f"genebank: '{path.name}' has {len(found)} sheets with the headings of this "
          f"import: {listed}; choose one with --sheet", file=sys.stderr)
    return USAGE


# genebank mappings ... -------------------------------------------------------------------
def add_mappings_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "mappings", help="list, export, import or delete the column mappings saved in the "
                         "database",
        description="Column mappings say which field each heading of a sheet holds. Saved "
                    "in the database (by the import wizards, or imported from a file), "
                    "they serve every workstation; import commands use one with --mapping.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="action")
    kinds = ", ".join(import_kinds.KINDS)
    listing = actions.add_parser("list", help="the saved mappings, by kind and name")
    listing.add_argument("--kind", choices=import_kinds.KINDS, help=kinds)
    listing.add_argument("--columns", action="store_true", help="also each mapping's columns")
    export = actions.add_parser("export", help="write saved mappings to a JSON file")
    export.add_argument("path", type=Path, metavar="FILE.json")
    export.add_argument("--kind", choices=import_kinds.KINDS, help="only this kind's")
    export.add_argument("--name", help="only the mapping of this name")
    export.add_argument("--replace", action="store_true",
                        help="write over an existing file of that name")
    taking = actions.add_parser("import", help="save the mappings of a JSON file (a "
                                               "mapping of a name in use is replaced)")
    taking.add_argument("path", type=Path, metavar="FILE.json")
    delete = actions.add_parser("delete", help="delete a saved mapping")
    delete.add_argument("name")
    delete.add_argument("--kind", choices=import_kinds.KINDS,
                        help="the kind of import, when mappings of several share the name")


READING_ACTIONS = frozenset({"list", "export"})


def run_mappings(database: db.Database, args: argparse.Namespace) -> int:
    """``genebank mappings list|export|import|delete``."""
    operation = "Saved mappings"
    if args.action == "list":
        found = transactions.run_read(
            database, lambda s: import_mappings.list_mappings(s, kind=args.kind),
            operation=operation)
        for mapping in found:
            used = sum(1 for field in mapping.columns.values() if field)
            print(f"{mapping.kind:<13} {mapping.name}  ({used} column{'s' * (used != 1)}; "
                  f"saved by {mapping.updated_by or 'someone'} on "
                  f"{mapping.updated_at:%Y-%m-%d})")
            if args.columns:
                print(f"{'':<13} {mapping_file.columns_text(mapping.columns)}")
        if not found:
            print("No saved mappings" + (f" for the {args.kind} import" if args.kind else ""))
        return 0
    if args.action == "export":
        count = transactions.run_read(
            database, lambda s: import_mappings.export_mappings(
                s, args.path, kind=args.kind, name=args.name, replace=args.replace),
            operation=operation)
        print(f"Exported {count:,} mapping{'s' * (count != 1)} to {args.path}")
        return 0
    if args.action == "import":
        try:
            mapping_file.read_mappings(args.path)  # a bad file is exit 2, like a bad sheet
        except MappingFileRefused as error:
            print(f"genebank: {error}", file=sys.stderr)
            return USAGE
        result = transactions.run_write(
            database, lambda s: import_mappings.import_mappings(s, args.path),
            operation=operation)
        for kind, name in result.added:
            print(f"added {kind} mapping '{name}'")
        for kind, name in result.replaced:
            print(f"replaced {kind} mapping '{name}'")
        print(f"Imported the mappings of {args.path.name}: {result.line()}")
        return 0
    deleted = transactions.run_write(
        database, lambda s: import_mappings.delete_mapping(s, name=args.name, kind=args.kind),
        operation=operation)
    print(f"Deleted the {deleted.kind} mapping '{deleted.name}'")
    return 0

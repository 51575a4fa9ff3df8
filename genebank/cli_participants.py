"""``genebank import-participants``: an organiser's participant list, checked row by row
by the same rules as the participant form and the wizard (Training > Import participant
list), likely duplicates named, then imported all or nothing, optionally enrolling
everyone in a course. The work is :mod:`genebank.io.participant_sheet`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from genebank import db, imports, transactions
from genebank.cli_common import OPERATIONS, print
from genebank.cli_mappings import (
    Chosen,
    add_mapping_options,
    add_reading_options,
    choose_and_map,
)
from genebank.io import headings, import_kinds
from genebank.training import courses, participant_import


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "import-participants", help="import a participant list from an .xlsx/.csv sheet",
        description="Exit status: 0 all imported, 1 rows have errors (nothing written "
                    "unless --skip-invalid), 2 the file or a mapping option cannot be used. "
                    "A row likely to be a person already recorded (same e-mail, or same "
                    "name and country) is taken as that person, not added again.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--sheet", help="the sheet to read (default: the one with a name "
                                        "column)")
    parser.add_argument("--course", type=int, metavar="ID",
                        help="also enrol everyone in the course with this id")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="import the valid rows even when others have errors")
    parser.add_argument("--add-duplicates", action="store_true",
                        help="add likely duplicates as new people")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the file and report, write nothing")
    add_reading_options(parser)
    add_mapping_options(parser, ", ".join(import_kinds.fields(import_kinds.PARTICIPANTS)))


def import_participants(database: db.Database, args: argparse.Namespace) -> int:
    if args.course is not None:  # an unknown course is refused before the long check
        title = transactions.run_read(
            database, lambda session: courses.course_details(session, args.course).title,
            operation=OPERATIONS["import-participants"])
    chosen = choose_and_map(database, args, [import_kinds.PARTICIPANTS])
    if isinstance(chosen, int):
        return chosen
    if headings.table(headings.PARTICIPANTS).missing(chosen.mapping.values()):
        print(f"genebank: '{args.path.name}', sheet '{chosen.sheet.name}': no column holds "
              "the names (a full name, or first and last name) in its headings (name the "
              "column with --map \"HEADING=full_name\")", file=sys.stderr)
        return 1
    people = imports.kind(headings.PARTICIPANTS)
    options = imports.ImportOptions(
        header_index=chosen.header_index, skip_invalid=args.skip_invalid,
        add_duplicates=args.add_duplicates, course_id=args.course)
    report = transactions.run_read(
        database, lambda session: people.check(session, chosen.sheet, chosen.mapping, options,
                                               None),
        operation=OPERATIONS["import-participants"])
    preview: participant_import.ParticipantPreview = report.detail
    _print_rows(chosen, preview)
    summary = preview.summary()
    if preview.errors and not args.skip_invalid:
        print(f"{summary}; nothing imported")
        return 1
    if args.dry_run:
        print(f"{summary}; dry run, nothing imported")
        return 1 if preview.errors else 0
    result: participant_import.ParticipantImportResult = transactions.run_write(
        database, lambda session: people.apply(session, report, options, None).detail,
        operation=OPERATIONS["import-participants"])
    print(result.line() + (f" ('{title}')" if args.course is not None and result.enrolled
                           else ""))
    return 1 if preview.errors else 0


def _print_rows(chosen: Chosen, preview: participant_import.ParticipantPreview) -> None:
    """The first rows with errors (stderr) and likely duplicates (stdout)."""
    errors = [e for r in preview.rows for e in r.errors]
    for error in errors[:20]:
        print(f"{error.where()}: {error.message}", file=sys.stderr)
    if len(errors) > 20:
        print(f"... and {len(errors) - 20:,} more", file=sys.stderr)
    twins = [r for r in preview.rows if not r.errors
             and (r.duplicate_of is not None or r.same_as_row is not None)]
    for person in twins[:20]:
        said = (f"likely already recorded: {person.duplicate_reason}"
                if person.duplicate_of is not None
                else f"the same person as row {person.same_as_row}")
        print(f"row {person.row} ({person.values.get('full_name') or ''}): {said}")

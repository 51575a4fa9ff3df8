"""The ``genebank`` commands that move passport data and test results between files and
the database: ``import-mcpd``, ``import-tests`` and ``export-mcpd``. Registered from
:mod:`genebank.cli`, which parses the command line and opens the database."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session

from genebank import db, transactions
from genebank.cli_common import OPERATIONS, PrintProgress, print
from genebank.conservation import test_import
from genebank.io import passport_export, passport_preview, problem_report, spreadsheet, test_sheet
from genebank.io.files import refuse_target
from genebank.passport import accession_query, passport_existing, passport_import
from genebank.passport.accession_query import AccessionFilter
from genebank.passport.passport_import import OnErrors, OnExisting


def export_mcpd(database: db.Database, args: argparse.Namespace) -> int:
    """``export-mcpd``: the accessions matching the filters, to a CSV or workbook."""
    where = AccessionFilter(text=args.search, cropname=args.crop, genus=args.genus,
                            origcty=args.country, sampstat=args.sampstat,
                            storage=args.storage)
    with database.session_factory() as session:
        ids = accession_query.matching_ids(session, where)
        count = passport_export.export_passports(
            session, args.path, ids, progress=PrintProgress(), replace=args.replace)
    print(f"Exported {count:,} accessions to {args.path}")
    return 0


# Sheet warnings the import command prints: fullTaxa split, historic rows left out, rows
# held by other institutes (genebank.io.genesys_rows, genebank.passport.own_institutes).
GENESYS_NOTES = frozenset({"full_taxa_split", "historic_rows_skipped", "rows_not_held"})


def import_mcpd(database: db.Database, args: argparse.Namespace) -> int:
    if args.report:  # refused before the long check, not after it
        refuse_target(problem_report.report_path(args.report), overwrite=args.replace,
                      inputs=(args.path,))
    try:
        sheet = spreadsheet.read_sheet(args.path, args.sheet)
    except spreadsheet.UnreadableFile as error:
        print(f"genebank: {error}", file=sys.stderr)
        return 2
    if args.clear_blank and not args.update:
        print("genebank: --clear-blank clears values of accessions that exist, so it needs "
              "--update; nothing imported", file=sys.stderr)
        return 1
    preview = passport_preview.preview_passports(sheet, progress=PrintProgress())
    with database.session_factory() as session:
        passport_existing.mark_existing(session, preview, clear_blank=args.clear_blank)
    if args.report:
        written = problem_report.write_problem_report(sheet, preview, args.report,
                                                      replace=args.replace)
        print(f"Wrote the problem report {written}")  # a workbook, whatever it was named
    errors = preview.count(passport_preview.RowStatus.ERROR)
    sheet_errors = [p for p in preview.sheet_problems if p.severity == "error"]
    for problem in [*sheet_errors, *(p for p in preview.problems() if p.severity == "error")][:20]:
        print(f"{problem.where()}: {problem.message}", file=sys.stderr)
    for problem in preview.sheet_problems:  # what a Genesys download's rows came to
        if problem.code in GENESYS_NOTES:
            print(f"genebank: warning: {problem.message}", file=sys.stderr)
    checked = (f"{len(preview.rows):,} rows checked: {errors:,} with errors, "
               f"{preview.count(passport_preview.RowStatus.WARNING):,} with warnings, "
               f"{preview.existing:,} existing ({preview.changing:,} to change, "
               f"{preview.unchanged:,} unchanged"
               + (f", {preview.cleared:,} values to clear" if args.clear_blank else "") + ")"
               + (f", {len(preview.historic):,} historic not imported" if preview.historic
                  else ""))
    if sheet_errors or (errors and not args.skip_invalid):
        print(f"{checked}; nothing imported")
        return 1
    if args.dry_run:
        if args.update:
            for row in preview.rows:
                if row.changes and row.status is not passport_preview.RowStatus.ERROR:
                    print(passport_import.describe_changes(row))
        print(f"{checked}; dry run, nothing imported")
        return 1 if errors else 0


    def write(session: Session) -> passport_import.ImportSummary:
        # apply_import judges the rows again inside the write transaction (what another
        # workstation or import made since this check is skipped and named, never added
        # twice or overwritten).
        return passport_import.apply_import(
            session, preview,
            on_existing=OnExisting.UPDATE if args.update else OnExisting.SKIP,
            on_errors=OnErrors.SKIP_ROWS, progress=PrintProgress())

    summary = transactions.run_write(database, write, operation=OPERATIONS["import-mcpd"],
                                     bulk=True)
    print(f"{summary.line()} (import log {summary.log_id})")
    if summary.edited_meanwhile:
        print(f"genebank: {len(summary.edited_meanwhile):,} accession(s) were edited by "
              "someone else after the check and were not updated (their edits are kept): "
              f"{', '.join(summary.edited_meanwhile[:20])}"
              + (", ..." if len(summary.edited_meanwhile) > 20 else ""), file=sys.stderr)
    if summary.added_meanwhile:
        print(f"genebank: {len(summary.added_meanwhile):,} accession(s) were added by "
              "someone else after the check and were "
              + ("not updated (their records are kept): " if args.update
                 else "skipped as existing: ")
              + ", ".join(summary.added_meanwhile[:20])
              + (", ..." if len(summary.added_meanwhile) > 20 else ""), file=sys.stderr)
    return 1 if errors else 0


def import_tests(database: db.Database, args: argparse.Namespace) -> int:
    try:
        sheet = spreadsheet.read_sheet(args.path, args.sheet)
    except spreadsheet.UnreadableFile as error:
        print(f"genebank: {error}", file=sys.stderr)
        return 2
    headers = sheet.rows[0] if sheet.rows else []
    kind = args.kind or test_sheet.guess_kind(sheet.name, headers)
    mapping = test_sheet.suggest_mapping(headers, kind)
    missing = test_sheet.missing_required(mapping, kind)
    if missing:
        print(f"genebank: '{args.path.name}', sheet '{sheet.name}': no column for "
              f"{', '.join(f.label for f in missing)} in the first row", file=sys.stderr)
        return 1
    with database.session_factory() as session:
        preview = test_import.preview_tests(session, sheet, mapping, kind,
                                            progress=PrintProgress())
    for problem in sorted(preview.errors, key=lambda p: p.row)[:20]:
        print(f"{problem.where()}: {problem.message}", file=sys.stderr)
    if (preview.blocked and not args.skip_invalid) or args.dry_run:
        print(f"{preview.summary()}; nothing imported"
              + ("" if preview.blocked else " (dry run)"))
        return 1 if preview.blocked else 0
    result = transactions.run_write(
        database, lambda session: test_import.import_tests(
            session, preview, skip_refused=True, progress=PrintProgress()),
        operation=OPERATIONS["import-tests"], bulk=True)
    print(result.line())
    return 1 if preview.blocked else 0

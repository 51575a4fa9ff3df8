"""The ``genebank`` commands that move passport data and test results between files and
the database: ``import-mcpd``, ``import-tests`` and ``export-mcpd``. Registered from
:mod:`genebank.cli`, which parses the command line and opens the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from genebank import cli_import_lines, db, imports, transactions
from genebank.cli_common import OPERATIONS, PrintProgress, print
from genebank.cli_mappings import choose_and_map
from genebank.conservation import test_import
from genebank.io import (
    headings,
    import_kinds,
    passport_preview,
    problem_report,
    test_sheet,
)
from genebank.io.files import refuse_target
from genebank.passport import accession_query, mcpd_export, passport_import
from genebank.passport.accession_query import AccessionFilter
from genebank.passport.passport_import import OnExisting


def export_mcpd(database: db.Database, args: argparse.Namespace) -> int:
    """``export-mcpd``: the accessions matching the filters, to a CSV or workbook."""
    if args.safe_csv and Path(args.path).suffix.lower() != ".csv":
        print("genebank: --safe-csv is for a .csv file (a workbook holds text as text); "
              "nothing exported", file=sys.stderr)
        return 2
    where = AccessionFilter(text=args.search, cropname=args.crop, genus=args.genus,
                            origcty=args.country, sampstat=args.sampstat,
                            storage=args.storage, include_withdrawn=args.include_withdrawn)
    with database.session_factory() as session:
        ids = accession_query.matching_ids(session, where)
        count = mcpd_export.export_passports(
            session, args.path, ids, progress=PrintProgress(), replace=args.replace,
            safe_csv=args.safe_csv)
    print(f"Exported {count:,} accessions to {args.path}")
    return 0


# Sheet warnings the import command prints: fullTaxa split or not imported, historic rows
# left out, rows held by other institutes (genebank.io.genesys_rows,
# genebank.passport.own_institutes).
GENESYS_NOTES = frozenset({"full_taxa_split", "full_taxa_not_imported",
                           "historic_rows_skipped", "rows_not_held"})


def import_mcpd(database: db.Database, args: argparse.Namespace) -> int:
    if args.report:  # refused before the long check, not after it
        refuse_target(problem_report.report_path(args.report), overwrite=args.replace,
                      inputs=(args.path,))
    chosen = choose_and_map(database, args, [import_kinds.PASSPORT])
    if isinstance(chosen, int):
        return chosen
    sheet = chosen.sheet
    if args.clear_blank and not args.update:
        print("genebank: --clear-blank clears values of accessions that exist, so it needs "
              "--update; nothing imported", file=sys.stderr)
        return 1
    passport = imports.kind(headings.PASSPORT)
    options = imports.ImportOptions(
        header_index=chosen.header_index, skip_invalid=True, clear_blank=args.clear_blank,
        on_existing=OnExisting.UPDATE if args.update else OnExisting.SKIP,
        dates=args.dates or chosen.dates)  # --dates over the mapping's own date order
    with database.session_factory() as session:
        report = passport.check(session, sheet, chosen.mapping if chosen.adjusted
                                else None, options, PrintProgress())
    preview: passport_preview.ImportPreview = report.detail
    if args.report:
        written = problem_report.write_problem_report(sheet, preview, args.report,
                                                      replace=args.replace)
        print(f"Wrote the problem report {written}")  # a workbook, whatever it was named
    errors = preview.count(passport_preview.RowStatus.ERROR)
    sheet_errors = [p for p in preview.sheet_problems if p.severity == "error"]
    for line in cli_import_lines.error_lines(preview):
        print(line, file=sys.stderr)
    for line in cli_import_lines.change_lines(preview):
        print(line)
    for problem in preview.sheet_problems:  # what a Genesys download's rows came to
        if problem.code in GENESYS_NOTES:
            print(f"genebank: warning: {problem.message}", file=sys.stderr)
    for line in cli_import_lines.note_lines(preview):  # a warning of many rows, once
        print(f"genebank: warning: {line}", file=sys.stderr)
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
        return passport.apply(session, report, options, PrintProgress()).detail

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
    chosen = choose_and_map(database, args, [args.kind] if args.kind else list(test_sheet.KINDS))
    if isinstance(chosen, int):
        return chosen
    sheet, kind, mapping = chosen.sheet, chosen.kind, chosen.mapping
    header_index = chosen.header_index
    missing = test_sheet.missing_required(mapping, kind)
    if missing:
        print(f"genebank: '{args.path.name}', sheet '{sheet.name}': no column for "
              f"{', '.join(f.label for f in missing)} in its headings", file=sys.stderr)
        headers = list(sheet.rows[header_index]) if sheet.rows else []
        daily = test_sheet.daily_counts_note(headers, mapping, kind)
        if daily is not None:
            print(f"genebank: {daily} ('genebank tests-template' writes it)",
                  file=sys.stderr)
        return 1
    tests = imports.kind(kind)
    options = imports.ImportOptions(header_index=header_index, skip_invalid=True)
    with database.session_factory() as session:
        report = tests.check(session, sheet, mapping, options, PrintProgress())
    preview: test_import.TestPreview = report.detail
    for problem in sorted(preview.errors, key=lambda p: p.row)[:20]:
        print(f"{problem.where()}: {problem.message}", file=sys.stderr)
    if (preview.blocked and not args.skip_invalid) or args.dry_run:
        print(f"{preview.summary()}; nothing imported"
              + ("" if preview.blocked else " (dry run)"))
        return 1 if preview.blocked else 0
    result = transactions.run_write(
        database, lambda session: tests.apply(session, report, options, PrintProgress()),
        operation=OPERATIONS["import-tests"], bulk=True)
    print(result.line())
    return 1 if preview.blocked else 0

"""``genebank history``: the change history of one accession, or the recent changes of the
collection, by person and date; printed, or written to an Excel file with ``--export``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from genebank import db, transactions
from genebank.cli_common import OPERATIONS, print
from genebank.history import queries
from genebank.io.history_export import shown, write_history


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "history", help="who changed what and when: one accession, or recent changes",
        description="Without INSTCODE:ACCENUMB, the newest changes first (at most --limit), "
                    "filtered by --user, --since and --type.")
    parser.add_argument("accession", nargs="?", metavar="INSTCODE:ACCENUMB",
                        help="one accession's story, oldest first")
    parser.add_argument("--user", metavar="NAME", help="changes by this user only")
    parser.add_argument("--since", metavar="DATE", type=_date,
                        help="changes on or after this date (YYYY-MM-DD, UTC)")
    parser.add_argument("--type", dest="subject_type", metavar="TYPE",
                        help="record type: accession, seed_lot, participant, course, ...")
    parser.add_argument("--limit", type=int, default=200, help="at most this many changes "
                                                               "(default 200)")
    parser.add_argument("--export", type=Path, metavar="FILE.xlsx",
                        help="write the changes to an Excel file instead of printing them")


def _date(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date such as 2026-11-26") \
            from None


def history(database: db.Database, args: argparse.Namespace) -> int:
    if args.accession is not None:
        instcode, colon, accenumb = args.accession.partition(":")
        if not colon or not instcode or not accenumb:
            print(f"genebank: '{args.accession}' is not INSTCODE:ACCENUMB, e.g. "
                  "KAZ001:KZ-1", file=sys.stderr)
            return 1
        found = transactions.run_read(database, lambda session: queries.accession_history(
            session, instcode=instcode, accenumb=accenumb), operation=OPERATIONS["history"])
        if not found:
            print(f"genebank: no change recorded for {args.accession}", file=sys.stderr)
            return 1
    else:
        found = transactions.run_read(database, lambda session: queries.readable_changes(
            session, user=args.user, since=args.since, subject_type=args.subject_type,
            limit=args.limit), operation=OPERATIONS["history"])
    if args.export is not None:
        print(f"Wrote {len(found):,} change(s) to {write_history(args.export, found)}")
        return 0
    for entry in found:
        print(_line(entry))
        for change in entry.fields:
            print(f"    {change.field}: {_value(change.old)} -> {_value(change.new)}")
    return 0


def _line(entry: queries.HistoryEntry) -> str:
    how = entry.operation + (f" {entry.import_log_id}" if entry.import_log_id else "")
    if entry.reference:
        how += f" ({entry.reference})"
    who = entry.user_name or "(before sign-in)"
    if entry.os_user and entry.os_user != entry.user_name:
        who += f" [{entry.os_user}]"
    where = f" on {entry.workstation}" if entry.workstation else ""
    record = entry.subject_key or f"{entry.subject_type} {entry.subject_id}"
    row = "" if entry.table_name == entry.subject_type else \
        f" {entry.table_name} {entry.row_id}"
    reason = f": {entry.reason}" if entry.reason else ""
    return (f"{entry.at:%Y-%m-%d %H:%M:%S} UTC  {who}{where}  {how}  {entry.action} "
            f"{entry.subject_type} {record}{row}{reason}")


def _value(value: object) -> str:
    return "(empty)" if value is None else f"'{shown(value)}'"

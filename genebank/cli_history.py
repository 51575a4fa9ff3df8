"""``genebank history``: the change history of one accession, or the recent changes of the
collection, by person and date; printed, or written to an Excel file with ``--export``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from genebank import db, transactions
from genebank.cli_common import OPERATIONS, add_replace_option, print
from genebank.history import labels, queries, tracked, wording
from genebank.io import history_export
from genebank.io.files import refuse_target
from genebank.io.history_export import write_history
from genebank.users.roles import Right, roles_holding


def record_types() -> list[str]:
    """The types of record with a story (``--type``'s choices)."""
    return sorted({spec.subject for spec in tracked.TRACKED.values()})


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "history", help="who changed what and when: one accession, or recent changes",
        description="Without INSTCODE:ACCENUMB, the newest changes first (at most --limit), "
                    "filtered by --user, --since, --until and --type. Times are this "
                    "computer's local time.")
    parser.add_argument("accession", nargs="?", metavar="INSTCODE:ACCENUMB",
                        help="one accession's story, oldest first")
    parser.add_argument("--user", metavar="NAME", help="changes by this user only")
    parser.add_argument("--since", metavar="DATE", type=_date,
                        help="changes on or after this day (YYYY-MM-DD, local time)")
    parser.add_argument("--until", metavar="DATE", type=_date,
                        help="changes on or before this day (YYYY-MM-DD, local time)")
    types = record_types()
    parser.add_argument("--type", dest="subject_type", metavar="TYPE", choices=types,
                        help="record type: " + ", ".join(types))
    parser.add_argument("--limit", type=int, default=None,
                        help=f"at most this many changes (listing: default {LIMIT}; "
                             "--export: every change unless given)")
    parser.add_argument("--export", type=Path, metavar="FILE.xlsx",
                        help="write the changes to an Excel file instead of printing them")
    add_replace_option(parser)


LIMIT = 200


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date such as 2026-11-26") \
            from None


PERSONAL_NOTE = ("participants' changes are not shown: they need the role "
                 + ", ".join(wording.role_word(role).lower()
                             for role in roles_holding(Right.READ_PERSONAL_DATA)))


def history(database: db.Database, args: argparse.Namespace) -> int:
    if args.export is not None:
        refuse_target(history_export.target(args.export), overwrite=args.replace)
    if args.accession is not None:
        return _accession(database, args)
    filters = {"user": args.user, "subject_type": args.subject_type,
               "since": None if args.since is None else wording.local_midnight_utc(args.since),
               "until": None if args.until is None else wording.local_midnight_utc(
                   args.until + dt.timedelta(days=1))}
    if args.export is not None:
        def export(session: Session) -> tuple[Path, int, int, bool]:
            total = queries.count_readable_changes(session, **filters)
            found = history_export.Counted(queries.each_readable_change(
                session, **filters, limit=args.limit))
            path = write_history(args.export, labels.labelled(session, found),
                                 replace=args.replace)
            return path, found.count, total, queries.personal_history_hidden(session)

        path, written, total, hidden = transactions.run_read(
            database, export, operation=OPERATIONS["history"])
        if written < total:
            print(f"Wrote {written:,} of {total:,} changes to {path} (--limit {args.limit:,}; "
                  "without --limit every change is written)")
        else:
            print(f"Wrote {written:,} change(s) to {path}")
        if hidden:
            print(f"Note: {PERSONAL_NOTE}")
        return 0
    limit = LIMIT if args.limit is None else args.limit

    def listing(session: Session) -> tuple[list[queries.HistoryEntry], labels.EntryLabels,
                                           int, bool]:
        found = queries.readable_changes(session, **filters, limit=limit)
        total = len(found) if len(found) < limit else \
            queries.count_readable_changes(session, **filters)
        return (found, labels.entry_labels(session, found), total,
                queries.personal_history_hidden(session))

    found, named, total, hidden = transactions.run_read(database, listing,
                                                        operation=OPERATIONS["history"])
    _print(found, named)
    if total > len(found):
        print(f"{len(found):,} of {total:,} changes shown, newest first; add --limit "
              f"{total} to see them all, or narrow with --since, --until, --user, --type")
    if hidden:
        print(f"Note: {PERSONAL_NOTE}")
    return 0


def _accession(database: db.Database, args: argparse.Namespace) -> int:
    instcode, colon, accenumb = args.accession.partition(":")
    if not colon or not instcode or not accenumb:
        print(f"genebank: '{args.accession}' is not INSTCODE:ACCENUMB, e.g. "
              "KAZ001:KZ-1", file=sys.stderr)
        return 1
    def story(session: Session) -> tuple[list[queries.HistoryEntry], labels.EntryLabels]:
        found = queries.accession_history(session, instcode=instcode, accenumb=accenumb)
        return found, labels.entry_labels(session, found)

    found, named = transactions.run_read(database, story, operation=OPERATIONS["history"])
    if not found:
        print(f"genebank: no change recorded for {args.accession}", file=sys.stderr)
        return 1
    if args.export is not None:
        path = write_history(args.export, [(entry, named) for entry in found],
                             replace=args.replace)
        print(f"Wrote {len(found):,} change(s) to {path}")
        return 0
    _print(found, named)
    return 0


def _print(found: list[queries.HistoryEntry], named: labels.EntryLabels) -> None:
    for entry in found:
        print(_line(entry))
        for change in wording.shown_fields(entry):
            if wording.role_change(entry) is not None and change.field == "role":
                continue  # said on the entry's line
            print(f"    {wording.change_text(entry, change, named)}")


def _line(entry: queries.HistoryEntry) -> str:
    how = entry.operation + (f" {entry.import_log_id}" if entry.import_log_id else "")
    if entry.reference:
        how += f" ({entry.reference})"
    who = wording.who_text(entry)
    if entry.os_user and entry.os_user != entry.user_name:
        who += f" [{entry.os_user}]"
    where = f" on {entry.workstation}" if entry.workstation else ""
    reason = f": {entry.reason}" if entry.reason else ""
    return f"{wording.when_text(entry.at)}  {who}{where}  {how}  {wording.what_text(entry)}" \
           f"{reason}"

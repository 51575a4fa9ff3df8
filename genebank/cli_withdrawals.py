"""``genebank withdraw`` and ``genebank reinstate``: an accession out of the collection with
a date and a reason, and back in (:mod:`genebank.passport.withdrawals`)."""

from __future__ import annotations

import argparse
import datetime as dt

from genebank import db, transactions
from genebank.cli_common import print
from genebank.passport import withdrawals
from genebank.passport.withdrawals import WITHDRAWAL_REASONS

OPERATIONS = {"withdraw": "Withdrawing an accession", "reinstate": "Reinstating an accession"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    withdraw = commands.add_parser(
        "withdraw", help="withdraw an accession from the collection (kept, out of counts, "
                         "worklists and exports)",
        description="The accession stays in the database with its lots and history, out of "
                    "counts, worklists and exports until reinstated.")
    withdraw.add_argument("accession", metavar="INSTCODE:ACCENUMB")
    withdraw.add_argument("--reason", required=True, choices=WITHDRAWAL_REASONS)
    withdraw.add_argument("--on", type=_date, metavar="DATE",
                          help="the day it left the collection (YYYY-MM-DD; default today)")
    withdraw.add_argument("--other", metavar="INSTCODE:ACCENUMB",
                          help="the accession it duplicates, was merged into or split into "
                               "(needed for duplicate and merged)")
    withdraw.add_argument("--note", default="",
                          help="e.g. the institute it was transferred to")
    reinstate = commands.add_parser(
        "reinstate", help="put a withdrawn accession back in the collection")
    reinstate.add_argument("accession", metavar="INSTCODE:ACCENUMB")
    reinstate.add_argument("--reason", default="", help="why, for the history")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date such as 2026-11-26") \
            from None


def run(database: db.Database, args: argparse.Namespace) -> int:
    if args.command == "withdraw":
        on = args.on or dt.date.today()
        state = transactions.run_write(database, lambda session: withdrawals.withdraw_accession(
            session, args.accession, on=on, reason=args.reason, other=args.other,
            note=args.note), operation=OPERATIONS["withdraw"])
        other = f" ({state.other_key})" if state.other_key else ""
        print(f"Withdrew {state.key} on {state.withdrawn_on:%Y-%m-%d}: {state.reason}{other}")
        return 0
    state = transactions.run_write(database, lambda session: withdrawals.reinstate_accession(
        session, args.accession, reason=args.reason), operation=OPERATIONS["reinstate"])
    print(f"Reinstated {state.key}: back in the collection")
    return 0

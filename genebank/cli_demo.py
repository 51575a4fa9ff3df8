"""The ``genebank`` commands of the demo collection: ``demo`` (only into a database of its
own) and ``remove-demo`` (the demo records older versions loaded into a real database).
Registered from :mod:`genebank.cli`, which parses the command line and opens the database."""

from __future__ import annotations

import argparse
import os
import sys

from genebank import db, problems, transactions
from genebank.cli_common import ENV_DATABASE, OPERATIONS, PrintProgress, print, shown_url
from genebank.demo import demo, demo_removal, demo_training
from genebank.services.errors import ServiceError

problems.register({"demo_accessions_too_few": "--accessions must be at least 1"})


def demo_refusal(argument: str | None) -> str | None:
    """Why ``genebank demo`` will not write into the database ``--database`` names (None: it
    may). The demo goes only into a database named on the command line that is neither the
    user's default file nor the one $GENEBANK_DATABASE_URL sets for this workstation: the
    records there are the user's own, whatever configured them."""
    own = os.environ.get(ENV_DATABASE)
    if argument and not db.is_default_database(argument) and not (
            own and db.same_database(argument, own)):
        return None
    where = (shown_url(own) if own and (not argument or db.same_database(argument, own))
             else str(db.default_database_path()))
    return (f"demo will not write into your own database {where}; give a database of its "
            f"own, e.g. --database {db.demo_database_path()}")


def add_demo(database: db.Database, args: argparse.Namespace) -> int:
    """``demo``: the demo collection (and, if asked, a training programme) added."""
    if args.accessions < 1:
        raise ServiceError(code="demo_accessions_too_few",
                           params={"accessions": args.accessions})
    result = transactions.run_write(
        database, lambda session: demo.load_demo(
            session, accessions=args.accessions, seed=args.seed,
            lots=not args.no_lots, progress=PrintProgress()),
        operation=OPERATIONS["demo"], bulk=True)
    print(f"Added {result.accessions:,} demo accessions "
          f"({result.first_accenumb} to {result.last_accenumb})"
          + ("" if args.no_lots else ", with seed lots, tests, regenerations and "
             "safety duplicates"))
    if args.courses > 0:
        training = transactions.run_write(
            database, lambda session: demo_training.load_training_demo(
                session, courses=args.courses,
                people=args.participants or 10 * args.courses),
            operation=OPERATIONS["demo"])
        print(f"Added a training programme: {training.courses:,} courses, "
              f"{training.participants:,} participants, {training.enrolments:,} "
              f"enrolments, {training.certificates:,} certificates")
    return 0


DEMO_RECORD_LABELS = {
    "accessions": "accessions", "seed_lots": "seed lots",
    "germination_tests": "germination tests", "moisture_tests": "moisture tests",
    "regenerations": "regenerations", "safety_duplicates": "safety duplicates",
    "courses": "courses", "participants": "participants", "enrolments": "enrolments",
    "certificates": "certificates", "storage_locations": "storage locations",
    "crop_rules": "crop rules", "programmes": "training programmes",
    "taxa": "taxa (crop names)", "institutes": "institute directory entries",
}


def _describe_demo_records(counts: demo_removal.DemoRecords) -> str:
    return ", ".join(f"{n:,} {DEMO_RECORD_LABELS[kind]}" for kind, n in counts.items())


def remove_demo(database: db.Database, *, yes: bool) -> int:
    with database.session_factory() as session:
        counts = demo_removal.count_demo_records(session)
    if not counts.total:
        print(f"No demo records in {database.display_name}; nothing to remove")
        return 0
    print(f"Demo records in {database.display_name}: {_describe_demo_records(counts)}")
    if not yes:
        if not sys.stdin.isatty():
            print("Nothing removed; run again with --yes to remove them")
            return 0
        if input("Remove them? Real records stay. [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing removed")
            return 0
    removed = transactions.run_write(database, demo_removal.remove_demo_records,
                                     operation=OPERATIONS["remove-demo"])
    print(f"Removed {removed.total:,} demo records; real records were not changed")
    return 0

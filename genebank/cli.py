"""The ``genebank`` command line: the same services as the GUI, for scripts and servers.

Exit status 0 on success; 2 when an input file cannot be read; otherwise 1 with a one-line
reason on stderr, never a traceback or a database driver's message with its parameters
(``GENEBANK_DEBUG=1`` shows the traceback). Everything printed has its control characters
escaped, so that a value from a file cannot move the cursor or recolour a terminal.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from genebank import (
    __version__,
    backup,
    cli_history,
    cli_participants,
    cli_server,
    cli_settings,
    cli_undo,
    cli_users,
    cli_withdrawals,
    db,
    mcpd,
    problems,
)
from genebank.cli_common import ENV_DATABASE, OPERATIONS, add_replace_option, print
from genebank.cli_common import shown_url as _shown_url
from genebank.cli_demo import add_demo, demo_refusal, remove_demo
from genebank.cli_exchange import export_mcpd, import_mcpd, import_tests
from genebank.cli_mappings import (
    READING_ACTIONS,
    add_mapping_options,
    add_mappings_command,
    add_reading_options,
    run_mappings,
)
from genebank.io import passport_template, spreadsheet, test_sheet
from genebank.passport import (
    identity_collisions,
    passport_existing,  # noqa: F401  (tests patch cli.passport_existing)
)
from genebank.progress import Cancelled
from genebank.reporting import stats

ENV_DEBUG = "GENEBANK_DEBUG"


def database_url(argument: str | None) -> str:
    """--database, else $GENEBANK_DATABASE_URL, else the user's own file."""
    return argument or os.environ.get(ENV_DATABASE) or db.sqlite_url(db.default_database_path())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genebank", description="Genebank: national plant gene bank records.")
    parser.add_argument("--version", action="version", version=f"genebank {__version__}")
    parser.add_argument(
        "--database", metavar="URL",
        help="a SQLite file or SQLAlchemy URL, e.g. postgresql+psycopg://user@host/genebank "
             f"(default: ${ENV_DATABASE}, else {db.default_database_path()})")
    cli_users.add_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    init_parser = commands.add_parser(
        "init", help="create the database, or upgrade it to this version",
        description="Creates a new database (a SQLite file, or the tables in an empty "
                    "PostgreSQL database). An older database is upgraded: a SQLite file is "
                    "backed up first; a PostgreSQL database only by its owner, who is asked "
                    "to confirm a backup exists.")
    init_parser.add_argument("--yes", action="store_true",
                             help="a backup exists: upgrade a PostgreSQL database without "
                                  "asking (for scripts)")
    upgrade_parser = commands.add_parser(
        "upgrade", help="upgrade an existing database to this version",
        description="Upgrades an older database (never creates one). A SQLite file is backed "
                    "up first; a PostgreSQL database is upgraded only by the role that owns "
                    "it, after confirming a backup exists (genebank backup FILE.sqlite, or "
                    "pg_dump).")
    upgrade_parser.add_argument("--yes", action="store_true",
                                help="a backup exists: upgrade without asking (for scripts)")
    demo_parser = commands.add_parser(
        "demo", help="add a realistic demo collection to a database of its own",
        description="Refuses your own database (the default one): give --database, e.g. "
                    f"--database {db.demo_database_path()}")
    demo_parser.add_argument("--accessions", type=int, default=1000, metavar="N")
    demo_parser.add_argument("--seed", type=int, default=2025)
    demo_parser.add_argument("--no-lots", action="store_true",
                             help="passport data only: no seed lots, tests or duplicates")
    demo_parser.add_argument("--courses", type=int, default=0, metavar="N",
                             help="also a training programme with N courses")
    demo_parser.add_argument("--participants", type=int, default=0, metavar="N",
                             help="... and N participants (default: 10 per course)")
    remove_parser = commands.add_parser(
        "remove-demo", help="count, then remove, demo records loaded into this database",
        description="Prints how many demo records the database holds; with --yes (or "
                    "when you answer y) removes them all in one transaction. Real records "
                    "stay.")
    remove_parser.add_argument("--yes", action="store_true", help="remove without asking")
    stats_parser = commands.add_parser("stats", help="print counts describing the collection")
    stats_parser.add_argument("--include-withdrawn", action="store_true",
                              help="count the accessions withdrawn from the collection too")
    backup_parser = commands.add_parser("backup", help="copy the database to a SQLite file")
    _output(backup_parser)
    template_parser = commands.add_parser("template", help="write the MCPD Excel template")
    _output(template_parser)
    import_parser = commands.add_parser(
        "import-mcpd", help="import accessions from an MCPD spreadsheet (.xlsx, .xlsm, "
                            ".xls, .ods) or text table (.csv, .tsv, .txt)",
        description="Exit status: 0 all imported, 1 validation found errors (nothing written "
                    "unless --skip-invalid), 2 the file cannot be read.")
    import_parser.add_argument("path", type=Path)
    import_parser.add_argument("--sheet", help="the sheet to read (default: the one with "
                                               "INSTCODE and ACCENUMB headings)")
    add_reading_options(import_parser)
    import_parser.add_argument("--update", action="store_true",
                               help="update accessions that exist already (default: skip "
                                    "them): only the descriptors with a filled cell change")
    import_parser.add_argument("--clear-blank", action="store_true",
                               help="with --update: a blank cell clears the stored value of "
                                    "its column (never INSTCODE, ACCENUMB or GENUS)")
    import_parser.add_argument("--skip-invalid", action="store_true",
                               help="import the valid rows even when others have errors")
    import_parser.add_argument("--dry-run", action="store_true",
                               help="check the file and report, write nothing")
    import_parser.add_argument("--report", type=Path, metavar="OUT.xlsx",
                               help="write a copy of the input with a PROBLEMS column")
    import_parser.add_argument("--dates", choices=mcpd.values.DATE_ORDERS,
                               help="how the file writes dates such as 12/03/1998: dmy (day "
                                    "first) or mdy (month first); without it such a date is "
                                    "read only when one order fits (25/03/1998)")
    _output(import_parser, path=False)
    add_mapping_options(import_parser, "an MCPD code such as ACCENUMB")
    tests_template = commands.add_parser(
        "tests-template", help="write the Excel template for germination and moisture tests")
    _output(tests_template)
    tests_parser = commands.add_parser(
        "import-tests", help="import germination or moisture tests from a spreadsheet or "
                             "text table",
        description="Exit status: 0 all imported, 1 tests were refused (nothing written "
                    "unless --skip-invalid), 2 the file cannot be read.")
    tests_parser.add_argument("path", type=Path)
    tests_parser.add_argument("--sheet", help="the sheet to read (default: the one with a "
                                              "test sheet's headings)")
    add_reading_options(tests_parser)
    tests_parser.add_argument("--kind", choices=test_sheet.KINDS,
                              help="default: guessed from the sheet's name and headers")
    tests_parser.add_argument("--skip-invalid", action="store_true",
                              help="import the tests that pass even when others are refused")
    tests_parser.add_argument("--dry-run", action="store_true",
                              help="check the file and report, write nothing")
    add_mapping_options(tests_parser, "LOT, DATE, SOWN, NORMAL, MOISTURE_PCT...")
    cli_participants.add_command(commands)
    add_mappings_command(commands)
    resolve_parser = commands.add_parser(
        "resolve-duplicates",
        help="resolve accessions stored twice under one number (e.g. KZ-0001 and kz-0001) "
             "so that the database can be upgraded",
        description="Works on a database that the upgrade refused because some accessions "
                    "are one accession written differently (case, spaces, character "
                    "width). A SQLite file is backed up first; everything happens in one "
                    "transaction. Then open the database again (e.g. 'genebank init').")
    resolve_parser.add_argument("--yes", action="store_true",
                                help="a server database older than 0007: its owner confirms "
                                     "a backup exists, so it may be brought to 0007 first")
    how = resolve_parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--rename", action="store_true",
                     help="keep the oldest accession of each group as it is; renumber each "
                          "other one <number>-2, -3... and keep its old number in OTHERNUMB")
    how.add_argument("--merge", action="store_true",
                     help="remove the newer accessions that are exact copies of the oldest "
                          "(every descriptor equal but the spelling of ACCENUMB) and have no "
                          "seed lots or other records; other groups are left and listed")
    export_parser = commands.add_parser("export-mcpd", help="export accessions as MCPD .xlsx/.csv")
    _output(export_parser)
    export_parser.add_argument("--search", default="", help="like the search box")
    export_parser.add_argument("--crop")
    export_parser.add_argument("--genus")
    export_parser.add_argument("--country", help="ORIGCTY code")
    export_parser.add_argument("--sampstat", type=int)
    export_parser.add_argument("--storage", type=int)
    export_parser.add_argument("--include-withdrawn", action="store_true",
                               help="also the accessions withdrawn from the collection")
    export_parser.add_argument(
        "--safe-csv", action="store_true",
        help="a CSV file to open in a spreadsheet: text that would run as a formula gets a "
             "leading apostrophe (which Genebank's import removes). Without it the CSV is "
             "exact, as Genesys and EURISCO store it")
    cli_settings.add_parser(commands)
    cli_users.add_command(commands)
    cli_history.add_command(commands)
    cli_undo.add_command(commands)
    cli_withdrawals.add_commands(commands)
    cli_server.add_command(commands)
    return parser


def _output(parser: argparse.ArgumentParser, *, path: bool = True) -> None:
    """The file a command writes, and the one option every such command takes."""
    if path:
        parser.add_argument("path", type=Path)
    add_replace_option(parser)


def _one_line(error: BaseException) -> str:
    """A refusal on one line, as the CLI promises (SQLite's own report of a damaged file
    may hold line breaks)."""
    return re.sub(r"\s*\n\s*", " ", str(error).strip())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = _run(args)
        sys.stdout.flush()  # a reader that went away is told here, not at interpreter exit
        return status
    except spreadsheet.UnreadableFile as error:
        print(f"genebank: {_one_line(error)}", file=sys.stderr)
        return 2
    except problems.Coded as error:  # every refusal or problem of the core, in English
        hint = " (or add --replace to write over it)" if error.code == "exists" and \
            hasattr(args, "replace") else ""
        print(f"genebank: {_one_line(error)}{hint}", file=sys.stderr)
        return 1
    except DBAPIError as error:  # a full disk, a lost server: one plain line, no traceback
        # Whoever the command connected as (--user: the person's login role), named too.
        url = getattr(args, "connected_url", None) or database_url(args.database)
        print("genebank: " + db.describe_driver_error(
            url, error, operation=OPERATIONS.get(args.command, args.command),
            person=getattr(args, "signed_in_as", None)), file=sys.stderr)
        return 1
    except (Cancelled, KeyboardInterrupt):
        print("genebank: cancelled; nothing was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `genebank stats | head`: the reader has all it wanted
        # Python would complain again when flushing stdout at exit; point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        if os.environ.get(ENV_DEBUG):
            raise
        print(f"genebank: {args.command} failed: {unexpected_error(error)}", file=sys.stderr)
        return 1


def unexpected_error(error: BaseException) -> str:
    """One plain line for an error no service words: a driver's own first line without
    the SQL and parameters SQLAlchemy appends, a file system error with its path."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        text = str(error.orig)
    elif isinstance(error, SQLAlchemyError):
        text = str(error).split("\n")[0].split("[SQL:")[0]
    elif isinstance(error, OSError):
        text = f"{error.strerror or error}" + (f": {error.filename}" if error.filename else "")
    else:
        text = f"{type(error).__name__}: {error}"
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return (lines[0] if lines else type(error).__name__)[:300] + \
        f" (set {ENV_DEBUG}=1 for details)"


_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")


def url_problem(url: str) -> str | None:
    """Why ``url`` is no database address (a port that is not a number, ...), or None."""
    if "://" not in url:
        return None
    try:
        make_url(url)
    except (ArgumentError, ValueError) as error:
        shown = _PASSWORD.sub(r"\1@", url)  # the password left out, as everywhere
        reason = str(error).split("\n")[0]
        if "port" in reason.lower() or "invalid literal for int" in reason:
            reason = "the port after ':' must be a number, e.g. localhost:5432"
    else:
        port = make_url(url).port
        if port is None or 0 < port < 65536:
            return None
        shown = _PASSWORD.sub(r"\1@", url)
        reason = "the port after ':' must be a number from 1 to 65535, e.g. localhost:5432"
    return (f"'{shown}' is not a database address: {reason} (e.g. "
            "postgresql+psycopg://user@host:5432/genebank, or a file name)")


# The commands that may create a database: the user asked for a new one (or for the demo's
# own file). Every other command refuses a missing or empty database and creates nothing.
CREATING_COMMANDS = frozenset({"init", "demo"})
# Commands that only read: they never upgrade an older SQLite file (nor change a byte of
# it); they name `genebank upgrade` instead. A backup copies the file as it is.
READING_COMMANDS = frozenset({"stats", "export-mcpd", "backup", "history"})


def only_reads(args: argparse.Namespace) -> bool:
    """Whether the command leaves the database as it is (a dry run of an import too)."""
    return (args.command in READING_COMMANDS or bool(getattr(args, "dry_run", False))
            or (args.command == "mappings" and args.action in READING_ACTIONS)
            or (args.command == "settings" and cli_settings.only_reads(args))
            or (args.command == "users" and cli_users.only_reads(args)))


def open_for(args: argparse.Namespace, url: str) -> db.Database | None:
    """Open the database a command works on; None when the user declined an upgrade (the
    reason is printed). ``init`` and ``upgrade`` may upgrade a server database after its
    owner confirms a backup exists."""
    create = args.command in CREATING_COMMANDS
    try:
        database = db.open_database(url, create=create, upgrade=not only_reads(args))
    except db.NeedsUpgrade as needed:
        if args.command not in ("init", "upgrade") or not needed.params["is_owner"]:
            raise
        if not _confirm_server_upgrade(url, needed, yes=args.yes):
            return None
        database = db.open_database(url, create=create, upgrade_confirmed=True)
    for warning in database.warnings:
        print(f"genebank: warning: {warning.message}", file=sys.stderr)
    if database.backup_path:
        print(f"Backed up the database before upgrading it: {database.backup_path}",
              file=sys.stderr)
    return database


def _confirm_server_upgrade(url: str, needed: db.NeedsUpgrade, *, yes: bool) -> bool:
    """Ask the owner of an older server database to confirm a backup exists."""
    if yes:
        return True
    shown = _shown_url(url)
    print(f"The database {shown} is at schema {needed.params['revision']}; this Genebank "
          f"needs {needed.params['newest']}. The upgrade changes it for every workstation, "
          "so back it up first, e.g.\n"
          f"  genebank --database {shown} backup genebank-before-upgrade.sqlite\n"
          "(or with pg_dump).")
    if not sys.stdin.isatty():
        print("genebank: nothing was changed; run again with --yes once a backup exists",
              file=sys.stderr)
        return False
    answer = input("Is there a backup of this database? Upgrade now? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        print("Nothing was changed")
        return False
    return True


def _run(args: argparse.Namespace) -> int:
    if args.command == "template":
        print("Wrote the MCPD template "
              f"{passport_template.write_template(args.path, replace=args.replace)}")
        return 0
    if args.command == "tests-template":
        print("Wrote the tests template "
              f"{test_sheet.write_template(args.path, replace=args.replace)}")
        return 0
    url = database_url(args.database)
    problem = url_problem(url)
    if problem:
        print(f"genebank: {problem}", file=sys.stderr)
        return 1
    refusal = demo_refusal(args.database) if args.command == "demo" else None
    if refusal:
        print(f"genebank: {refusal}", file=sys.stderr)
        return 1
    if args.command == "resolve-duplicates":
        return _resolve_duplicates(url, rename=args.rename, yes=args.yes)
    url = args.connected_url = cli_users.server_sign_in_url(url, args)
    try:
        database = open_for(args, url)
    except db.NeedsUpgrade:
        if args.command != "backup":
            raise
        # An older database is backed up as it is, at the schema it has now (a server's
        # owner's backup before the upgrade; a SQLite file is not upgraded to be copied).
        target = backup.backup_as_is(url, args.path, replace=args.replace)
        print(f"Backed up {_shown_url(url)} (not upgraded yet) to {target}")
        return 0
    if database is None:
        return 1
    try:
        if args.command not in ("backup", "init", "upgrade", "server"):
            cli_users.sign_in(database, args, reads=only_reads(args))
        if args.command in ("init", "upgrade"):
            print(f"Database ready: {database.display_name}")
        elif args.command == "demo":
            return add_demo(database, args)
        elif args.command == "remove-demo":
            return remove_demo(database, yes=args.yes)
        elif args.command == "stats":
            with database.session_factory() as session:
                _print_stats(stats.collection_stats(
                    session, include_withdrawn=args.include_withdrawn))
        elif args.command == "backup":
            target = backup.backup(database, args.path, replace=args.replace)
            print(f"Backed up {database.display_name} to {target}")
        elif args.command == "import-mcpd":
            return import_mcpd(database, args)
        elif args.command == "import-tests":
            return import_tests(database, args)
        elif args.command == "import-participants":
            return cli_participants.import_participants(database, args)
        elif args.command == "mappings":
            return run_mappings(database, args)
        elif args.command == "export-mcpd":
            return export_mcpd(database, args)
        elif args.command == "settings":
            return cli_settings.settings(database, args)
        elif args.command == "users":
            return cli_users.users(database, args)
        elif args.command == "history":
            return cli_history.history(database, args)
        elif args.command == "undo-import":
            return cli_undo.undo_import(database, args)
        elif args.command in cli_withdrawals.OPERATIONS:
            return cli_withdrawals.run(database, args)
        elif args.command == "server":
            return cli_server.server(database, args)
        return 0
    finally:
        database.close()


def _resolve_duplicates(url: str, *, rename: bool, yes: bool) -> int:
    try:
        resolved = identity_collisions.resolve_database(url, rename=rename,
                                                        user=db.current_user())
    except db.NeedsUpgrade as needed:  # an older server database: its owner confirms first
        if not needed.params["is_owner"]:
            raise
        if not _confirm_server_upgrade(url, needed, yes=yes):
            return 1
        resolved = identity_collisions.resolve_database(
            url, rename=rename, user=db.current_user(), upgrade_confirmed=True)
    if resolved.backup:
        print(f"Backed up the database first: {resolved.backup}", file=sys.stderr)
    result = resolved.resolution
    if not resolved.groups:
        print("No accessions share one identity: nothing to resolve")
        return 0
    for accession_id, old, new in result.renamed:
        print(f"accession {accession_id}: {old} renumbered {new} ({old} kept in OTHERNUMB)")
    for accession_id, number, kept in result.removed:
        print(f"accession {accession_id}: {number} removed, a copy of accession {kept}")
    for group in result.left:
        listed = ", ".join(f"{a.accenumb} (accession {a.id})" for a in group.accessions)
        print(f"left as they are, not copies of one another or with records of their own: "
              f"{listed}")
    if result.left:
        print(f"genebank: {len(result.left):,} group(s) remain; resolve them with "
              "--rename or by editing the records, then open the database again",
              file=sys.stderr)
        return 1
    print(f"Resolved {resolved.groups:,} group(s); open the database again to upgrade it")
    return 0


def _print_stats(s: stats.CollectionStats) -> None:
    print(f"Accessions: {s.accessions:,}")
    print(f"Taxa: {s.taxa:,} ({s.genera:,} genera, {s.crops:,} crops)")
    print(f"Countries of origin: {s.countries:,}")
    print(f"Institutes: {s.institutes:,}")
    print(f"With a safety duplicate: {s.with_safety_duplicate:,}")
    if s.withdrawn:
        reasons = ", ".join(f"{reason} {n:,}" for reason, n in s.withdrawn_by_reason.items())
        print(f"Withdrawn: {s.withdrawn:,} ({reasons})")
    for code, n in s.by_storage.items():
        print(f"Storage {code} {mcpd.STORAGE.get(code, '?')}: {n:,}")
    for code, n in s.by_sampstat.items():
        label = f"{code} {mcpd.SAMPSTAT.get(code, '?')}" if code is not None else "not given"
        print(f"Biological status {label}: {n:,}")


if __name__ == "__main__":
    sys.exit(main())

"""``genebank settings``: the collection's settings that every workstation shares.

``genebank settings own-instcodes KAZ001,KAZ002`` sets the gene bank's own institute codes
(``--none`` clears them); ``genebank settings sign-in on|off`` whether people sign in (off:
a SQLite file one person uses); ``genebank settings show`` prints every setting.
"""

from __future__ import annotations

import argparse
import sys

from genebank import db, transactions
from genebank.cli_common import OPERATIONS, print
from genebank.passport import own_institutes
from genebank.services.errors import ValidationFailed
from genebank.users import accounts


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "settings", help="show or change the collection's settings (shared by every "
                         "workstation)")
    actions = parser.add_subparsers(dest="setting", required=True, metavar="setting")
    actions.add_parser("show", help="print every setting")
    own = actions.add_parser(
        "own-instcodes",
        help="the gene bank's own institute codes: an import flags rows held by others",
        description="Sets the FAO WIEWS codes under which this gene bank holds its "
                    "accessions (e.g. KAZ001,KAZ002). A passport import then flags, once "
                    "for the sheet, the rows whose INSTCODE is another institute's.")
    own.add_argument("codes", nargs="?", default="",
                     help="codes separated by commas, semicolons or spaces")
    own.add_argument("--none", action="store_true", help="clear the codes: flag nothing")
    sign_in = actions.add_parser(
        "sign-in", help="whether people sign in (off: a SQLite file one person uses)",
        description="Off only in a SQLite file with one enabled user: every record then "
                    "names that person. Anyone who can copy the file can read it either way.")
    sign_in.add_argument("state", choices=("on", "off"))


def only_reads(args: argparse.Namespace) -> bool:
    return args.setting == "show"


def settings(database: db.Database, args: argparse.Namespace) -> int:
    if args.setting == "show":
        with database.session_factory() as session:
            stored = own_institutes.own_instcodes(session)
            people = not accounts.needs_first_administrator(session)
            required = accounts.sign_in_required(session)
        print(f"own-instcodes: {','.join(stored) if stored else '(none)'}")
        if people:  # before anyone exists there is no one to sign in
            print(f"sign-in: {'on' if required else 'off'}")
        return 0
    if args.setting == "sign-in":
        transactions.run_write(database, lambda session: accounts.set_sign_in_required(
            session, args.state == "on"), operation=OPERATIONS["settings"])
        print(f"sign-in: {args.state}")
        return 0
    codes = own_institutes.split_codes(args.codes)
    if not codes and not args.none:
        print("genebank: give the codes (e.g. KAZ001,KAZ002), or --none to clear them; "
              "nothing changed", file=sys.stderr)
        return 2
    if codes and args.none:
        print("genebank: give either codes or --none; nothing changed", file=sys.stderr)
        return 2
    try:
        result = transactions.run_write(
            database, lambda session: own_institutes.set_own_instcodes(session, codes),
            operation=OPERATIONS["settings"])
    except ValidationFailed as refused:
        for problem in refused.problems:
            print(f"genebank: {problem.message}; nothing changed", file=sys.stderr)
        return 1
    print("Own institute codes: " + (",".join(result.codes) if result.codes else "(none)"))
    return 0

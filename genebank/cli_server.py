"""``genebank server set-up``: a server database's people become login roles of the
server, once, run by whoever administers the server (see :mod:`genebank.server_roles`)."""

from __future__ import annotations

import argparse

from genebank import db, server_roles
from genebank.cli_common import print
from genebank.services.refusals import Refused

ACTIONS = ("set-up",)


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "server", help="a server database's login roles and grants (the server's DBA)",
        description="set-up: run once on a PostgreSQL database, connected as a role with "
                    "CREATEROLE that owns its tables (e.g. postgres). Each Genebank user "
                    "then signs in as a login role of the server, named with the "
                    "database's prefix (gb_<database>_).")
    actions = parser.add_subparsers(dest="action", required=True, metavar="action")
    actions.add_parser("set-up", help="the owner, group and user-making roles, the grants "
                                      "per role; may be run again")


def server(database: db.Database, args: argparse.Namespace) -> int:
    if database.is_sqlite:
        raise Refused("set_up_server_only")
    with database.engine.begin() as connection:
        done = server_roles.set_up(connection)
    made = ", ".join(done.roles_created) if done.roles_created else "none (they existed)"
    print(f"Set up the login roles of {database.display_name}")
    print(f"  role prefix: {done.prefix} (a person named anna signs in as "
          f"{done.prefix}anna)")
    print(f"  roles created: {made}")
    print(f"  {done.tables_owned} tables now owned by {server_roles.owner_role(done.prefix)}, "
          f"granted to the group roles per Genebank role ({done.tables_granted} tables)")
    print("  people are added with: genebank users add NAME --roles ROLES (the first, "
          "the administrator, by this same connection; the others by an administrator "
          "with --user)")
    return 0

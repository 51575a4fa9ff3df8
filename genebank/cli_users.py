"""``genebank users ...`` and the command line's sign-in (``--user NAME``).

The password comes from $GENEBANK_PASSWORD (scripts) or a prompt that does not echo it; a
new or reset password from $GENEBANK_NEW_PASSWORD or a prompt asked twice. A database
whose people must sign in refuses a changing command without --user (``cli_needs_user``);
a database with nobody yet has its first administrator made by ``genebank users add NAME
--roles administrator``, or asked for at once when the command runs at a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterable

from sqlalchemy.engine import make_url

from genebank import db, problems, server_roles, transactions
from genebank.cli_common import print
from genebank.services.refusals import Refused
from genebank.users import accounts
from genebank.users.actor import Actor, actor_of, attach, implicit_actor, require
from genebank.users.roles import Right, Role, parse_roles

ENV_PASSWORD = "GENEBANK_PASSWORD"
ENV_NEW_PASSWORD = "GENEBANK_NEW_PASSWORD"
OPERATION = "Managing users"
ACTIONS = ("add", "list", "disable", "enable", "set-roles", "reset-password")
# The right a changing command needs, checked at sign-in: an import is refused before its
# file is read, not after minutes of checking rows (the services check again).
COMMAND_RIGHTS = {"import-mcpd": Right.CHANGE_PASSPORT, "import-tests": Right.CHANGE_CONSERVATION,
                  "import-participants": Right.CHANGE_TRAINING,
                  "settings": Right.MANAGE_SETTINGS, "users": Right.MANAGE_USERS,
                  "remove-demo": Right.DELETE_RECORDS}

problems.register({
    "cli_needs_user": "this database requires signing in: give --user NAME (the password "
                      "from the prompt or ${variable}); nothing was changed",
    "password_not_given": "no password for '{name}': set ${variable} or run the command at "
                          "a terminal to be asked",
    "passwords_differ": "the two passwords differ; nothing was changed",
    "unknown_role": "'{role}' is not a role; the roles are {roles:keys}",
})


def add_options(parser: argparse.ArgumentParser) -> None:
    # Its own dest: `genebank history --user NAME` filters by a person (the words),
    # and a command's option of the same name must not sign anyone in.
    parser.add_argument("--user", metavar="NAME", dest="signed_in_as",
                        help=f"sign in as NAME (password: ${ENV_PASSWORD}, else asked)")


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "users", help="the people who sign in, and their roles (administrators)",
        description="Roles: " + ", ".join(role.value for role in Role) + ". A person may "
                    "hold several (--roles curator,seed_laboratory). The first user of a "
                    "database is its administrator and needs no --user.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="action")
    add = actions.add_parser("add", help="add a person with their roles")
    add.add_argument("name")
    add.add_argument("--roles", required=True, help="e.g. curator,seed_laboratory")
    add.add_argument("--display-name", default="", help="the full name shown in lists")
    actions.add_parser("list", help="every person, their roles, and who is disabled")
    for action, words in (("disable", "a person can no longer sign in (their records stay)"),
                          ("enable", "a disabled person can sign in again"),
                          ("reset-password", "give a person a new password")):
        actions.add_parser(action, help=words).add_argument("name")
    roles = actions.add_parser("set-roles", help="a person's roles become exactly these")
    roles.add_argument("name")
    roles.add_argument("roles", help="e.g. curator,viewer")


def only_reads(args: argparse.Namespace) -> bool:
    return args.action == "list"


def _roles(text: str) -> frozenset[Role]:
    try:
        return parse_roles(text)
    except ValueError as unknown:
        raise Refused("unknown_role", role=str(unknown),
                      roles=[role.value for role in Role]) from None


def _password(name: str) -> str:
    given = os.environ.get(ENV_PASSWORD)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise Refused("password_not_given", name=name, variable=ENV_PASSWORD)
    return getpass.getpass(f"Password for {name}: ")


def _new_password(name: str) -> str:
    given = os.environ.get(ENV_NEW_PASSWORD)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise Refused("password_not_given", name=name, variable=ENV_NEW_PASSWORD)
    first = getpass.getpass(f"New password for {name}: ")
    if getpass.getpass("The same password again: ") != first:
        raise Refused("passwords_differ")
    return first


def server_sign_in_url(url: str, args: argparse.Namespace) -> str:
    """On a server, --user NAME connects as NAME's login role (the database's prefix +
    the name), with the password given once: the server checks it. ``url`` otherwise."""
    if not args.signed_in_as:
        return url
    parsed = make_url(url) if "://" in url else None
    if parsed is None or parsed.get_backend_name() != "postgresql" or not parsed.database:
        return url
    args.given_password = _password(args.signed_in_as)
    return server_roles.login_url(url, server_roles.default_prefix(parsed.database),
                                  args.signed_in_as, args.given_password)


def sign_in(database: db.Database, args: argparse.Namespace, *, reads: bool) -> None:
    """Sign the command in as --user, or refuse a change where sign-in is required; at a
    terminal, a database with nobody yet asks for its administrator first. Without a
    sign-in, the actor the database implies (before sign-in, or its one person when
    sign-in is off) is attached explicitly, so records and history name them."""
    if args.signed_in_as:
        password = getattr(args, "given_password", None) or _password(args.signed_in_as)
        actor = transactions.run_read(database, lambda session: accounts.sign_in(
            session, name=args.signed_in_as, password=password), operation=OPERATION)
        attach(database.session_factory, actor)
        _command_right(database, args, reads=reads)
        return
    first_admin = args.command == "users" and args.action == "add"
    needs_admin, required = transactions.run_read(database, lambda session: (
        accounts.needs_first_administrator(session), accounts.sign_in_required(session)),
        operation=OPERATION)
    if required and not reads:
        raise Refused("cli_needs_user", variable=ENV_PASSWORD)
    if needs_admin and not first_admin and sys.stdin.isatty() and not reads \
            and transactions.run_read(database, accounts.people_kept_here,
                                      operation=OPERATION):
        attach(database.session_factory, _ask_first_administrator(database))
    else:
        implied = transactions.run_read(database, implicit_actor, operation=OPERATION)
        if implied is not None:
            attach(database.session_factory, implied)
    if not first_admin:
        _command_right(database, args, reads=reads)


def _command_right(database: db.Database, args: argparse.Namespace, *, reads: bool) -> None:
    right = COMMAND_RIGHTS.get(args.command)
    if right is not None and not reads:
        transactions.run_read(database, lambda session: require(actor_of(session), right),
                              operation=OPERATION)


def _ask_first_administrator(database: db.Database) -> Actor:
    """Ask at the terminal for the database's administrator, and sign them in."""
    print("This database has no administrator yet. Genebank records who does what from "
          "now on; records made before keep the names they have.")
    name = input("The administrator's user name: ").strip()
    password = _new_password(name)
    made = transactions.run_write(database, lambda session: (
        accounts.create_first_administrator(session, name=name, password=password)),
        operation=OPERATION)
    print(f"Added the administrator {made.name}")
    return transactions.run_read(database, lambda session: accounts.sign_in(
        session, name=name, password=password), operation=OPERATION)


def users(database: db.Database, args: argparse.Namespace) -> int:
    """Run one ``genebank users`` action."""
    if args.action == "list":
        listed = transactions.run_read(database, accounts.list_users, operation=OPERATION)
        for user in listed:
            state = "disabled" if user.disabled else "enabled"
            roles = _roles_text(user.roles)
            print(" | ".join((user.name, user.display_name, roles, state)))
        return 0
    if args.action == "add":
        roles = _roles(args.roles)
        first = transactions.run_read(database, accounts.needs_first_administrator,
                                      operation=OPERATION)
        kept = transactions.run_read(database, accounts.people_kept_here,
                                     operation=OPERATION)
        # On a server, the login role's (refused below while the roles are not set up).
        password = _new_password(args.name) if kept else None
        add = accounts.create_first_administrator if first and not args.signed_in_as \
            else accounts.add_user
        made = transactions.run_write(database, lambda session: add(
            session, name=args.name, roles=roles, password=password,
            display_name=args.display_name), operation=OPERATION)
        print(f"Added {made.name} ({_roles_text(made.roles)})")
        return 0
    if args.action == "set-roles":
        roles = _roles(args.roles)
        made = transactions.run_write(database, lambda session: accounts.set_roles(
            session, args.name, roles), operation=OPERATION)
        print(f"{made.name}: {_roles_text(made.roles)}")
        return 0
    if args.action == "reset-password":
        password = _new_password(args.name)
        made = transactions.run_write(database, lambda session: accounts.reset_password(
            session, args.name, password), operation=OPERATION)
        print(f"New password set for {made.name}")
        return 0
    change = accounts.disable_user if args.action == "disable" else accounts.enable_user
    made = transactions.run_write(database, lambda session: change(session, args.name),
                                  operation=OPERATION)
    print(f"{made.name} is {'disabled' if made.disabled else 'enabled'}")
    return 0


def _roles_text(roles: Iterable[Role]) -> str:
    """A person's roles as the command line takes them back: curator,seed_laboratory."""
    return ",".join(role.value for role in roles)

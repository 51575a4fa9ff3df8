"""The use cases of people and their accounts: the first administrator, adding, listing,
disabling and enabling people, their roles and passwords, signing in, and whether a
database requires signing in.

An administrator manages people (``manage_users``); a person changes their own password;
signing in and creating a database's first administrator need no right (nobody can hold
one yet). The last enabled administrator can neither be disabled nor lose the role, so a
database always has someone who can manage it. A disabled person stays, with every record
they made: nothing here deletes a person.

Passwords are hashed here on SQLite only (:mod:`genebank.users.passwords`): on PostgreSQL
each person is a login role whose password the server checks (SCRAM), and their account
here has no hash. There the account's row and roles (``user_account_role``, the one source
of a person's roles) are written as on SQLite, and in the same transaction the server's
``genebank_sync_login`` makes the login role follow them (:mod:`genebank.server_roles`):
created, its group memberships, LOGIN or NOLOGIN, and a new password's SCRAM verifier,
made here so that the password itself never travels to the server.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genebank import problems, server_roles
from genebank.models import CollectionSetting, UserAccount, UserRole
from genebank.services.refusals import Refused
from genebank.services.text_fields import checked_text
from genebank.text import TextKind, limit_of
from genebank.users import passwords
from genebank.users.actor import (
    SIGN_IN_SETTING,
    Actor,
    actor_of,
    as_now,
    everyone,
    forget_implicit,
    requires,
    sign_in_turned_off,
)
from genebank.users.roles import Right, Role

problems.register({
    "user_exists": "there is already a user named '{name}' (names are the same whatever "
                   "their case)",
    "user_not_found": "there is no user named '{name}'",
    "user_name_missing": "give the user's name",
    "user_needs_role": "give '{name}' at least one role",
    "first_administrator_exists": "this database has its administrator already: sign in as "
                                  "an administrator to add people",
    "first_user_is_administrator": "the first user of a database is its administrator: "
                                   "give '{name}' the role administrator",
    "last_administrator": "'{name}' is the last administrator of this database: make "
                          "someone else administrator first",
    "sign_in_failed": "the user name or the password is wrong",
    "user_disabled": "'{name}' is disabled: an administrator can enable them again",
    "not_signed_in_user": "only a signed-in person has a password to change",
    "password_needed": "give '{name}' a password (this database keeps passwords itself)",
    "sign_in_off_one_person": "sign-in can be turned off only while one person uses the "
                              "database; it has {people} enabled users",
    "sign_in_off_file_only": "sign-in can be turned off only in a SQLite file used by one "
                             "person, not on a server",
    "sign_in_off_no_new_user": "sign-in is off, so this database records one person; turn "
                               "sign-in on before adding '{name}'",
    "server_roles_missing": "on a server each person signs in as a login role of the "
                            "server, and this database's roles are not set up yet: whoever "
                            "administers the server runs genebank server set-up once. Until "
                            "then the database records each workstation's server login "
                            "name, as before; '{name}' was not added",
    "server_sign_in_mismatch": "this connection is the server's {login}, not '{name}': sign "
                               "in with your own name and password",
})


@dataclass(frozen=True, slots=True)
class UserSummary:
    """A person as the users list shows them."""

    id: int
    name: str
    display_name: str
    roles: tuple[Role, ...]
    disabled: bool
    has_password: bool
    created_at: dt.datetime
    created_by: str


def name_key(name: str) -> str:
    """The form two names are compared in: NFC, case-folded, NFC again (case-folding can
    decompose), so "José", "JOSÉ" and "Jose" + U+0301 are one name; "Jose" another."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def checked_name(name: str) -> str:
    """The name as stored: NFC, trimmed, no control character, within the column."""
    return checked_text(name, field="user", label="user name", kind=TextKind.IDENTIFIER,
                        limit=limit_of(UserAccount.name))  # type: ignore[arg-type]


def _summary(user: UserAccount) -> UserSummary:
    return UserSummary(user.id, user.name, user.display_name,
                       tuple(Role(r.role) for r in user.roles), user.disabled,
                       user.password_hash is not None, user.created_at, user.created_by)


def _find(session: Session, name: str, *, lock: bool = False) -> UserAccount:
    query = select(UserAccount).where(UserAccount.name_key == name_key(name.strip()))
    user = session.scalars(query.with_for_update() if lock else query).first()
    if user is None:
        raise Refused("user_not_found", name=name)
    return user


def _keeps_passwords(session: Session) -> bool:
    """SQLite keeps passwords; a server checks its own (no hash stored)."""
    return session.get_bind().dialect.name == "sqlite"


def _new_user(session: Session, *, name: str, roles: Iterable[Role], password: str | None,
              display_name: str) -> UserAccount:
    name = checked_name(name)
    roles = frozenset(roles)
    if not people_kept_here(session):
        raise Refused("server_roles_missing", name=name)
    if not name:
        raise Refused("user_name_missing")
    if not roles:
        raise Refused("user_needs_role", name=name)
    if session.scalar(select(UserAccount.id).where(UserAccount.name_key == name_key(name))):
        raise Refused("user_exists", name=name)
    password_hash = None
    if _keeps_passwords(session):
        if password is None:
            raise Refused("password_needed", name=name)
        passwords.check_strength(password)
        password_hash = passwords.hash_password(password)
    elif password is not None:
        passwords.check_strength(password)
    user = UserAccount(name=name, name_key=name_key(name), password_hash=password_hash,
                       display_name=checked_text(display_name, field="display_name",
                                                 label="display name", limit=200),
                       disabled=False, roles=[UserRole(role=r.value) for r in sorted(roles)])
    session.add(user)
    session.flush()
    _sync_login(session, user, password)
    forget_implicit(session)
    return user


def _sync_login(session: Session, user: UserAccount, password: str | None = None) -> None:
    """On a server, the person's login role follows their account (see module)."""
    if _keeps_passwords(session):
        return
    server_roles.sync_login(session.connection(), user.id, user.name_key, password)


@everyone
def people_kept_here(session: Session) -> bool:
    """Whether this database may have people yet: a SQLite file; a server once its login
    roles were set up (``genebank server set-up``). Where not, the window and the command line ask
    for no administrator and no sign-in: the database works as before sign-in."""
    return _keeps_passwords(session) or \
        server_roles.role_prefix(session.connection()) is not None


@everyone
def needs_first_administrator(session: Session) -> bool:
    """Whether the database has nobody yet: a new database, or one made before sign-in
    existed. The window and the command line then ask for its administrator."""
    return session.scalar(select(UserAccount.id).limit(1)) is None


@everyone
def sign_in_began(session: Session) -> dt.datetime | None:
    """When the database's first person was made (UTC): a record stamped before it names
    a login name, not a person who signed in, and is shown as "(before sign-in)". None
    while nobody exists."""
    return session.scalar(select(func.min(UserAccount.created_at)))


@everyone
def create_first_administrator(session: Session, *, name: str, password: str | None,
                               display_name: str = "",
                               roles: Iterable[Role] = (Role.ADMINISTRATOR,)) -> UserSummary:
    """The database's first person, its administrator (other roles may come with it: in a
    small gene bank the administrator is often the curator too). Refused once anyone is
    there: then an administrator adds people."""
    roles = frozenset(roles)
    if not needs_first_administrator(session):
        raise Refused("first_administrator_exists")
    if Role.ADMINISTRATOR not in roles:
        raise Refused("first_user_is_administrator", name=name)
    return _summary(_new_user(session, name=name, roles=roles, password=password,
                              display_name=display_name))


@requires(Right.MANAGE_USERS)
def add_user(session: Session, *, name: str, roles: Iterable[Role], password: str | None,
             display_name: str = "") -> UserSummary:
    """A new person with their roles (and, on SQLite, their first password)."""
    if sign_in_turned_off(session):
        raise Refused("sign_in_off_no_new_user", name=name)
    return _summary(_new_user(session, name=name, roles=roles, password=password,
                              display_name=display_name))


@requires(Right.MANAGE_USERS)
def list_users(session: Session) -> list[UserSummary]:
    """Every person, disabled ones too, by name."""
    users = session.scalars(select(UserAccount).order_by(UserAccount.name_key))
    return [_summary(user) for user in users]


def _refuse_last_administrator(session: Session, user: UserAccount) -> None:
    """Refuse when ``user`` is the only enabled administrator. The administrators' rows
    are locked, so two administrators removing each other at once cannot both pass."""
    admins = session.scalars(
        select(UserAccount.id).join(UserRole).where(
            UserRole.role == Role.ADMINISTRATOR.value, UserAccount.disabled.is_(False))
        .with_for_update()).all()
    if set(admins) <= {user.id}:
        raise Refused("last_administrator", name=user.name)


@requires(Right.MANAGE_USERS)
def disable_user(session: Session, name: str) -> UserSummary:
    """The person can no longer sign in; every record they made stays theirs."""
    user = _find(session, name, lock=True)
    if not user.disabled and Role.ADMINISTRATOR.value in {r.role for r in user.roles}:
        _refuse_last_administrator(session, user)
    user.disabled = True
    session.flush()
    _sync_login(session, user)
    forget_implicit(session)
    return _summary(user)


@requires(Right.MANAGE_USERS)
def enable_user(session: Session, name: str) -> UserSummary:
    user = _find(session, name, lock=True)
    user.disabled = False
    session.flush()
    _sync_login(session, user)
    forget_implicit(session)
    return _summary(user)


@requires(Right.MANAGE_USERS)
def set_roles(session: Session, name: str, roles: Iterable[Role]) -> UserSummary:
    """The person's roles become exactly ``roles`` (at least one)."""
    user = _find(session, name, lock=True)
    roles = frozenset(roles)
    if not roles:
        raise Refused("user_needs_role", name=user.name)
    held = {Role(r.role) for r in user.roles}
    if Role.ADMINISTRATOR in held and Role.ADMINISTRATOR not in roles and not user.disabled:
        _refuse_last_administrator(session, user)
    user.roles = [r for r in user.roles if Role(r.role) in roles] + \
        [UserRole(role=r.value) for r in sorted(roles - held)]
    session.flush()
    _sync_login(session, user)
    forget_implicit(session)
    return _summary(user)


@requires(Right.MANAGE_USERS)
def reset_password(session: Session, name: str, password: str) -> UserSummary:
    """An administrator gives the person a new password (they forgot theirs); the history
    says so (who reset whose password, when), never the password nor its hash."""
    user = _find(session, name, lock=True)
    _set_password(session, user, password)
    _password_entry(session, user, "reset")
    return _summary(user)


# What the history says of a password (its ``password`` field's new value): an
# administrator's reset, or the person's own change. Never the password or a hash: on a
# server the password is the login role's, and the entry is the same.
PASSWORD_EVENTS = ("reset", "changed")


def _password_entry(session: Session, user: UserAccount, event: str) -> None:
    from genebank.history.entries import Change, write

    write(session, [Change("user_account", user.id, "user_account", "changed",
                           {"password": (None, event)}, str(user.id), user.name)])


def _set_password(session: Session, user: UserAccount, password: str) -> None:
    passwords.check_strength(password)
    if not _keeps_passwords(session):  # the server keeps its verifier, Genebank no hash
        _sync_login(session, user, password)
        return
    user.password_hash = passwords.hash_password(password)
    session.flush()


@everyone
def change_own_password(session: Session, *, old: str, new: str) -> None:
    """The signed-in person changes their password, giving the old one again."""
    actor = actor_of(session)
    if actor.user_id is None or actor.unrestricted:
        raise Refused("not_signed_in_user")
    if not _keeps_passwords(session):  # a login role may change its own password
        if not server_roles.password_is(session.connection(), old):
            raise Refused("sign_in_failed")
        passwords.check_strength(new)
        server_roles.change_own_password(session.connection(), new)
        person = session.get(UserAccount, actor.user_id)
        if person is not None:
            _password_entry(session, person, "changed")
        return
    user = session.get(UserAccount, actor.user_id, with_for_update=True)
    if user is None or user.password_hash is None or \
            not passwords.verify(user.password_hash, old):
        raise Refused("sign_in_failed")
    _set_password(session, user, new)
    _password_entry(session, user, "changed")


@everyone
def sign_in(session: Session, *, name: str, password: str) -> Actor:
    """The actor for ``name`` when ``password`` is theirs: ``sign_in_failed`` for a wrong
    name or password alike (the refusal does not tell which names exist), ``user_disabled``
    for a disabled person with the right password.

    On a server the server checked the password when the session's connection was made
    as the person's login role (:func:`genebank.server_roles.login_url`): the person is
    the connection's ``current_user``, which must be ``name``'s login role."""
    user = session.scalars(select(UserAccount).where(
        UserAccount.name_key == name_key(name.strip()))).first()
    if not _keeps_passwords(session):
        connection = session.connection()
        prefix = server_roles.role_prefix(connection)
        login = server_roles.current_login(connection)
        if user is None or prefix is None:
            raise Refused("sign_in_failed")
        if login != server_roles.login_role(prefix, user.name_key):
            raise Refused("server_sign_in_mismatch", login=login, name=user.name)
    elif user is None or user.password_hash is None or \
            not passwords.verify(user.password_hash, password):
        raise Refused("sign_in_failed")
    if user.disabled:
        raise Refused("user_disabled", name=user.name)
    return Actor(user.id, user.name, frozenset(Role(r.role) for r in user.roles))


@everyone
def person_now(session: Session, actor: Actor) -> Actor | None:
    """``actor`` with the roles the database gives them now (an administrator on another
    workstation may have changed them since they signed in); None once disabled."""
    try:
        return as_now(session, actor)
    except Refused:
        return None


@everyone
def sign_in_required(session: Session) -> bool:
    """Whether people must sign in: once the database has a user, unless sign-in was
    turned off (one person, SQLite)."""
    return not needs_first_administrator(session) and not sign_in_turned_off(session)


@requires(Right.MANAGE_SETTINGS)
def set_sign_in_required(session: Session, required: bool) -> bool:
    """Turn sign-in on or off. Off only in a SQLite file with one enabled person, whose
    name then stamps every record (the file is the boundary: see the README)."""
    if not required:
        if not _keeps_passwords(session):
            raise Refused("sign_in_off_file_only")
        people = session.scalars(select(UserAccount.id).where(
            UserAccount.disabled.is_(False))).all()
        if len(people) != 1:
            raise Refused("sign_in_off_one_person", people=len(people))
    setting = session.get(CollectionSetting, SIGN_IN_SETTING)
    if required and setting is not None:
        session.delete(setting)
    elif not required and setting is None:
        session.add(CollectionSetting(key=SIGN_IN_SETTING, value="off"))
    session.flush()
    forget_implicit(session)
    return required

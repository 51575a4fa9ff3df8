"""Who a session works for, and the one check every service makes.

A session carries its :class:`Actor` in ``session.info["actor"]`` (set by whoever opened
it after a sign-in: :func:`attach`). Every service of the passport, conservation and
training areas says its right once, with :func:`requires` (or :func:`everyone` for what
every role may do), and ``tests/genebank/test_rights.py`` finds every service and runs it
as each role lacking its right.

A session without an actor is not a bypass: :func:`actor_of` asks the database. With no
user yet (a new database, or one made before sign-in existed) or with sign-in turned off
(a one-person SQLite database), the work is done as that database's one person, without
restriction, as before sign-in; a database whose people must sign in refuses
(``sign_in_required``), whoever forgot to sign in: a script, the CLI without --user, a
future window.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from genebank import problems
from genebank.models import CollectionSetting, UserAccount, UserRole
from genebank.services.refusals import Refused
from genebank.users.roles import Right, Role, rights_of, roles_holding

problems.register({
    "not_allowed": "{user} may not {right:word}: that needs the role {roles:keys}; an "
                   "administrator can give it",
    "sign_in_required": "this database requires signing in: sign in first (on the command "
                        "line, --user NAME); nothing was changed",
    "signed_in_person_disabled": "{user} has been disabled by an administrator since signing "
                                 "in: nothing was changed",
})

SIGN_IN_SETTING = "sign_in"  # collection_setting key; "off" turns sign-in off
_IMPLICIT = "genebank_implicit_actor"  # session.info: the actor actor_of worked out
_LOGIN_NAME = "genebank_login_name"  # factory info: the stamp name before a sign-in
_CURRENT = "genebank_current_actor"  # session.info: the signed-in person as the database has
# them in this session's transaction (their roles now, read once per session)


@dataclass(frozen=True, slots=True)
class Actor:
    """The person a session works for. ``user_id`` is None before a database has users
    (then ``name`` is the login name stamped as before). ``unrestricted``: nobody signs in
    (no users yet, or sign-in turned off), so the one person may do everything."""

    user_id: int | None
    name: str
    roles: frozenset[Role]
    unrestricted: bool = False

    def may(self, right: Right) -> bool:
        return self.unrestricted or right in rights_of(self.roles)


def attach(factory: sessionmaker[Session], actor: Actor) -> None:
    """Make every session of ``factory`` work for ``actor`` (and stamp its name)."""
    info = dict(factory.kw.get("info") or {})
    info.setdefault(_LOGIN_NAME, info.get("user", ""))
    info.update(user=actor.name, actor=actor)
    factory.configure(info=info)


def detach(factory: sessionmaker[Session]) -> None:
    """The person signed out: ``factory``'s sessions work for nobody again (so a database
    requiring sign-in refuses them) and stamp the login name they stamped before."""
    info = dict(factory.kw.get("info") or {})
    info.pop("actor", None)
    if _LOGIN_NAME in info:
        info["user"] = info.pop(_LOGIN_NAME)
    factory.configure(info=info)


def attached(factory: sessionmaker[Session]) -> Actor | None:
    """The person ``factory``'s sessions work for, if someone signed in."""
    actor = (factory.kw.get("info") or {}).get("actor")
    return actor if isinstance(actor, Actor) else None


def actor_of(session: Session) -> Actor:
    """The session's actor: the one signed in, with the roles the database gives them now
    (:func:`as_now`), else what the database says (see module)."""
    actor = session.info.get("actor")
    if isinstance(actor, Actor):
        return as_now(session, actor)
    implicit = session.info.get(_IMPLICIT)
    if isinstance(implicit, Actor):
        return implicit
    implicit = implicit_actor(session)
    if implicit is None:
        raise Refused("sign_in_required")
    session.info[_IMPLICIT] = implicit
    session.info["user"] = implicit.name  # sign-in off: records name the one person
    return implicit


def as_now(session: Session, actor: Actor) -> Actor:
    """``actor`` (signed in, perhaps hours ago, perhaps on another workstation's database
    since changed) as the database has them in this session's transaction: their roles
    read again, once per session (two lookups by key), so that a person an administrator
    gave other roles works with those from their next write, and one disabled meanwhile is
    refused (``signed_in_person_disabled``). The implicit one person (nobody signs in) and
    an actor without an account are taken as they are."""
    if actor.user_id is None or actor.unrestricted:
        return actor
    known = session.info.get(_CURRENT)
    if isinstance(known, tuple) and known[0] is actor:
        return known[1]  # type: ignore[no-any-return]
    disabled = session.scalar(select(UserAccount.disabled).where(
        UserAccount.id == actor.user_id))
    if disabled is None or disabled:
        raise Refused("signed_in_person_disabled", user=actor.name)
    roles = frozenset(Role(role) for role in session.scalars(
        select(UserRole.role).where(UserRole.user_id == actor.user_id)))
    now = actor if roles == actor.roles else Actor(actor.user_id, actor.name, roles)
    session.info[_CURRENT] = (actor, now)
    return now


def forget_implicit(session: Session) -> None:
    """The accounts changed in this session: work the implicit actor out again (and the
    signed-in person's roles)."""
    session.info.pop(_IMPLICIT, None)
    session.info.pop(_CURRENT, None)


def sign_in_turned_off(session: Session) -> bool:
    return session.scalar(select(CollectionSetting.value).where(
        CollectionSetting.key == SIGN_IN_SETTING)) == "off"


def implicit_actor(session: Session) -> Actor | None:
    """Who works when nobody signed in: None when the database's people must sign in."""
    users = session.scalar(select(func.count()).select_from(UserAccount)) or 0
    if users == 0:
        return Actor(None, str(session.info.get("user", "")), frozenset(Role),
                     unrestricted=True)
    if not sign_in_turned_off(session):
        return None
    person = session.scalars(select(UserAccount).where(
        UserAccount.disabled.is_(False)).order_by(UserAccount.id)).first()
    if person is None:
        return None
    return Actor(person.id, person.name, frozenset(Role(r.role) for r in person.roles),
                 unrestricted=True)


def require(session_or_actor: Session | Actor, right: Right) -> Actor:
    """The actor, when it holds ``right``; else :class:`Refused` ``not_allowed`` (or
    ``sign_in_required``) before anything is written."""
    actor = session_or_actor if isinstance(session_or_actor, Actor) \
        else actor_of(session_or_actor)
    if not actor.may(right):
        raise Refused("not_allowed", user=actor.name, right=right.value,
                      roles=[role.value for role in roles_holding(right)])
    return actor


P = ParamSpec("P")
R = TypeVar("R")
RIGHT_ATTRIBUTE = "required_right"  # what a service requires; None: every role (everyone)
INTERNAL = "internal"  # a helper of other services (see internal)


def requires(right: Right) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A service's one check: the session (first argument, or ``session=``) must work for
    someone holding ``right``; checked before the service runs."""
    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            session = kwargs["session"] if "session" in kwargs else args[0]
            require(session, right)  # type: ignore[arg-type]
            return service(*args, **kwargs)

        setattr(checked, RIGHT_ATTRIBUTE, right)
        return checked
    return decorate


def everyone(service: Callable[P, R]) -> Callable[P, R]:
    """Marks a service every role may use (reads, exports, counts), with no check: said
    out loud so that a service with neither mark fails ``test_rights``."""
    setattr(service, RIGHT_ATTRIBUTE, None)
    return service


def internal(service: Callable[P, R]) -> Callable[P, R]:
    """Marks a helper that other services call inside their own, checked, transaction
    (it may return a model, or write what its caller's right covers). Never an entry point:
    ``test_rights`` refuses a call of one from ``ui/`` or the command line."""
    setattr(service, RIGHT_ATTRIBUTE, INTERNAL)
    return service


def work_as(session: Session, actor: Actor) -> Session:
    """Make one session work for ``actor`` (and stamp its name): tests and scripts."""
    session.info.update(user=actor.name, actor=actor)
    forget_implicit(session)
    return session

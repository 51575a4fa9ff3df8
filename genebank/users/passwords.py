"""Passwords of a SQLite database's users, hashed with Argon2id (argon2-cffi).

Why Argon2id: it is memory-hard, so a copied database file cannot be tried against
billions of guesses on a graphics card the way a fast hash (SHA-256) can; it is the
standard choice (RFC 9106, OWASP). The parameters are OWASP's first option, 46 MiB and one
pass, tuned for the modest laptops of a gene bank: a sign-in costs about 0.4 s on a shared
2-core test machine and less on a laptop, once per start. A hash keeps its parameters, so
stronger ones later only need :func:`needs_rehash` at the next sign-in.

On PostgreSQL no hash is stored: the server checks the password (SCRAM).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

from genebank import problems
from genebank.services.refusals import Refused

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MEMORY_KIB = 47_104  # 46 MiB
TIME_COST = 1
PARALLELISM = 1
MIN_LENGTH = 8



@functools.cache
def _hasher() -> PasswordHasher:
    """Imported at the first password, not at start: the command line and the window
    import this module, and most of their runs hash nothing."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB,
                          parallelism=PARALLELISM)

problems.register({
    "password_too_short": "a password needs at least {minimum} characters",
})


def _normal(password: str) -> str:
    """The same password typed on any keyboard: é as one character or as e + accent
    (NFC, as RFC 8265 prepares passwords)."""
    return unicodedata.normalize("NFC", password)


def check_strength(password: str) -> None:
    """Refuse a password too short to be one (``password_too_short``)."""

    if len(_normal(password)) < MIN_LENGTH:
        raise Refused("password_too_short", minimum=MIN_LENGTH)


def hash_password(password: str) -> str:
    """The Argon2id hash to store (salt and parameters included)."""
    return _hasher().hash(_normal(password))


def verify(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from; a damaged hash is False."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, _normal(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other parameters than today's."""
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True

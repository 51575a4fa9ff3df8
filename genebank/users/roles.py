"""The six roles of a gene bank's team and the rights each holds.

A right is what a service checks (:func:`genebank.users.actor.requires`); a role is what an
administrator gives a person, and a person may hold several. Keeping the table here, in one
place, lets the GUI grey what a person may not do and the server's grants (PostgreSQL, next
step) follow the same table instead of a second copy.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """A role as stored (``user_account_role.role``) and as the CLI takes it."""

    ADMINISTRATOR = "administrator"
    CURATOR = "curator"
    SEED_LABORATORY = "seed_laboratory"
    DISTRIBUTION_OFFICER = "distribution_officer"
    TRAINER = "trainer"
    VIEWER = "viewer"


class Right(enum.StrEnum):
    """What a service may require. The value is a key the GUI words (``{right:word}``)."""

    MANAGE_USERS = "manage_users"            # add, disable, give roles, reset passwords
    MANAGE_SETTINGS = "manage_settings"      # settings, rules, local vocabularies, institutes
    CHANGE_PASSPORT = "change_passport_data"  # accessions, passport imports, withdrawals
    # lots, tests, regeneration, locations, safety duplicates
    CHANGE_CONSERVATION = "change_conservation_records"
    MANAGE_DISTRIBUTION = "manage_distribution"  # orders and agreements (issue [6 of 7])
    # programmes, courses, participants, enrolments, certificates
    CHANGE_TRAINING = "change_training_records"
    READ_PERSONAL_DATA = "read_personal_data"  # participants' (later requesters') details
    DELETE_RECORDS = "delete_records"        # records made by mistake (others are withdrawn)
    SAVE_IMPORT_MAPPINGS = "save_import_mappings"  # the column mappings imports share


RIGHTS: dict[Role, frozenset[Right]] = {
    Role.ADMINISTRATOR: frozenset({Right.MANAGE_USERS, Right.MANAGE_SETTINGS,
                                   Right.READ_PERSONAL_DATA, Right.DELETE_RECORDS,
                                   Right.SAVE_IMPORT_MAPPINGS}),
    Role.CURATOR: frozenset({Right.CHANGE_PASSPORT, Right.SAVE_IMPORT_MAPPINGS}),
    Role.SEED_LABORATORY: frozenset({Right.CHANGE_CONSERVATION, Right.SAVE_IMPORT_MAPPINGS}),
    Role.DISTRIBUTION_OFFICER: frozenset({Right.MANAGE_DISTRIBUTION,
                                          Right.READ_PERSONAL_DATA}),
    Role.TRAINER: frozenset({Right.CHANGE_TRAINING, Right.READ_PERSONAL_DATA,
                             Right.SAVE_IMPORT_MAPPINGS}),
    Role.VIEWER: frozenset(),  # reads and exports: what every role may do
}


def rights_of(roles: frozenset[Role] | set[Role] | tuple[Role, ...]) -> frozenset[Right]:
    """Every right the roles hold together (a person with several roles holds each's)."""
    held: set[Right] = set()
    for role in roles:
        held |= RIGHTS[role]
    return frozenset(held)


def roles_holding(right: Right) -> tuple[Role, ...]:
    """The roles that hold ``right``, in the table's order (a refusal names them)."""
    return tuple(role for role in Role if right in RIGHTS[role])


def parse_roles(text: str) -> frozenset[Role]:
    """Roles typed as ``curator,seed_laboratory`` (commas or spaces; case and '-' ignored).
    Raises ``ValueError`` naming the unknown word."""
    words = [word for word in text.replace(",", " ").split() if word]
    roles = set()
    for word in words:
        key = word.strip().casefold().replace("-", "_")
        try:
            roles.add(Role(key))
        except ValueError:
            raise ValueError(word) from None
    return frozenset(roles)

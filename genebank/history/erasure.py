"""Erasing a participant on request, inside the change history too.

The person's record is blanked by :func:`genebank.training.participants.erase`; this
removes their personal data from every earlier entry of their story (the values of the
personal fields become null, the field names stay, so the entries still say that the name
or e-mail was changed then) and records only that an erasure happened: the erasure's own
entry names no field. The database's append-only trigger lets exactly this through: an
UPDATE of ``fields`` (and ``subject_key``) of a participant's entries older than an
``erased`` entry of the same participant (:mod:`genebank.history.append_only`). Who, when
and why are the entries' change sets'; a reason given for a change of the person's records
("wrong person: it was Ahmed Said's", when a certificate was voided) may name them, so the
personal sets (:attr:`genebank.models.history.ChangeSet.personal`) holding the person's
entries have their reason blanked too: the one change the sets' trigger lets through
(migration 0020). Who and when stay.
"""

from __future__ import annotations

import json

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from genebank.history import entries
from genebank.history.entries import Change
from genebank.models.history import ChangeEntry, ChangeSet

# Fields that identify the person, in the participant's and the certificate's entries (a
# void certificate's reason may name them too).
PERSONAL_FIELDS = frozenset({"full_name", "original_name", "position", "email", "phone",
                             "languages", "notes", "participant_name", "void_reason"})


def erase_history(session: Session, participant_id: int) -> int:
    """Record the erasure of ``participant_id`` and blank their personal data in the
    entries before it, and the reasons of the personal change sets holding those entries;
    returns how many entries were blanked. Call it in the erasure's transaction, after the
    record itself was blanked."""
    entries.write(session, [Change("participant", participant_id, "participant", "erased",
                                   {}, row_id=str(participant_id),
                                   subject_key=str(participant_id))])
    connection = session.connection()
    if connection.dialect.name == "postgresql" and connection.execute(text(
            "SELECT to_regprocedure('genebank_erase_history(bigint)') IS NOT NULL")).scalar():
        # A server with login roles: nobody may UPDATE the history but its owner, whose
        # function blanks the same fields (genebank.server_roles).
        return int(connection.execute(text("SELECT genebank_erase_history(:participant)"),
                                      {"participant": participant_id}).scalar_one())
    table = ChangeEntry.__table__
    sets = ChangeSet.__table__
    connection.execute(update(sets).where(
        sets.c.personal, sets.c.reason != "", sets.c.id.in_(
            select(table.c.change_set_id).where(
                table.c.subject_type == "participant", table.c.subject_id == participant_id,
                table.c.action != "erased"))).values(reason=""))
    found = connection.execute(
        select(table.c.id, table.c.fields).where(
            table.c.subject_type == "participant", table.c.subject_id == participant_id,
            table.c.action != "erased")).all()
    blanked = []
    for entry_id, stored in found:
        fields = json.loads(stored)
        if PERSONAL_FIELDS.isdisjoint(fields):
            continue
        for name in PERSONAL_FIELDS & fields.keys():
            fields[name] = [None, None]
        blanked.append({"entry": entry_id,
                        "blank": json.dumps(fields, ensure_ascii=False, separators=(",", ":"))})
    if blanked:
        from sqlalchemy import bindparam

        connection.execute(update(table).where(table.c.id == bindparam("entry"))
                           .values(fields=bindparam("blank")), blanked)
    return len(blanked)

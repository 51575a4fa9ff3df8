"""The change history: one row per change of one record, never updated nor deleted.

Why one row per record change with the changed fields as JSON, not one row per field:
100,000 accessions of the import benchmark with all their values held 2.6 million field
changes against 100,000 entries (bench/bench_history.py), and the entry is what people read
("import 17 changed KAZ001:KZ-1: ORIGCTY KAZ -> UZB"). A row created by an import or other
bulk write gets an entry naming it and the operation but no copy of its values (they are
the row's values with its later changes undone, every later entry keeping the old value):
copying them made the benchmark's file twice as large (174 MB against 83 MB). A row created
on a form, and every change and deletion, keep each field's values.
Who, when, in which operation and why are said once per transaction, in a ``change_set``
row that its entries name: an import's 100,000 entries share one, so each entry keeps only
its record, row, action and fields (the 100,000-row import's entries took 25.6 MB with four
indexes when each repeated who and when, 9 MB with the set; bench/README.md, "history").
Queries never search inside the fields: they go by record, person, date or import, which
are columns with indexes:

- "this accession's (lot's, participant's) story": ``ix_change_entry_subject``
  (subject_type, subject_id, id), each entry's set by its primary key;
- "this person's changes since a date": ``ix_change_set_user_name`` (user_name, at), then
  each set's entries by ``ix_change_entry_set`` (change_set_id, id);
- "recent changes": ``ix_change_set_at``; "what import 17 did": ``ix_change_set_import``.

The *subject* is the record whose story an entry belongs to: an accession for its names or
regenerations, a lot for its ledger lines and tests, a participant for their enrolments.
``table_name`` and ``row_id`` say which row itself changed. Who is kept as it was (user id
and name, the operating-system login, the workstation), so that renaming or disabling a
user changes no entry. The table has no foreign keys: an entry outlives its record.

Append-only: triggers on both databases refuse UPDATE and DELETE of both tables (migrations
0014, 0016), except
that erasing a participant on request may blank that person's values (see
:mod:`genebank.history.erasure`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from genebank.models.base import Base

# form: a person saved a record; import: a spreadsheet import (import_log_id says which);
# merge: two records made one; erasure: personal data erased on request; correction,
# withdrawal, reinstatement: as named (issue 15); bulk: demo data and other writes of many
# rows at once; undo: an import undone (0015).
OPERATIONS = ("form", "import", "merge", "erasure", "correction", "withdrawal", "bulk",
              "undo", "reinstatement")
ACTIONS = ("created", "changed", "deleted", "erased")
# The stories that hold personal data: their entries, and the change sets that hold only
# such entries (``ChangeSet.personal``: who, when and why, a reason that may name the
# person), are read only by the people who may read personal data (0020).
PERSONAL_SUBJECTS = frozenset({"participant"})


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class ChangeSet(Base):
    """Who wrote, when, in which operation and why: one row per transaction (and per
    operation within it), shared by every entry that transaction wrote."""

    __tablename__ = "change_set"
    __table_args__ = (
        CheckConstraint(f"operation IN ({_in(OPERATIONS)})", name="operation"),
        Index("ix_change_set_user_name", "user_name", "at"),
        Index("ix_change_set_at", "at"),
        Index("ix_change_set_import", "import_log_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    user_id: Mapped[int | None] = mapped_column(Integer)  # None: before sign-in
    user_name: Mapped[str] = mapped_column(String(100), default="")
    os_user: Mapped[str] = mapped_column(String(100), default="")
    workstation: Mapped[str] = mapped_column(String(255), default="")
    operation: Mapped[str] = mapped_column(String(16), default="form")
    import_log_id: Mapped[int | None] = mapped_column(Integer)  # the import's log entry
    reference: Mapped[str] = mapped_column(String(200), default="")  # e.g. merged into 12
    reason: Mapped[str] = mapped_column(Text, default="")
    # Its entries are all of personal stories (PERSONAL_SUBJECTS): the set, with its
    # reason ("wrong person: it was Ahmed Said's"), is read only by the people who may
    # read personal data (row-level security on a server), and an erasure blanks the
    # reason (0020). A transaction writing both kinds of entries writes two sets.
    personal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ChangeEntry(Base):
    __tablename__ = "change_entry"
    __table_args__ = (
        CheckConstraint(f"action IN ({_in(ACTIONS)})", name="action"),
        Index("ix_change_entry_subject", "subject_type", "subject_id", "id"),
        Index("ix_change_entry_set", "change_set_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    # The set's who, when and why (no foreign key: a set is never deleted, and checking
    # one for each of an import's 100,000 entries would cost what the set saves).
    change_set_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    subject_type: Mapped[str] = mapped_column(String(40))  # "accession", "seed_lot", ...
    subject_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    subject_key: Mapped[str] = mapped_column(String(300), default="")  # KAZ001:KZ-1
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(100), default="")  # the changed row's key
    action: Mapped[str] = mapped_column(String(8))
    # {"FIELD": [old, new], ...} as JSON text; created rows have old null, deleted new null.
    fields: Mapped[str] = mapped_column(Text, default="{}")

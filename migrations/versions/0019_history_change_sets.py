"""the change history says who, when and why once per transaction: change sets

Each entry repeated who wrote it, when, in which operation and why; an import's 100,000
entries carried 100,000 copies of the same nine values and three indexes over them, the
larger part of the history's cost to the import (bench/README.md, "history"). A
``change_set`` row now holds them once per transaction (and operation), and an entry names
its set: (change_set_id, subject, table, row, action, fields). The indexes by person, by
date and by import move to the sets, which have few rows; the entries keep the one by
record and gain one by set.

Upgrade: every group of entries that share all nine values (what one write of the old
code shared) becomes one set, whose id is its first entry's. Downgrade copies each set's
values back into its entries. Both keep every entry and refuse UPDATE and DELETE again;
the sets take triggers of their own. The triggers' statements are this migration's own
(genebank.history.append_only is frozen at 0014's shape, which the downgrade restores).

On a server set up for login roles (genebank.server_roles), the trigger that stamps the
connected person on each new entry moves to the sets, which now hold who wrote.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26 16:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genebank.history import append_only

revision: str = '0019'
down_revision: str | Sequence[str] | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_OPERATIONS = ('form', 'import', 'merge', 'erasure', 'correction', 'withdrawal', 'bulk',
               'undo', 'reinstatement')
_CHECK = "operation IN (" + ", ".join(f"'{name}'" for name in _OPERATIONS) + ")"
# The set's columns, as 0014 gave them to each entry (name, type, nullable).
_SET_COLUMNS = (
    ('at', sa.DateTime(), False),
    ('user_id', sa.Integer(), True),
    ('user_name', sa.String(length=100), False),
    ('os_user', sa.String(length=100), False),
    ('workstation', sa.String(length=255), False),
    ('operation', sa.String(length=16), False),
    ('import_log_id', sa.Integer(), True),
    ('reference', sa.String(length=200), False),
    ('reason', sa.Text(), False),
)
_NAMES = ", ".join(name for name, _type, _null in _SET_COLUMNS)
_MESSAGE = "the change history is append-only"
# The columns an erasure leaves as they are, once who, when and why are the set's (an
# erasure may change an older entry's ``fields`` and ``subject_key`` only).
_KEPT = ("id", "change_set_id", "subject_type", "subject_id", "table_name", "row_id", "action")
_ERASED_LATER = ("EXISTS (SELECT 1 FROM change_entry e WHERE e.subject_type = 'participant' "
                 "AND e.subject_id = OLD.subject_id AND e.action = 'erased' "
                 "AND e.id > OLD.id)")
_OLD_INDEXES = (('ix_change_entry_user_name', ['user_name', 'at']),
                ('ix_change_entry_at', ['at']),
                ('ix_change_entry_import', ['import_log_id']))


def _triggers(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def _entry_statements(dialect: str) -> list[str]:
    """The entries' triggers at 0019 (those of 0014 with the columns of an entry now)."""
    if dialect == 'postgresql':
        same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _KEPT)
        return [
            f"""CREATE FUNCTION change_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.subject_type = 'participant' AND {same}
            AND {_ERASED_LATER} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$""",
            "CREATE TRIGGER change_entry_append_only BEFORE UPDATE OR DELETE ON change_entry "
            "FOR EACH ROW EXECUTE FUNCTION change_entry_append_only()",
        ]
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)
    return [
        f"CREATE TRIGGER change_entry_no_update BEFORE UPDATE ON change_entry "
        f"WHEN NOT (OLD.subject_type = 'participant' AND {same} AND {_ERASED_LATER}) "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
        f"CREATE TRIGGER change_entry_no_delete BEFORE DELETE ON change_entry "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    ]


def _set_statements(dialect: str) -> list[str]:
    """The change sets' triggers: no exception (an erasure blanks entries, never a set)."""
    if dialect == 'postgresql':
        return [
            f"""CREATE FUNCTION change_set_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$""",
            "CREATE TRIGGER change_set_append_only BEFORE UPDATE OR DELETE ON change_set "
            "FOR EACH ROW EXECUTE FUNCTION change_set_append_only()",
        ]
    return [f"CREATE TRIGGER change_set_no_{what} BEFORE {what.upper()} ON change_set "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END" for what in ('update', 'delete')]


def _drop_set_statements(dialect: str) -> list[str]:
    if dialect == 'postgresql':
        return ["DROP TRIGGER IF EXISTS change_set_append_only ON change_set",
                "DROP FUNCTION IF EXISTS change_set_append_only()"]
    return ["DROP TRIGGER IF EXISTS change_set_no_update",
            "DROP TRIGGER IF EXISTS change_set_no_delete"]


def _set_up_server() -> bool:
    """Whether this PostgreSQL database was set up for login roles: its author function
    (genebank.server_roles) stamps who is connected on what they write."""
    return bool(op.get_bind().execute(sa.text(
        "SELECT to_regprocedure('genebank_history_author()') IS NOT NULL")).scalar())


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        'change_set',
        sa.Column('id', _BIG, nullable=False),
        *(sa.Column(name, type_, nullable=null) for name, type_, null in _SET_COLUMNS),
        sa.CheckConstraint(_CHECK, name=op.f('ck_change_set_operation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change_set')),
    )
    op.execute(f"INSERT INTO change_set (id, {_NAMES}) SELECT MIN(id), {_NAMES} "
               f"FROM change_entry GROUP BY {_NAMES}")
    op.create_index('ix_change_set_at', 'change_set', ['at'])
    _triggers(append_only.drop_statements(dialect))
    server = dialect == 'postgresql' and _set_up_server()
    if server:  # its function writes the entry's user columns, which move to the set
        op.execute("DROP TRIGGER IF EXISTS change_entry_author ON change_entry")
    op.add_column('change_entry', sa.Column('change_set_id', _BIG, nullable=True))
    same = 'IS NOT DISTINCT FROM' if dialect == 'postgresql' else 'IS'
    match = " AND ".join(f"s.{name} {same} change_entry.{name}"
                         for name, _type, _null in _SET_COLUMNS)
    op.execute("UPDATE change_entry SET change_set_id = (SELECT s.id FROM change_set s "
               f"WHERE {match})")  # ix_change_set_at finds each entry's set
    # Only now: with these, SQLite looked each entry's set up among all those of no import
    # (a history of 100,000 entries took minutes instead of a second).
    op.create_index('ix_change_set_user_name', 'change_set', ['user_name', 'at'])
    op.create_index('ix_change_set_import', 'change_set', ['import_log_id'])
    for name, _columns in _OLD_INDEXES:
        op.drop_index(name, table_name='change_entry')
    if dialect == 'postgresql':
        op.execute("SELECT setval(pg_get_serial_sequence('change_set', 'id'), "
                   "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM change_set")
        op.drop_constraint(op.f('ck_change_entry_operation'), 'change_entry', type_='check')
        for name, _type, _null in _SET_COLUMNS:
            op.drop_column('change_entry', name)
        op.alter_column('change_entry', 'change_set_id', nullable=False)
    else:
        with op.batch_alter_table('change_entry', recreate='always') as batch_op:
            batch_op.drop_constraint(op.f('ck_change_entry_operation'), type_='check')
            for name, _type, _null in _SET_COLUMNS:
                batch_op.drop_column(name)
            batch_op.alter_column('change_set_id', existing_type=_BIG, nullable=False)
    op.create_index('ix_change_entry_set', 'change_entry', ['change_set_id', 'id'])
    _triggers(_entry_statements(dialect))
    _triggers(_set_statements(dialect))
    if server:  # the same function, on the rows that now say who (and their entries' check)
        op.execute("CREATE TRIGGER change_set_author BEFORE INSERT ON change_set "
                   "FOR EACH ROW EXECUTE FUNCTION genebank_history_author()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _triggers(_drop_set_statements(dialect))
    _triggers(append_only.drop_statements(dialect))
    server = dialect == 'postgresql' and _set_up_server()
    if server:
        op.execute("DROP TRIGGER IF EXISTS change_set_author ON change_set")
        op.execute("DROP TRIGGER IF EXISTS change_entry_set_author ON change_entry")
    for name, type_, _null in _SET_COLUMNS:
        op.add_column('change_entry', sa.Column(name, type_, nullable=True))
    copied = ", ".join(f"{name} = s.{name}" for name, _type, _null in _SET_COLUMNS)
    op.execute(f"UPDATE change_entry SET {copied} FROM change_set s "
               "WHERE s.id = change_entry.change_set_id")
    op.drop_index('ix_change_entry_set', table_name='change_entry')
    if dialect == 'postgresql':
        op.drop_column('change_entry', 'change_set_id')
        for name, type_, null in _SET_COLUMNS:
            if not null:
                op.alter_column('change_entry', name, existing_type=type_, nullable=False)
        op.create_check_constraint(op.f('ck_change_entry_operation'), 'change_entry', _CHECK)
    else:
        with op.batch_alter_table('change_entry', recreate='always') as batch_op:
            batch_op.drop_column('change_set_id')
            for name, type_, null in _SET_COLUMNS:
                if not null:
                    batch_op.alter_column(name, existing_type=type_, nullable=False)
            batch_op.create_check_constraint(op.f('ck_change_entry_operation'), _CHECK)
    for name, columns in _OLD_INDEXES:
        op.create_index(name, 'change_entry', columns)
    op.drop_table('change_set')
    _triggers(append_only.postgresql_statements() if dialect == 'postgresql'
              else append_only.sqlite_statements())  # 0014's, as 0018 had them
    if server:
        op.execute("CREATE TRIGGER change_entry_author BEFORE INSERT ON change_entry "
                   "FOR EACH ROW EXECUTE FUNCTION genebank_history_author()")

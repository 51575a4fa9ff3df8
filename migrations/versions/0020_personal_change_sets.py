"""the reasons given for changes of personal records are personal data: personal change sets

A change set (0019) says who, when and why for every entry of one transaction, and every
role reads the sets (the history windows need them). A reason typed when a participant's
certificate is voided ("wrong person: it was Ahmed Said's") named the person there, for a
viewer with a SQL client to read, and an erasure of that person left it. Sets now carry
``personal``: true for a set whose entries are all of participants' stories. On a server
its row is read only by the roles that read personal data (row-level security, made with
the grants after this upgrade: genebank.server_roles), and an erasure blanks the reason of
the personal sets holding the erased person's entries: the one change the sets' trigger
now lets through (who and when stay).

Upgrade: a set holding both participants' entries and others (a demo's bulk set) is split:
a copy of it, personal, takes its participants' entries, so that the others stay readable
by everyone with their who, when and why; then every set whose entries are all
participants' is marked personal. No value changes: each entry reads back the same who,
when, operation and reason. Downgrade drops the flag (a split set stays two sets with
the same values) and restores 0019's triggers, which refuse any change of a set.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-26 18:30:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | Sequence[str] | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = "the change history is append-only"
# A set's columns but its reason, which an erasure may blank (frozen at 0020).
_KEPT = ("id", "at", "user_id", "user_name", "os_user", "workstation", "operation",
         "import_log_id", "reference", "personal")
_COPIED = ("at", "user_id", "user_name", "os_user", "workstation", "operation",
           "import_log_id", "reference", "reason")
# One of the set's entries is of a participant who has an ``erased`` entry after it.
_ERASED_LATER = ("EXISTS (SELECT 1 FROM change_entry e JOIN change_entry l "
                 "ON l.subject_type = 'participant' AND l.subject_id = e.subject_id "
                 "AND l.action = 'erased' AND l.id > e.id "
                 "WHERE e.change_set_id = OLD.id AND e.subject_type = 'participant')")
_PERSONAL = "change_entry.subject_type = 'participant'"


def _set_statements(dialect: str) -> list[str]:
    """The sets' triggers at 0020: no change, no removal, but an erasure's blanking of a
    personal set's reason."""
    if dialect == 'postgresql':
        same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _KEPT)
        return [
            f"""CREATE OR REPLACE FUNCTION change_set_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.personal AND NEW.reason = '' AND {same}
            AND {_ERASED_LATER} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END $$""",
            "CREATE TRIGGER change_set_append_only BEFORE UPDATE OR DELETE ON change_set "
            "FOR EACH ROW EXECUTE FUNCTION change_set_append_only()",
        ]
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)
    return [
        f"CREATE TRIGGER change_set_no_update BEFORE UPDATE ON change_set "
        f"WHEN NOT (OLD.personal AND NEW.reason = '' AND {same} AND {_ERASED_LATER}) "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
        f"CREATE TRIGGER change_set_no_delete BEFORE DELETE ON change_set "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    ]


def _set_statements_0019(dialect: str) -> list[str]:
    """0019's: no exception."""
    if dialect == 'postgresql':
        return [
            f"""CREATE OR REPLACE FUNCTION change_set_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
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
        return ["DROP TRIGGER IF EXISTS change_set_append_only ON change_set"]
    return ["DROP TRIGGER IF EXISTS change_set_no_update",
            "DROP TRIGGER IF EXISTS change_set_no_delete"]


def _entries_writable(connection: sa.Connection) -> list[str]:
    """The entries' triggers set aside, so that a split set's entries may name their new
    set; returns what puts them back (the same statements: this migration does not
    change them)."""
    if connection.dialect.name == 'postgresql':
        # USER: the append-only trigger, and the author's on a server set up for login
        # roles (which would stamp the upgrading administrator on the copied sets).
        op.execute("ALTER TABLE change_entry DISABLE TRIGGER USER")
        op.execute("ALTER TABLE change_set DISABLE TRIGGER USER")
        return ["ALTER TABLE change_entry ENABLE TRIGGER USER",
                "ALTER TABLE change_set ENABLE TRIGGER USER"]
    made = connection.execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'change_entry' AND name LIKE '%update%'")).all()
    for name, _sql in made:
        op.execute(f"DROP TRIGGER {name}")
    return [sql for _name, sql in made]


def upgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    for statement in _drop_set_statements(dialect):
        op.execute(statement)
    op.add_column('change_set', sa.Column('personal', sa.Boolean(), nullable=False,
                                          server_default=sa.false()))
    restore = _entries_writable(connection)
    mixed = connection.execute(sa.text(
        f"SELECT DISTINCT change_set_id FROM change_entry WHERE {_PERSONAL} "
        f"AND change_set_id IN (SELECT change_set_id FROM change_entry "
        f"WHERE NOT ({_PERSONAL})) ORDER BY change_set_id")).scalars().all()
    names = ", ".join(_COPIED)
    for set_id in mixed:
        copy = connection.execute(sa.text(
            f"INSERT INTO change_set ({names}, personal) SELECT {names}, :yes "
            f"FROM change_set WHERE id = :set RETURNING id"),
            {"set": set_id, "yes": True}).scalar_one()
        connection.execute(sa.text(
            f"UPDATE change_entry SET change_set_id = :copy WHERE change_set_id = :set "
            f"AND {_PERSONAL}"), {"copy": copy, "set": set_id})
    op.execute(
        f"UPDATE change_set SET personal = {'true' if dialect == 'postgresql' else '1'} "
        f"WHERE id IN (SELECT change_set_id FROM change_entry WHERE {_PERSONAL}) "
        f"AND id NOT IN (SELECT change_set_id FROM change_entry WHERE NOT ({_PERSONAL}))")
    for statement in restore:
        op.execute(statement)
    for statement in _set_statements(dialect):
        op.execute(statement)


def downgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    for statement in _drop_set_statements(dialect):
        op.execute(statement)
    if dialect == 'postgresql':
        # the row-level security of 0020's grants reads the flag (genebank.server_roles
        # makes the policies again from the schema after a downgrade's next set-up)
        op.execute("DROP POLICY IF EXISTS genebank_read ON change_set")
        op.execute("DROP POLICY IF EXISTS genebank_append ON change_set")
        op.execute("ALTER TABLE change_set DISABLE ROW LEVEL SECURITY")
        op.drop_column('change_set', 'personal')
    else:
        # a batch copy would lose the sets' triggers: they are made again below
        with op.batch_alter_table('change_set', recreate='always') as batch_op:
            batch_op.drop_column('personal')
    for statement in _set_statements_0019(dialect):
        op.execute(statement)

"""accessions can be withdrawn from the collection: when, why, which other, a note

An accession leaves the collection by being withdrawn (issue 15): it stays in the database,
out of counts, worklists and exports by default, and can be reinstated. Four nullable
columns on ``accession`` say its state now:

- ``withdrawn_on`` (date; NULL: in the collection),
- ``withdrawal_reason`` (one of a fixed list, a CHECK: lost, dead, duplicate, merged, split,
  transferred, discarded; set exactly when ``withdrawn_on`` is),
- ``withdrawal_other_id`` (the accession it duplicates, was merged into or split into: a
  foreign key, allowed only for those three reasons and never the accession itself),
- ``withdrawal_note`` (free text, e.g. the institute it was transferred to).

Columns on the accession rather than a table of withdrawals: the collection's own rows are
asked for on every count, worklist and export, and a column of the same row costs no join;
earlier withdrawals and reinstatements are the change history's story. Two partial
indexes hold only the withdrawn rows and those naming another, so "which are withdrawn"
reads a few index entries and deleting an accession checks the few naming it.

SQLite adds the columns in place (``ADD COLUMN`` with column constraints): the accession
table is not re-created, so no ON DELETE CASCADE child is touched (see 0010). Downgrading
drops them in place again (SQLite 3.35+), the index first.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 16:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | Sequence[str] | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies (a migration never imports application code that may change later).
_REASONS = "'lost', 'dead', 'duplicate', 'merged', 'split', 'transferred', 'discarded'"
_OTHER_REASONS = "'duplicate', 'merged', 'split'"
_CHECKS = {
    'ck_accession_withdrawal_reason': f"withdrawal_reason IN ({_REASONS})",
    'ck_accession_withdrawal_dated': "(withdrawn_on IS NULL) = (withdrawal_reason IS NULL)",
    'ck_accession_withdrawal_other': (
        f"withdrawal_other_id IS NULL OR (withdrawal_reason IN ({_OTHER_REASONS}) "
        "AND withdrawal_other_id <> id)"),
}
_WHERE = sa.text("withdrawn_on IS NOT NULL")
_NAMES_OTHER = sa.text("withdrawal_other_id IS NOT NULL")


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # Each check goes with the column it is added with (SQLite makes no difference
        # between a column's and the table's checks), so each column drops with its own.
        op.execute("ALTER TABLE accession ADD COLUMN withdrawn_on DATE")
        op.execute("ALTER TABLE accession ADD COLUMN withdrawal_reason VARCHAR(16) "
                   f"CONSTRAINT ck_accession_withdrawal_reason CHECK "
                   f"({_CHECKS['ck_accession_withdrawal_reason']}) "
                   f"CONSTRAINT ck_accession_withdrawal_dated CHECK "
                   f"({_CHECKS['ck_accession_withdrawal_dated']})")
        op.execute("ALTER TABLE accession ADD COLUMN withdrawal_other_id INTEGER "
                   "CONSTRAINT fk_accession_withdrawal_other_id_accession "
                   "REFERENCES accession (id) "
                   f"CONSTRAINT ck_accession_withdrawal_other CHECK "
                   f"({_CHECKS['ck_accession_withdrawal_other']})")
        op.execute("ALTER TABLE accession ADD COLUMN withdrawal_note TEXT")
    else:
        op.add_column('accession', sa.Column('withdrawn_on', sa.Date(), nullable=True))
        op.add_column('accession', sa.Column('withdrawal_reason', sa.String(length=16),
                                             nullable=True))
        op.add_column('accession', sa.Column('withdrawal_other_id', sa.Integer(),
                                             nullable=True))
        op.add_column('accession', sa.Column('withdrawal_note', sa.Text(), nullable=True))
        op.create_foreign_key('fk_accession_withdrawal_other_id_accession', 'accession',
                              'accession', ['withdrawal_other_id'], ['id'])
        for name, condition in _CHECKS.items():
            op.create_check_constraint(name, 'accession', condition)
    op.create_index('ix_accession_withdrawn_on', 'accession', ['withdrawn_on'],
                    sqlite_where=_WHERE, postgresql_where=_WHERE)
    op.create_index('ix_accession_withdrawal_other_id', 'accession',
                    ['withdrawal_other_id'], sqlite_where=_NAMES_OTHER,
                    postgresql_where=_NAMES_OTHER)


def downgrade() -> None:
    """Back to 0016: the withdrawals are dropped (their story stays in the history)."""
    op.drop_index('ix_accession_withdrawal_other_id', table_name='accession')
    op.drop_index('ix_accession_withdrawn_on', table_name='accession')
    if op.get_bind().dialect.name == 'sqlite':
        for column in ('withdrawal_note', 'withdrawal_other_id', 'withdrawal_reason',
                       'withdrawn_on'):
            op.execute(f'ALTER TABLE accession DROP COLUMN {column}')
        return
    for name in _CHECKS:
        op.drop_constraint(name, 'accession', type_='check')
    op.drop_constraint('fk_accession_withdrawal_other_id_accession', 'accession',
                       type_='foreignkey')
    for column in ('withdrawal_note', 'withdrawal_other_id', 'withdrawal_reason',
                   'withdrawn_on'):
        op.drop_column('accession', column)

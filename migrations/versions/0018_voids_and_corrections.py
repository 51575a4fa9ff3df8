"""records voided or corrected with a reason, never deleted

Issue 15: tests, ledger lines (a discard is one), regenerations, safety duplicates and
certificates can be voided (a mistake) or corrected (voided and replaced by a new record
that names it). Each of the six tables gets one shape: ``voided_at`` (NULL: the record
counts), ``voided_by``, ``void_reason``, and ``corrects_id`` (the record a correction
replaces, on its own table). A certificate's enrolment may then hold a voided certificate
and the one that replaced it: its unique constraint becomes a unique index over the
certificates that are not void (SQLite rebuilds the table to drop the constraint).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26 15:10:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | Sequence[str] | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('germination_test', 'moisture_test', 'lot_transaction', 'regeneration',
          'safety_duplicate', 'certificate')
_LIVE = sa.text('voided_at IS NULL')


def _columns(table: str) -> list[sa.Column]:
    return [sa.Column('voided_at', sa.DateTime(), nullable=True),
            sa.Column('voided_by', sa.String(length=64), server_default='', nullable=False),
            sa.Column('void_reason', sa.String(length=500), server_default='',
                      nullable=False),
            sa.Column('corrects_id', sa.Integer(), nullable=True)]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in TABLES:
        fk = op.f(f'fk_{table}_corrects_id_{table}')
        if sqlite:
            # SQLite adds a column with its REFERENCES in place; alembic would rebuild
            for column in _columns(table)[:3]:
                op.add_column(table, column)
            op.execute(f'ALTER TABLE {table} ADD COLUMN corrects_id INTEGER '
                       f'CONSTRAINT {fk} REFERENCES {table} (id)')
        else:
            for column in _columns(table):
                op.add_column(table, column)
            op.create_foreign_key(fk, table, table, ['corrects_id'], ['id'])
        op.create_index(op.f(f'ix_{table}_corrects_id'), table, ['corrects_id'])
    if sqlite:
        with op.batch_alter_table('certificate', recreate='always') as batch_op:
            batch_op.drop_constraint(op.f('uq_certificate_enrolment_id'), type_='unique')
    else:
        op.drop_constraint(op.f('uq_certificate_enrolment_id'), 'certificate', type_='unique')
    op.create_index('uq_certificate_live_enrolment', 'certificate', ['enrolment_id'],
                    unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE)


def downgrade() -> None:
    """Back to 0017: voided records are deleted (0017 has no way to show them as void; a
    correction's new record stays), after their links are cleared."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.drop_index('uq_certificate_live_enrolment', table_name='certificate')
    for table in TABLES:
        op.drop_index(op.f(f'ix_{table}_corrects_id'), table_name=table)
        op.execute(f'UPDATE {table} SET corrects_id = NULL')
    # what points at a voided ledger line (a voided test's, a voided duplicate's) goes first
    op.execute('UPDATE germination_test SET transaction_id = NULL WHERE transaction_id IN '
               '(SELECT id FROM lot_transaction WHERE voided_at IS NOT NULL)')
    op.execute('UPDATE safety_duplicate SET transaction_id = NULL WHERE transaction_id IN '
               '(SELECT id FROM lot_transaction WHERE voided_at IS NOT NULL)')
    op.execute('DELETE FROM germination_replicate WHERE test_id IN '
               '(SELECT id FROM germination_test WHERE voided_at IS NOT NULL)')
    for table in TABLES:
        op.execute(f'DELETE FROM {table} WHERE voided_at IS NOT NULL')
    for table in TABLES:
        if sqlite and table != 'certificate':
            # SQLite (3.35 on) drops these columns in place, their REFERENCES with them:
            # rebuilding a table referenced by others (the ledger by its tests, a test by
            # its replicates, ON DELETE CASCADE) would lose or refuse their rows
            for name in ('corrects_id', 'void_reason', 'voided_by', 'voided_at'):
                op.execute(f'ALTER TABLE {table} DROP COLUMN {name}')
            continue
        with op.batch_alter_table(table, recreate='always' if sqlite else 'auto') as batch_op:
            if not sqlite:
                batch_op.drop_constraint(op.f(f'fk_{table}_corrects_id_{table}'),
                                         type_='foreignkey')
            for name in ('corrects_id', 'void_reason', 'voided_by', 'voided_at'):
                batch_op.drop_column(name)
            if table == 'certificate':
                batch_op.create_unique_constraint(op.f('uq_certificate_enrolment_id'),
                                                  ['enrolment_id'])

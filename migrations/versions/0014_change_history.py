"""the change history: one append-only entry per change of a record

Who changed which record, when, in which operation (a form, import N, a merge, an
erasure...), with each field's old and new value (genebank.models.history says why one row
per record change). Triggers refuse UPDATE and DELETE on both databases, except the
blanking of an erased participant's personal data (genebank.history.append_only). Records
made before this revision have no entries: their audit columns still say who made them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 12:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genebank.history import append_only

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'change_entry',
        sa.Column('id', _BIG, nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('user_name', sa.String(length=100), nullable=False),
        sa.Column('os_user', sa.String(length=100), nullable=False),
        sa.Column('workstation', sa.String(length=255), nullable=False),
        sa.Column('operation', sa.String(length=16), nullable=False),
        sa.Column('import_log_id', sa.Integer(), nullable=True),
        sa.Column('reference', sa.String(length=200), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('subject_type', sa.String(length=40), nullable=False),
        sa.Column('subject_id', _BIG, nullable=False),
        sa.Column('subject_key', sa.String(length=300), nullable=False),
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('row_id', sa.String(length=100), nullable=False),
        sa.Column('action', sa.String(length=8), nullable=False),
        sa.Column('fields', sa.Text(), nullable=False),
        sa.CheckConstraint("operation IN ('form', 'import', 'merge', 'erasure', 'correction', "
                           "'withdrawal', 'bulk')", name=op.f('ck_change_entry_operation')),
        sa.CheckConstraint("action IN ('created', 'changed', 'deleted', 'erased')",
                           name=op.f('ck_change_entry_action')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change_entry')),
    )
    op.create_index('ix_change_entry_subject', 'change_entry',
                    ['subject_type', 'subject_id', 'id'])
    op.create_index('ix_change_entry_user_name', 'change_entry', ['user_name', 'at'])
    op.create_index('ix_change_entry_at', 'change_entry', ['at'])
    op.create_index('ix_change_entry_import', 'change_entry', ['import_log_id'])
    dialect = op.get_bind().dialect.name
    statements = (append_only.postgresql_statements() if dialect == 'postgresql'
                  else append_only.sqlite_statements())
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    for statement in append_only.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('change_entry')

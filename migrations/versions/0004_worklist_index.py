"""worklist indexes: lots by storage type and status; safety duplicates by accession

"Accessions without a base lot" and "without a safety duplicate" are counted over a
million accessions from one index each. A safety duplicate now names its accession (its
lot's), filled in here for the duplicates already recorded.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 06:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_seed_lot_storage_status', 'seed_lot',
                    ['storage_type', 'status', 'accession_id'])
    with op.batch_alter_table('safety_duplicate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accession_id', sa.Integer(), nullable=True))
    op.execute('UPDATE safety_duplicate SET accession_id = (SELECT seed_lot.accession_id '
               'FROM seed_lot WHERE seed_lot.id = safety_duplicate.lot_id)')
    with op.batch_alter_table('safety_duplicate', schema=None) as batch_op:
        batch_op.alter_column('accession_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_safety_duplicate_accession_id_accession'),
                                    'accession', ['accession_id'], ['id'])
        batch_op.create_index('ix_safety_duplicate_status', ['status', 'accession_id'])


def downgrade() -> None:
    with op.batch_alter_table('safety_duplicate', schema=None) as batch_op:
        batch_op.drop_index('ix_safety_duplicate_status')
        batch_op.drop_constraint(batch_op.f('fk_safety_duplicate_accession_id_accession'),
                                 type_='foreignkey')
        batch_op.drop_column('accession_id')
    op.drop_index('ix_seed_lot_storage_status', table_name='seed_lot')

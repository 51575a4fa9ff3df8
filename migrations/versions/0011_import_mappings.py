"""saved column mappings in the database, per kind of import

Mappings were kept in one workstation's settings, for the passport import only; kept here,
every workstation has them, for every kind of sheet import (the GUI moves a workstation's
old ones in when it opens a database).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'import_mapping',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('columns', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('passport', 'germination', 'moisture', 'participants')",
                           name=op.f('ck_import_mapping_kind')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
        sa.UniqueConstraint('kind', 'name', name=op.f('uq_import_mapping_kind_name')),
    )


def downgrade() -> None:
    op.drop_table('import_mapping')

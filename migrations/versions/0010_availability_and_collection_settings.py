"""accessions say whether they are available for distribution; the collection's settings

``accession.available_for_distribution`` keeps Genesys's AVAILABLE (true/false, not an MCPD
v2.1 descriptor): NULL where it is not known, which every accession stored before is.

``collection_setting`` holds settings of the gene bank that every workstation shares (one
row per key), first of them its own institute codes (``own_instcodes``), which the passport
import uses to flag rows held by other institutes. A new database has none.

SQLite adds the column in place (a nullable ``ADD COLUMN``: the accession table is not
re-created, so no ON DELETE CASCADE child is touched, see 0006).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('accession', sa.Column('available_for_distribution', sa.Boolean(),
                                         nullable=True))
    op.create_table(
        'collection_setting',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_collection_setting')),
    )


def downgrade() -> None:
    """Back to 0008: the availability and the settings are dropped."""
    op.drop_table('collection_setting')
    # In place on SQLite too (3.35+), as 0008 drops its key: a batch copy would re-create
    # the accession table, and dropping the old one would cascade to its children.
    op.execute('ALTER TABLE accession DROP COLUMN available_for_distribution')

"""the import log says when an import was undone, and by whom

Issue 15's undo of an import marks the import's log entry: ``undone_at`` (UTC, empty while
the import stands) and ``undone_by`` (the person, as the history names them). A second undo
of the same import is refused from these. Two nullable/defaulted columns: no row changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 15:05:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | Sequence[str] | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('import_log') as batch:
        batch.add_column(sa.Column('undone_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('undone_by', sa.String(length=100), nullable=False,
                                   server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('import_log') as batch:
        batch.drop_column('undone_by')
        batch.drop_column('undone_at')

"""the import log counts "unchanged"; every foreign-key column has an index

An import's "N unchanged" (existing accessions the file held exactly as stored) was kept
only in the first line of the entry's details text; it gets a column of its own so the
import log can show it as a number. Entries made before are read back from that line
("3 created, 1 updated, 5 unchanged, 0 skipped", which the passport import has written since
it counted unchanged rows) when the line's other three numbers agree with the entry's
columns; every other entry gets 0: nothing written for such rows, or not counted apart.

Foreign-key columns without an index made each delete of a referenced row (a seed lot, a
storage place, a lot transaction, an accession, an institute) scan the whole referencing
table, and joins on them scan too: removing a big demo took hours until the removal made
temporary indexes. They are indexed for good here. ``CREATE INDEX`` changes no table, so
SQLite rebuilds nothing and no ON DELETE CASCADE child is touched (see 0006).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 00:40:00

"""
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) of every foreign key that no index led before 0007.
REFERENCES = (
    ('seed_lot', 'parent_lot_id'),
    ('lot_transaction', 'from_location_id'),
    ('lot_transaction', 'to_location_id'),
    ('germination_test', 'transaction_id'),
    ('regeneration', 'source_lot_id'),
    ('regeneration', 'harvested_lot_id'),
    ('safety_duplicate', 'accession_id'),
    ('safety_duplicate', 'transaction_id'),
    ('course', 'host_code'),
)
# The first line of a passport import's details: ImportSummary.line().
COUNTS_LINE = re.compile(r'([0-9,]+) created, ([0-9,]+) updated, ([0-9,]+) unchanged, '
                         r'([0-9,]+) skipped')


def upgrade() -> None:
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unchanged_count', sa.Integer(), nullable=False,
                                      server_default='0'))
    _unchanged_from_details()
    for table, column in REFERENCES:
        op.create_index(f'ix_{table}_{column}', table, [column])


def downgrade() -> None:
    """Back to 0006; the unchanged count stays in each entry's details text."""
    for table, column in reversed(REFERENCES):
        op.drop_index(f'ix_{table}_{column}', table_name=table)
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.drop_column('unchanged_count')


def _unchanged_from_details() -> None:
    """Fill the new column from the counts line of entries that have one.

    The line is trusted only when its created, updated and skipped numbers are the entry's
    own, so a details text that merely looks alike never sets a count.
    """
    connection = op.get_bind()
    entries = connection.execute(sa.text(
        "SELECT id, created_count, updated_count, skipped_count, details FROM import_log "
        "WHERE details LIKE '%unchanged%'")).all()
    for entry_id, created, updated, skipped, details in entries:
        first_line = (details or '').split('\n', 1)[0].strip()
        found = COUNTS_LINE.fullmatch(first_line)
        if found is None:
            continue
        counts = [int(number.replace(',', '')) for number in found.groups()]
        if (counts[0], counts[1], counts[3]) != (created, updated, skipped):
            continue
        connection.execute(sa.text("UPDATE import_log SET unchanged_count = :unchanged "
                                   "WHERE id = :id"), {"unchanged": counts[2], "id": entry_id})

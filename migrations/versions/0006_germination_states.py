"""germination tests in progress or complete; hard seeds counted apart; the day a
regeneration failed and the day a safety duplicate's receipt was confirmed

A germination test is now ``in_progress`` (sown, not counted: its counts are NULL and it
has no percentage) or ``complete`` (per replicate normal + abnormal + dead + fresh
ungerminated + hard = sown). Hard seeds get their own column; until now they went with
"ungerminated" (fresh or dormant).

The tests already recorded keep every value they had, their percentage and the lots'
viability included. Their new ``hard`` count is NULL (not counted apart), never a guessed 0.
Those whose counts fall short of the seeds sown in some replicate get the status ``short``:
they still carry their percentage (so the lots' initial and last viability do not move), and
the "Germination counts short of the seeds sown" worklist lists them for a person to check
against the lab's sheet. Nothing is corrected here, because only the sheet knows whether
the missing seeds were hard, dormant, rotten or simply not written down.

Failed regenerations and confirmed safety duplicates get the day it happened; for those
recorded before, it stays unknown (NULL), never guessed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 23:55:00

"""
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ('normal', 'abnormal', 'dead', 'ungerminated')
OLD_NOT_NEGATIVE = 'normal >= 0 AND abnormal >= 0 AND dead >= 0 AND ungerminated >= 0'
OLD_WITHIN_SOWN = 'normal + abnormal + dead + ungerminated <= sown'
NEW_NOT_NEGATIVE = OLD_NOT_NEGATIVE + ' AND hard >= 0'
NEW_WITHIN_SOWN = 'normal + abnormal + dead + ungerminated + COALESCE(hard, 0) <= sown'


@contextmanager
def _replicates_kept() -> Iterator[None]:
    """Keep the replicates while SQLite's batch mode re-creates germination_test.

    SQLite re-creates a table to change it, and with foreign keys on (Genebank's
    connections always have them, and the pragma cannot change inside the migration's
    transaction) dropping the old germination_test deletes its replicates through their
    ON DELETE CASCADE. They are copied aside and put back, unchanged, ids included.
    """
    if op.get_bind().dialect.name != 'sqlite':
        yield
        return
    op.execute('CREATE TEMP TABLE replicates_0006 AS SELECT * FROM germination_replicate')
    yield
    op.execute('DELETE FROM germination_replicate')
    op.execute('INSERT INTO germination_replicate SELECT * FROM replicates_0006')
    op.execute('DROP TABLE replicates_0006')


def upgrade() -> None:
    with op.batch_alter_table('germination_test', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False,
                                      server_default='complete'))
        batch_op.add_column(sa.Column('counted_on', sa.Date(), nullable=True))
    op.execute("UPDATE germination_test SET status = 'short' WHERE id IN ("
               "SELECT test_id FROM germination_replicate "
               "WHERE normal + abnormal + dead + ungerminated < sown)")
    with _replicates_kept(), op.batch_alter_table('germination_test', schema=None) as batch_op:
        batch_op.alter_column('germination_pct', existing_type=sa.Float(), nullable=True)
        batch_op.create_check_constraint(
            batch_op.f('ck_germination_test_status'),
            "status IN ('in_progress', 'complete', 'short')")
        batch_op.create_index('ix_germination_test_status', ['status', 'tested_on'])

    with op.batch_alter_table('germination_replicate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hard', sa.Integer(), nullable=True))
        for name in COUNTS:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(batch_op.f('ck_germination_replicate_counts_not_negative'),
                                 type_='check')
        batch_op.drop_constraint(batch_op.f('ck_germination_replicate_counts_within_sown'),
                                 type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_germination_replicate_counts_not_negative'), NEW_NOT_NEGATIVE)
        batch_op.create_check_constraint(
            batch_op.f('ck_germination_replicate_counts_within_sown'), NEW_WITHIN_SOWN)

    with op.batch_alter_table('regeneration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_on', sa.Date(), nullable=True))
    with op.batch_alter_table('safety_duplicate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    """Back to 0005, where hard seeds were counted as ungerminated (fresh or dormant).

    A test still in progress has no counts and no percentage, which 0005 cannot hold:
    the downgrade stops rather than invent them or delete the test.
    """
    waiting = op.get_bind().scalar(sa.text(
        "SELECT count(*) FROM germination_test WHERE status = 'in_progress'"))
    if waiting:
        raise RuntimeError(f"{waiting} germination tests are in progress (sown, not counted); "
                           "count them before going back to schema 0005")
    with op.batch_alter_table('safety_duplicate', schema=None) as batch_op:
        batch_op.drop_column('confirmed_on')
    with op.batch_alter_table('regeneration', schema=None) as batch_op:
        batch_op.drop_column('failed_on')
    op.execute('UPDATE germination_replicate SET ungerminated = ungerminated + hard, hard = 0 '
               'WHERE hard IS NOT NULL')
    with op.batch_alter_table('germination_replicate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_germination_replicate_counts_within_sown'),
                                 type_='check')
        batch_op.drop_constraint(batch_op.f('ck_germination_replicate_counts_not_negative'),
                                 type_='check')
        batch_op.drop_column('hard')
        for name in COUNTS:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint(
            batch_op.f('ck_germination_replicate_counts_not_negative'), OLD_NOT_NEGATIVE)
        batch_op.create_check_constraint(
            batch_op.f('ck_germination_replicate_counts_within_sown'), OLD_WITHIN_SOWN)
    with _replicates_kept(), op.batch_alter_table('germination_test', schema=None) as batch_op:
        batch_op.drop_index('ix_germination_test_status')
        batch_op.drop_constraint(batch_op.f('ck_germination_test_status'), type_='check')
        batch_op.drop_column('counted_on')
        batch_op.drop_column('status')
        batch_op.alter_column('germination_pct', existing_type=sa.Float(), nullable=False)

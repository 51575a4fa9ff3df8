"""the change history names two more operations: an import undone, an accession reinstated

Issue 15's undo of an import (``undo``) and reinstatement of a withdrawn accession
(``reinstatement``) are operations of their own in the history, so the story says "undo of
import 17" rather than a form change. Only the CHECK of ``change_entry.operation`` widens;
no entry changes. SQLite rebuilds the table to change a CHECK, which drops its triggers:
they are made again (genebank.history.append_only).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 15:00:00

"""
from collections.abc import Sequence

from alembic import op

from genebank.history import append_only

revision: str = '0015'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = ('form', 'import', 'merge', 'erasure', 'correction', 'withdrawal', 'bulk')
_AFTER = (*_BEFORE, 'undo', 'reinstatement')


def _check(operations: tuple[str, ...]) -> str:
    return "operation IN (" + ", ".join(f"'{name}'" for name in operations) + ")"


def _widen(operations: tuple[str, ...]) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.drop_constraint(op.f('ck_change_entry_operation'), 'change_entry', type_='check')
        op.create_check_constraint(op.f('ck_change_entry_operation'), 'change_entry',
                                   _check(operations))
        return
    for statement in append_only.drop_statements(dialect):
        op.execute(statement)
    with op.batch_alter_table('change_entry', recreate='always') as batch_op:
        batch_op.drop_constraint(op.f('ck_change_entry_operation'), type_='check')
        batch_op.create_check_constraint(op.f('ck_change_entry_operation'),
                                         _check(operations))
    for statement in append_only.sqlite_statements():
        op.execute(statement)


def upgrade() -> None:
    _widen(_AFTER)


def downgrade() -> None:
    _widen(_BEFORE)

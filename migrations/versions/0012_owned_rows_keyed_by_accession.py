"""an accession's own rows: no audit columns of their own, keyed by accession and place

Names, other numbers, storage types, institutes and remarks belong to one accession: the
accession's stamp (who changed it, when), its version and the change history cover them
(design rule 4), so their own created/updated columns and version go, and so does their
``id``: each row is keyed by its accession and its place in that accession's list
(``position``; ``role, position`` for institutes; ``code`` for storage types). On SQLite the
tables become ``WITHOUT ROWID``, stored in the key's order, which also serves every lookup
by accession, so the separate ``accession_id`` indexes go too. An import writes about 6.5
such rows per accession: fewer columns and indexes make its write faster and the file
smaller.

Positions are numbered again from 0 in their stored order (position, then the old id), so
two rows that happened to share a place in one list both stay, in the order shown before.
Nothing else changes. The downgrade gives each row an id in the same order and the owning
accession's stamp as its own, with version 1.

Each table is copied aside, dropped and created anew (the same on SQLite and PostgreSQL;
no constraint name is taken twice), then filled from the copy. Only these tables are
re-created: the accession table, whose ON DELETE CASCADE children they are, is not touched.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIT = ('created_at', 'created_by', 'updated_at', 'updated_by', 'version')


def _nocase(length: int) -> sa.types.TypeEngine:
    return sa.String(length=length).with_variant(
        sa.String(length=length, collation='NOCASE'), 'sqlite')


def _owner_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['accession_id'], ['accession.id'],
                                   name=f'fk_{table}_accession_id_accession',
                                   ondelete='CASCADE')


def _own_columns() -> dict[str, list[sa.Column]]:
    """Each table's columns besides ``accession_id``, the same before and after (new
    objects each call: a column belongs to one table)."""
    return {
        'accession_name': [sa.Column('position', sa.Integer(), nullable=False),
                           sa.Column('name', _nocase(200), nullable=False)],
        'accession_other_number': [sa.Column('position', sa.Integer(), nullable=False),
                                   sa.Column('instcode', sa.String(length=16), nullable=False),
                                   sa.Column('number', _nocase(200), nullable=False)],
        'accession_storage': [sa.Column('code', sa.Integer(), nullable=False)],
        'accession_institute': [sa.Column('role', sa.String(length=10), nullable=False),
                                sa.Column('position', sa.Integer(), nullable=False),
                                sa.Column('code', sa.String(length=16), nullable=False)],
        'accession_remark': [sa.Column('position', sa.Integer(), nullable=False),
                             sa.Column('remark', sa.Text(), nullable=False)],
    }


# The key after accession_id; renumbered when it ends in position.
KEYS = {'accession_name': ('position',), 'accession_other_number': ('position',),
        'accession_storage': ('code',), 'accession_institute': ('role', 'position'),
        'accession_remark': ('position',)}
# Indexes kept besides the key: (name, columns).
INDEXES = {
    'accession_name': [('ix_accession_name_name', ['name'])],
    'accession_other_number': [('ix_accession_other_number_number', ['number'])],
    'accession_storage': [('ix_accession_storage_code', ['code', 'accession_id'])],
    'accession_institute': [('ix_accession_institute_code', ['code', 'role'])],
    'accession_remark': [],
}


def _checks(table: str) -> list[sa.CheckConstraint]:
    if table != 'accession_institute':
        return []
    return [sa.CheckConstraint("role IN ('COLLCODE', 'BREDCODE', 'DUPLSITE')",
                               name='ck_accession_institute_role')]


def _aside(table: str) -> str:
    """Copy ``table`` aside and drop it (its indexes and constraints go with it)."""
    copy = f'{table}_before_0012'
    op.execute(f'CREATE TABLE {copy} AS SELECT * FROM {table}')
    op.drop_table(table)
    return copy


def _renumbered(copy: str, key: tuple[str, ...], names: list[str]) -> str:
    """The rows of ``copy`` with their places as stored, except in a list where two rows
    share a place: that list is numbered again from 0 in its stored order (position, then
    id), so both rows stay, in the order shown before."""
    lists = ', '.join(('accession_id', *key[:-1]))
    shared = (f'SELECT *, COUNT(*) OVER (PARTITION BY {lists}, position) - 1 AS twice '
              f'FROM {copy}')
    ranked = (f'SELECT *, ROW_NUMBER() OVER (PARTITION BY {lists} ORDER BY position, id) - 1 '
              f'AS place, MAX(twice) OVER (PARTITION BY {lists}) AS clash FROM ({shared}) s')
    columns = ', '.join(['accession_id', *(n for n in names if n != 'position')])
    return (f'(SELECT {columns}, CASE WHEN clash > 0 THEN place ELSE position END '
            f'AS position FROM ({ranked}) r)')


def upgrade() -> None:
    for table, own in _own_columns().items():
        copy = _aside(table)
        key = KEYS[table]
        op.create_table(
            table, sa.Column('accession_id', sa.Integer(), nullable=False), *own,
            _owner_key(table), *_checks(table),
            sa.PrimaryKeyConstraint('accession_id', *key, name=f'pk_{table}'),
            sqlite_with_rowid=False)
        names = ', '.join(c.name for c in own)
        source = _renumbered(copy, key, [c.name for c in own]) if key[-1] == 'position' \
            else copy
        op.execute(f'INSERT INTO {table} (accession_id, {names}) '
                   f'SELECT accession_id, {names} FROM {source} AS kept')
        op.drop_table(copy)
        for name, columns in INDEXES[table]:
            op.create_index(name, table, columns)


def downgrade() -> None:
    """Back to 0008: each row gets an id (in its accession's order) and its accession's
    stamp as its own, version 1."""
    for table, own in _own_columns().items():
        copy = _aside(table)
        op.create_table(
            table, *own, sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('accession_id', sa.Integer(), nullable=False),
            sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('created_by', sa.String(length=64), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False),
            sa.Column('updated_by', sa.String(length=64), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False),
            _owner_key(table), *_checks(table),
            sa.PrimaryKeyConstraint('id', name=f'pk_{table}'),
            *([sa.UniqueConstraint('accession_id', 'code',
                                   name='uq_accession_storage_accession_id_code')]
              if table == 'accession_storage' else []))
        names = ', '.join(c.name for c in own)
        order = ', '.join(f'c.{column}' for column in ('accession_id', *KEYS[table]))
        op.execute(
            f'INSERT INTO {table} ({names}, id, accession_id, {", ".join(AUDIT)}) '
            f'SELECT {", ".join(f"c.{c.name}" for c in own)}, '
            f'ROW_NUMBER() OVER (ORDER BY {order}), c.accession_id, a.created_at, '
            f'a.created_by, a.updated_at, a.updated_by, 1 '
            f'FROM {copy} c JOIN accession a ON a.id = c.accession_id')
        op.drop_table(copy)
        if op.get_bind().dialect.name == 'postgresql':
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
        op.create_index(f'ix_{table}_accession_id', table, ['accession_id'])
        for name, columns in INDEXES[table]:
            op.create_index(name, table, columns)

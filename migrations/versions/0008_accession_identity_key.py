"""one identity per accession: INSTCODE + ACCENUMB as compared, stored and unique

``identity_key`` holds the identity key of each accession (NFKC, case-folded, trimmed, inner
whitespace collapsed), computed in Python so that SQLite and PostgreSQL compare alike; a unique index makes "kz-0001" and "KZ-0001" (or full-width
"ＫＺ-0001") one accession on both.

If stored accessions already collide under the key, nothing is changed: the groups are
written to a CSV file and the upgrade stops with ``DuplicateAccessions``, which says how to
resolve them (``genebank resolve-duplicates --rename`` or ``--merge``, on the database at
its old revision). Never a silent merge, never a database error.

SQLite adds the column in place (``ADD COLUMN ... NOT NULL DEFAULT ''``: the accession
table is not re-created, so no ON DELETE CASCADE child is touched, see 0006) and the index
is a unique index, which SQLite can add without re-creating the table either. The ''
default stays in SQLite's schema; every writer gives the key, and a second row without one
would collide on '' rather than pass unnoticed.

The key function is frozen below (``_accession_key``), a copy of
:func:`genebank.mcpd.identity.accession_key` as it was when 0008 was written: a migration must
give the same result whatever later versions of the app do to their own function. A test
keeps the two equal while the app's function is unchanged; if the app's key ever changes, a
new migration recomputes the stored keys, and this one stays as it is.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 03:00:00

"""
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genebank.passport.identity_collisions import paged_accessions, refuse_if_duplicates

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000
SEPARATOR = '\t'  # between INSTCODE and ACCENUMB: never inside a collapsed part


def upgrade() -> None:
    connection = op.get_bind()
    refuse_if_duplicates(connection)  # before any change
    sqlite = connection.dialect.name == 'sqlite'
    op.add_column('accession', sa.Column('identity_key', sa.Text(), nullable=not sqlite,
                                         server_default='' if sqlite else None))
    _fill_keys(connection)
    if not sqlite:
        op.alter_column('accession', 'identity_key', nullable=False)
    op.create_index('uq_accession_identity_key', 'accession', ['identity_key'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_accession_identity_key', table_name='accession')
    op.execute('ALTER TABLE accession DROP COLUMN identity_key')


def _fill_keys(connection: sa.Connection) -> None:
    update = sa.text('UPDATE accession SET identity_key = :key WHERE id = :id')
    for rows in paged_accessions(connection, page=CHUNK):
        connection.execute(update, [{'id': row[0], 'key': _accession_key(row[1], row[2])}
                                    for row in rows])


def _identity_text(text: str | None) -> str:
    """Frozen copy: NFKC, case-folded, trimmed, inner whitespace collapsed to one space."""
    if not text:
        return ''
    if text.isascii():
        return ' '.join(text.lower().split())
    folded = unicodedata.normalize('NFKC', unicodedata.normalize('NFKC', text).casefold())
    return ' '.join(folded.split())


def _accession_key(instcode: str | None, accenumb: str | None) -> str:
    """Frozen copy of the identity key of 0008: ``instcode`` TAB ``accenumb``, each as compared."""
    return f'{_identity_text(instcode)}{SEPARATOR}{_identity_text(accenumb)}'

"""the people who sign in, and their roles

``user_account``: one row per person, the name unique by ``name_key`` (NFC, case-folded,
so "José" and "JOSÉ" are one person), a display name, the Argon2id password hash (NULL on
PostgreSQL, where the server checks passwords), whether the account is disabled, and the
audit columns. ``user_account_role``: the roles each person holds.

An existing database gets no user: Genebank asks for its first administrator at its first
opening after this upgrade (``genebank.users.accounts.needs_first_administrator``); earlier
records keep the names they were stamped with, which the GUI shows as "(before sign-in)".
Whether sign-in is required is the collection setting ``sign_in`` (absent: required once
there is a user), so no row is written here.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 12:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("administrator", "curator", "seed_laboratory", "distribution_officer", "trainer",
         "viewer")


def upgrade() -> None:
    op.create_table(
        'user_account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('name_key', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.String(length=200), nullable=False),
        sa.Column('password_hash', sa.String(length=200), nullable=True),
        sa.Column('disabled', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
        sa.UniqueConstraint('name_key', name=op.f('uq_user_account_name_key')),
    )
    roles = ", ".join(f"'{role}'" for role in ROLES)
    op.create_table(
        'user_account_role',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=32), nullable=False),
        sa.CheckConstraint(f"role IN ({roles})", name=op.f('ck_user_account_role_role')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE',
                                name=op.f('fk_user_account_role_user_id_user_account')),
        sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_account_role')),
    )


def downgrade() -> None:
    """Back to 0012: the people and their roles go (and the setting saying whether they
    must sign in); the names stamped on records stay, as text."""
    op.drop_table('user_account_role')
    op.drop_table('user_account')
    op.execute("DELETE FROM collection_setting WHERE key = 'sign_in'")

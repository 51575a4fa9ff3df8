"""The people who sign in to a database, and their roles.

A name is unique whatever its case or Unicode form (``name_key``: NFC, case-folded), so
"Aigerim" and "AIGERIM", or "José" typed with a combining accent, are one person; a key
column rather than a ``lower()`` index because SQLite's lower() folds ASCII only. The
password hash is NULL on PostgreSQL, where the server checks passwords. A disabled person
stays, with every record they made. Roles are owned rows without audit columns (rule 4):
the account's stamp, version and the change history cover them.
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from genebank.models.base import Audited, Base

ROLES = ("administrator", "curator", "seed_laboratory", "distribution_officer", "trainer",
         "viewer")  # genebank.users.roles.Role: the schema keeps its own copy (a test checks)
_ROLES_SQL = ", ".join(f"'{role}'" for role in ROLES)


class UserAccount(Audited, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    name_key: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin",
        order_by="UserRole.role")


class UserRole(Base):
    __tablename__ = "user_account_role"
    __table_args__ = (CheckConstraint(f"role IN ({_ROLES_SQL})", name="role"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[UserAccount] = relationship(back_populates="roles")

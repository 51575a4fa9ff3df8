"""Alembic environment: runs on the connection Genebank passes in (see genebank.db)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from genebank.models import Base

target_metadata = Base.metadata


def run_migrations(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:  # the alembic command line, e.g. `alembic -x url=sqlite:///x.db revision --autogenerate`
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///genebank-dev.sqlite")
    with create_engine(url).begin() as conn:
        run_migrations(conn)

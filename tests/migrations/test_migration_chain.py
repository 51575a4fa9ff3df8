"""The migration chain as a whole: one head the app knows, an empty database upgraded to
exactly the models' schema, every migration undone and redone, and every foreign key
indexed at the head."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from genebank import db
from genebank.models import Base
from tests.migrations.older_rows import indexed_columns


def test_there_is_one_head_and_the_app_knows_it() -> None:
    """The migration history never forks, and db.SCHEMA_REVISION names its head."""
    heads = ScriptDirectory.from_config(db.alembic_config()).get_heads()
    assert heads == [db.SCHEMA_REVISION]


def test_upgrade_from_empty_matches_the_models(empty_engine: Engine) -> None:
    """Migrating an empty database gives exactly the schema the models describe."""
    db.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_round_trip(empty_engine: Engine) -> None:
    """Every migration can be undone and redone."""
    db.upgrade(empty_engine)
    db.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(empty_engine)
    assert {"accession", "taxon", "institute"} <= set(inspect(empty_engine).get_table_names())


def test_every_foreign_key_column_leads_an_index(empty_engine: Engine) -> None:
    """Deleting a referenced row, or joining on a reference, never scans a whole table:
    every foreign key's first column leads an index, a unique constraint or the key."""
    db.upgrade(empty_engine)
    schema = inspect(empty_engine)
    unindexed = [(table, key["constrained_columns"][0])
                 for table in schema.get_table_names()
                 for key in schema.get_foreign_keys(table)
                 if key["constrained_columns"][0] not in indexed_columns(empty_engine, table)]
    assert unindexed == []

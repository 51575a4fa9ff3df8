"""Migration 0013: the people who sign in and their roles, added without touching a record."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genebank import db
from genebank.models import Base
from genebank.users import accounts
from genebank.users.roles import Role
from tests.migrations.older_rows import every_row, insert_accession, insert_institutes_and_taxon


def test_0013_adds_people_without_touching_a_record_and_asks_for_an_administrator(
        empty_engine: Engine) -> None:
    """Upgrading 0012 with data: no record changes (their stamps keep the login names of
    before sign-in), nobody exists, so the database asks for its administrator; people
    with roles can then be stored, a name once whatever its case. Back to 0012 the people
    and the sign-in setting go, and every other row (the own institute codes too) stays."""
    db.upgrade(empty_engine, "0012")
    setting = dict(created_at=dt.datetime(2026, 11, 26), created_by="lab",
                   updated_at=dt.datetime(2026, 11, 26), updated_by="lab", version=1)
    with empty_engine.begin() as connection:
        insert_institutes_and_taxon(connection)
        insert_accession(connection, 7, "KAZ001", "KZ-7")
        connection.execute(Base.metadata.tables["collection_setting"].insert().values(
            key="own_instcodes", value="KAZ001", **setting))
        before = every_row(connection)
    db.upgrade(empty_engine, "0013")
    with empty_engine.connect() as connection:
        assert every_row(connection) == before
        assert connection.execute(text("SELECT created_by FROM accession")).scalar() == "lab"
    db.upgrade(empty_engine, db.SCHEMA_REVISION)  # the services write history (0014)
    if empty_engine.dialect.name == "postgresql":  # people on a server: its login roles
        from genebank import server_roles

        with empty_engine.begin() as connection:  # dropped with the database (conftest)
            server_roles.set_up(connection)
    with Session(empty_engine, info={"user": "lab"}) as session, session.begin():
        assert accounts.needs_first_administrator(session)
        accounts.create_first_administrator(session, name="Ольга", password="пароль-2026",
                                            roles=[Role.ADMINISTRATOR, Role.CURATOR])
    with empty_engine.begin() as connection:
        assert connection.execute(text(
            "SELECT role FROM user_account_role ORDER BY role")).scalars().all() == [
            "administrator", "curator"]
        with pytest.raises(IntegrityError), connection.begin_nested():
            connection.execute(text(
                "INSERT INTO user_account_role (user_id, role) VALUES (1, 'superuser')"))
        with pytest.raises(IntegrityError), connection.begin_nested():
            connection.execute(Base.metadata.tables["user_account"].insert().values(
                name="ОЛЬГА", name_key="ольга", display_name="", disabled=False,
                **setting))
        connection.execute(Base.metadata.tables["collection_setting"].insert().values(
            key="sign_in", value="off", **setting))
    db.downgrade(empty_engine, "0012")
    assert not {"user_account", "user_account_role"} & set(
        inspect(empty_engine).get_table_names())
    with empty_engine.connect() as connection:
        assert every_row(connection) == before

"""The tests' set-up server database (tests/server_team.py) leaves nothing on the shared
test server: its database and every role of its prefix are gone after a test that failed,
and after a set-up that failed halfway (the roles made before the failure included)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from genebank.services.refusals import Refused
from genebank.users.roles import Role
from tests.conftest import postgres_server_url
from tests.server_team import set_up_server

pytestmark = pytest.mark.postgres


def _on_the_server(name: str) -> tuple[list[str], list[str]]:
    """The test server's databases named ``name``_… and the roles of their prefix."""
    engine = create_engine(postgres_server_url())  # type: ignore[arg-type]
    try:
        with engine.connect() as connection:
            databases = connection.execute(text(
                "SELECT datname FROM pg_database WHERE starts_with(datname, :d)"),
                {"d": f"{name}_"}).scalars().all()
            roles = connection.execute(text(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, :r)"),
                {"r": f"gb_{name}_"}).scalars().all()
    finally:
        engine.dispose()
    return sorted(databases), sorted(roles)


def test_a_failed_test_leaves_neither_its_database_nor_its_roles() -> None:
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    with pytest.raises(AssertionError, match="the test failed"), set_up_server(
            "gb_team_failed", administrator=("Ada", "ada-secret-1"),
            people={"Вера": (Role.VIEWER, "vera-secret-1")}) as made:
        databases, roles = _on_the_server("gb_team_failed")
        assert databases == [made.url.rsplit("/", 1)[1]]
        assert {made.prefix + "owner", made.prefix + "ada", made.prefix + "вера"} <= set(roles)
        raise AssertionError("the test failed")
    assert _on_the_server("gb_team_failed") == ([], [])


def test_a_set_up_that_fails_halfway_leaves_no_role() -> None:
    """The second person has the administrator's name: refused after the set-up and the
    administrator's login role were committed."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    with pytest.raises(Refused) as refused, set_up_server(
            "gb_team_halfway", administrator=("Ada", "ada-secret-1"),
            people={"ADA": (Role.VIEWER, "vera-secret-1")}):
        pytest.fail("the set-up went through")
    assert refused.value.code == "user_exists"
    assert _on_the_server("gb_team_halfway") == ([], [])

"""On PostgreSQL the owner is not asked to confirm an upgrade that would stop anyway: the
read-only check for accessions stored twice runs first, and nothing is changed."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from genebank import cli, db
from genebank.passport.identity_collisions import DuplicateAccessions
from tests.conftest import create_postgres_database, drop_postgres_database, postgres_server_url
from tests.migrations.test_identity_key import _store

pytestmark = pytest.mark.postgres


@pytest.fixture
def server_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A server database at 0007 holding two groups of one accession stored twice."""
    if not postgres_server_url():
        pytest.skip("PostgreSQL tests need GENEBANK_TEST_POSTGRES_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the list of collisions
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    url = create_postgres_database("genebank_confirm")
    engine = db.create_engine_for(url)
    db.upgrade(engine, "0007")
    with engine.begin() as connection:
        _store(connection)
    engine.dispose()
    yield url
    drop_postgres_database(url)


def test_the_collisions_are_refused_before_any_confirmation(server_only: str) -> None:
    with pytest.raises(DuplicateAccessions) as refused:
        db.open_database(server_only, create=False)  # not confirmed
    assert refused.value.params["groups"] == 2
    engine = db.create_engine_for(server_only)
    try:
        assert db.schema_revision(engine)[0] == "0007"
    finally:
        engine.dispose()


def test_genebank_upgrade_never_asks_then_stops(server_only: str,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The owner at a terminal is told about the duplicates, not asked about a backup."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt="": asked.append(prompt) or "y")
    status = cli.main(["--database", server_only, "upgrade"])
    out, err = capsys.readouterr()
    assert status == 1 and asked == [] and "back it up first" not in out
    assert "resolve-duplicates" in err


def test_at_0007_only_the_owner_resolves_and_only_once_confirmed(
        server_only: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Resolving is the first step of the upgrade: a clerk with table rights is refused,
    the owner is told to back up first until they confirm, and nothing changes till then."""
    import uuid

    from sqlalchemy import make_url, text

    from genebank.passport import identity_collisions
    from tests.conftest import postgres_server_url

    clerk = f"genebank_clerk_{uuid.uuid4().hex[:8]}"
    admin = db.create_engine_for(postgres_server_url())  # type: ignore[arg-type]
    with admin.begin() as connection:
        connection.execute(text(f'CREATE ROLE "{clerk}" LOGIN'))
    engine = db.create_engine_for(server_only)
    with engine.begin() as connection:
        connection.execute(text(f'GRANT SELECT, UPDATE, INSERT, DELETE ON ALL TABLES IN '
                                f'SCHEMA public TO "{clerk}"'))
    count = "SELECT count(*) FROM accession"
    with engine.connect() as connection:
        before = connection.execute(text(count)).scalar()
    clerk_url = make_url(server_only).set(username=clerk).render_as_string(hide_password=False)
    try:
        with pytest.raises(db.NeedsUpgrade) as refused:
            identity_collisions.resolve_database(clerk_url, rename=False, user=clerk,
                                                 upgrade_confirmed=True)
        assert not refused.value.params["is_owner"]
        with pytest.raises(db.NeedsUpgrade) as unconfirmed:
            identity_collisions.resolve_database(server_only, rename=False, user="owner")
        assert unconfirmed.value.params["is_owner"]
        with engine.connect() as connection:
            assert connection.execute(text(count)).scalar() == before
        resolved = identity_collisions.resolve_database(server_only, rename=True,
                                                        user="owner", upgrade_confirmed=True)
        assert resolved.groups == 2
    finally:
        engine.dispose()
        drop_postgres_database(server_only)
        with admin.begin() as connection:
            connection.execute(text(f'DROP ROLE IF EXISTS "{clerk}"'))
        admin.dispose()

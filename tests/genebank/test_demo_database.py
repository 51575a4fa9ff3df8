"""The demo's own file: built aside, moved into place whole, never half-written, and never
the user's own database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from genebank import db, demo_database
from genebank.models import Accession, Course, Regeneration
from genebank.progress import Cancelled
from tests.genebank.test_demo import CancelAfter


@pytest.fixture
def own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "Genebank" / "genebank.sqlite"
    monkeypatch.setattr(db, "default_database_path", lambda: path)
    return path


def count(path: Path, model: type) -> int:
    database = db.open_database(db.sqlite_url(path))
    try:
        with database.session_factory() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        database.close()


def test_the_demo_file_sits_beside_the_users_own(own: Path) -> None:
    """genebank-demo.sqlite in the user's folder; the default file is recognised however
    it is written (path, URL), the demo file is not the user's."""
    assert db.demo_database_path() == own.with_name("genebank-demo.sqlite")
    assert db.is_default_database(str(own)) and db.is_default_database(db.sqlite_url(own))
    assert not db.is_default_database(str(db.demo_database_path()))
    assert demo_database.is_demo_file(db.sqlite_url(db.demo_database_path()))
    assert not demo_database.is_demo_file(db.sqlite_url(own))
    assert not demo_database.is_demo_file("postgresql+psycopg://gb@server/genebank")


def test_a_built_demo_replaces_the_old_one_only_once_complete(own: Path) -> None:
    """The old demo stays whole while a new one is built; a cancelled build leaves no file
    behind; a finished one replaces it, with accessions, regenerations and courses."""
    path = db.demo_database_path()
    demo_database.install(demo_database.build(path, accessions=30), path)
    assert count(path, Accession) == 30
    with pytest.raises(Cancelled):
        demo_database.build(path, accessions=40_000, progress=CancelAfter(2))
    assert not demo_database.part_path(path).exists()
    assert count(path, Accession) == 30
    built = demo_database.build(path, accessions=200)
    assert count(path, Accession) == 30  # not in place yet
    demo_database.install(built, path)
    assert not built.part.exists() and not own.exists()
    assert count(path, Accession) == 200
    assert count(path, Regeneration) > 0 and count(path, Course) == 20

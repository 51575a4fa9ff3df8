"""Opening a database is three modules with one job each, under 600 lines: the engine and
the one way in (db), a SQLite file (sqlite_opening), a server database (server_opening);
both ways still go through db.open_database."""

from __future__ import annotations

from pathlib import Path

import pytest

from genebank import db, server_opening, sqlite_opening

LIMIT = 600


@pytest.mark.parametrize("module", [db, sqlite_opening, server_opening])
def test_each_opening_module_stays_short(module: object) -> None:
    path = Path(module.__file__ or "")  # type: ignore[attr-defined]
    assert len(path.read_text(encoding="utf-8").splitlines()) < LIMIT


def test_db_no_longer_holds_the_file_or_server_opening() -> None:
    for name in ("refuse_file", "open_sqlite", "sqlite_warnings", "open_server",
                 "server_state", "refuse_server", "check_may_upgrade", "act_as_owner"):
        assert not hasattr(db, name) and not hasattr(db, f"_{name}"), name


def test_open_database_reaches_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reached: list[str] = []
    monkeypatch.setattr(sqlite_opening, "open_sqlite",
                        lambda *_a, **_k: reached.append("sqlite"))
    monkeypatch.setattr(server_opening, "open_server",
                        lambda *_a, **_k: reached.append("server"))
    db.open_database(str(tmp_path / "g.sqlite"))
    db.open_database("postgresql+psycopg://someone@db.example.org/genebank")
    assert reached == ["sqlite", "server"]

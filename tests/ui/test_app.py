"""Start-up: which database the app opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from genebank import db
from ui import database_opening
from ui.app import start_database
from ui.settings import Settings

pytestmark = pytest.mark.usefixtures("qapp")  # the start may build a dialog


def test_database_choice_order(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                               tmp_path: Path, own_database_path: Path) -> None:
    """--database wins, then GENEBANK_DATABASE_URL, then the last used, then the user's
    own file when it exists; none of them is created by starting."""
    monkeypatch.delenv("GENEBANK_DATABASE_URL", raising=False)
    for name in ("arg", "env", "last"):
        db.open_database(str(tmp_path / f"{name}.sqlite")).close()
    db.open_database(str(own_database_path)).close()

    def started(argument: str | None) -> str:
        database = start_database(argument, settings)
        assert database is not None
        database.close()
        return Path(database.display_name).name

    assert started(None) == "genebank.sqlite"
    settings.add_recent_database(db.sqlite_url(tmp_path / "last.sqlite"))
    assert started(None) == "last.sqlite"
    monkeypatch.setenv("GENEBANK_DATABASE_URL", str(tmp_path / "env.sqlite"))
    assert started(None) == "env.sqlite"
    assert started(str(tmp_path / "arg.sqlite")) == "arg.sqlite"
    monkeypatch.setattr(database_opening, "first_start", lambda: None)
    assert start_database(str(tmp_path / "missing.sqlite"), settings) is None
    assert not (tmp_path / "missing.sqlite").exists()


def test_shutdown_cancels_running_tasks(qtbot: QtBot) -> None:
    """On exit, running tasks are told to stop and their threads are waited for."""
    import threading

    from genebank.progress import check
    from ui import tasks

    started = threading.Event()

    def slow(progress: object) -> None:
        started.set()
        while True:
            check(progress)  # type: ignore[arg-type]

    task = tasks.Task(slow).start()
    assert started.wait(5)
    assert tasks.shutdown(5000)
    assert task.is_cancelled()

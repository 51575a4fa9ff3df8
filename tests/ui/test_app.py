"""Start-up: which database the app opens."""

from __future__ import annotations

import pytest

from genebank import db
from ui.app import choose_database_url
from ui.settings import Settings


def test_database_choice_order(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """--database wins, then GENEBANK_DATABASE_URL, then the last used, then the default."""
    monkeypatch.delenv("GENEBANK_DATABASE_URL", raising=False)
    assert choose_database_url(None, settings) == db.sqlite_url(db.default_database_path())
    settings.add_recent_database("sqlite:///last.sqlite")
    assert choose_database_url(None, settings) == "sqlite:///last.sqlite"
    monkeypatch.setenv("GENEBANK_DATABASE_URL", "sqlite:///env.sqlite")
    assert choose_database_url(None, settings) == "sqlite:///env.sqlite"
    assert choose_database_url("sqlite:///arg.sqlite", settings) == "sqlite:///arg.sqlite"


def test_shutdown_cancels_running_tasks(qtbot: object) -> None:
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

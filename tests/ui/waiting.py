"""Waiting in tests for what a form starts through ``ui.operations`` (never with sleeps)."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

TIMEOUT_MS = 30000


def done(qtbot: QtBot, started: Any) -> bool:
    """Wait for the operation a save, delete or move started (None or False: refused before
    the database, nothing started); True if it succeeded."""
    if not started:
        return False
    if not started.finished:
        with qtbot.waitSignal(started.done, timeout=TIMEOUT_MS):
            pass
    return bool(started.ok)


def settled(qtbot: QtBot) -> None:
    """Wait until every operation started (by Enter in a form, a menu action...) and every
    other task (a table's rows loading) has ended."""
    from ui import operations, tasks

    qtbot.waitUntil(lambda: not operations.pending() and not tasks.running(),
                    timeout=TIMEOUT_MS)

"""Reads over the whole collection run off the GUI thread (the window stays alive and says
it is reading); the short reads left on it are bounded on PostgreSQL, so a locked table or a
slow server ends in a plain message instead of a frozen window."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from genebank import db, transactions
from genebank.conservation import worklists
from genebank.models import Accession
from genebank.passport import accession_query
from genebank.training import participants, training_reports
from tests.ui.waiting import settled
from ui import operations
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.views.attention_view import AttentionView


def _held(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> tuple[
        threading.Event, threading.Event]:
    """``module.name`` made slow: it waits (at most 10 s) until the test releases it."""
    reached, release = threading.Event(), threading.Event()
    real: Callable[..., Any] = getattr(module, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        reached.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)
    return reached, release


def _ticking() -> tuple[QTimer, list[float]]:
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    return timer, ticks


def test_the_filter_choices_are_read_while_the_window_stays_alive(
        qtbot: QtBot, collection: db.Database, settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reached, release = _held(monkeypatch, accession_query, "filter_choices")
    timer, ticks = _ticking()
    try:
        started = time.monotonic()
        window = MainWindow(collection, settings)
        qtbot.addWidget(window)
        window.show()
        assert time.monotonic() - started < 5, "the window waited for the whole collection"
        crop = window.filter_bar.crop
        assert not crop.isEnabled() and "Reading the choices" in crop.toolTip()
        qtbot.waitUntil(lambda: reached.is_set() and len(ticks) >= 5)
    finally:
        release.set()
        timer.stop()
    settled(qtbot)
    assert crop.isEnabled() and crop.count() > 1  # the crops present, offered
    assert window._total == 450


def test_the_attention_counts_are_read_while_the_window_stays_alive(
        qtbot: QtBot, collection: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    reached, release = _held(monkeypatch, worklists, "overview")
    timer, ticks = _ticking()
    try:
        started = time.monotonic()
        view = AttentionView(collection.session_factory)
        qtbot.addWidget(view)
        view.show()
        assert time.monotonic() - started < 5, "the overview held the window"
        assert all("(counting…)" in view.lists.item(row).text()
                   for row in range(view.lists.count()))
        assert view.totals.text() == "Counting the collection…"
        qtbot.waitUntil(lambda: reached.is_set() and len(ticks) >= 5)
    finally:
        release.set()
        timer.stop()
    settled(qtbot)
    assert "Collection: 450 accessions" in view.totals.text()
    assert not any("counting" in view.lists.item(row).text()
                   for row in range(view.lists.count()))


@pytest.fixture
def server(postgres_url: str) -> Iterator[db.Database]:
    database = db.open_database(postgres_url, user="tester")
    yield database
    database.close()


@pytest.mark.postgres
def test_a_short_read_behind_a_locked_table_ends_in_a_plain_message(
        server: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another connection holds the accession table whole (as an upgrade would): the read
    gives up after its bound, with words, rather than waiting for it."""
    monkeypatch.setattr(operations, "READ_NOW_TIMEOUT_MS", 400)
    holder = server.engine.connect()
    try:
        holder.execute(text("LOCK TABLE accession IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        with pytest.raises(transactions.ReadTimedOut) as raised:
            operations.read_now(server, lambda s: s.scalar(
                select(func.count()).select_from(Accession)),
                operation="Counting the accessions")
        assert time.monotonic() - started < 3
    finally:
        holder.rollback()
        holder.close()
    said = operations.message(raised.value, database=server)
    assert said.startswith("Counting the accessions: the database did not answer within "
                           "0.4 s (the server may be slow, or busy with another "
                           "workstation's work)")


@pytest.mark.postgres
def test_a_short_read_on_a_slow_server_ends_in_a_plain_message(
        server: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(operations, "READ_NOW_TIMEOUT_MS", 300)
    started = time.monotonic()
    with pytest.raises(transactions.ReadTimedOut) as raised:
        operations.read_now(server, lambda s: s.execute(text("SELECT pg_sleep(5)")),
                            operation="Opening the accession")
    assert time.monotonic() - started < 3
    assert operations.message(raised.value, database=server) == (
        "Opening the accession: the database did not answer within 0.3 s (the server may "
        "be slow, or busy with another workstation's work); nothing was changed. Try again "
        "in a moment")
    # the bound is the short read's: a Read of its own, off the GUI thread, has none
    assert operations.read_in_task(server, lambda s: s.scalar(text(
        "SELECT current_setting('statement_timeout')")), operation="") == "0"


def test_the_training_report_is_read_while_the_window_stays_alive(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    reached, release = _held(monkeypatch, training_reports, "totals")
    timer, ticks = _ticking()
    try:
        started = time.monotonic()
        training = window.show_training()
        qtbot.addWidget(training)
        assert time.monotonic() - started < 5, "the report held the window"
        report = training.reports_tab
        assert report.totals.text() == "Reading the training report…"
        qtbot.waitUntil(lambda: reached.is_set() and len(ticks) >= 5)
    finally:
        release.set()
        timer.stop()
    settled(qtbot)
    assert "people trained" in report.totals.text()


def test_a_table_read_that_times_out_is_said_in_the_status_bar(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table's first page stays a short read on the GUI thread (indexed, a few
    milliseconds); when the server does not answer in time the status bar says so and the
    table keeps what it showed."""
    def timed_out(*_args: Any, **_kwargs: Any) -> Any:
        raise transactions.ReadTimedOut(operation="Reading the accessions", seconds=5)

    assert window.model is not None
    rows = window.model.rowCount()
    monkeypatch.setattr(accession_query, "first_page", timed_out)
    window.refresh()
    assert "did not answer within 5 s" in window.statusBar().currentMessage()
    assert window.model.rowCount() == rows
    settled(qtbot)  # the refresh's other reads (the filter's choices) end with the test


def test_likely_duplicate_people_are_found_while_the_window_stays_alive(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """Comparing every participant grows with the register: off the GUI thread, Merge and
    Swap off and the count saying so meanwhile."""
    training = window.show_training()
    qtbot.addWidget(training)
    settled(qtbot)
    reached, release = _held(monkeypatch, participants, "likely_duplicates")
    timer, ticks = _ticking()
    try:
        started = time.monotonic()
        dialog = training.participants_tab.duplicates()
        assert time.monotonic() - started < 5, "the comparison held the window"
        assert dialog.count.text() == "Finding likely duplicates…"
        assert not dialog.merge_button.isEnabled() and not dialog.swap_button.isEnabled()
        qtbot.waitUntil(lambda: reached.is_set() and len(ticks) >= 5)
    finally:
        release.set()
        timer.stop()
    settled(qtbot)
    assert dialog.count.text().endswith("pairs")
    assert dialog.table.rowCount() == len(dialog.pairs)
    dialog.accept()


def test_a_worklist_is_counted_while_the_window_stays_alive(
        qtbot: QtBot, collection: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing a list counts it over the whole collection: off the GUI thread, the count
    saying "counting…" and Export off meanwhile; then the rows and the count."""
    view = AttentionView(collection.session_factory)
    qtbot.addWidget(view)
    view.show()
    settled(qtbot)
    reached, release = _held(monkeypatch, worklists, "count")
    timer, ticks = _ticking()
    try:
        started = time.monotonic()
        view.lists.setCurrentRow(
            [w.id for w in worklists.WORKLISTS].index(worklists.WITHOUT_SAFETY_DUPLICATE))
        assert time.monotonic() - started < 5, "the count held the window"
        assert view.count_label.text() == "counting…"
        assert not view.export_button.isEnabled()
        qtbot.waitUntil(lambda: reached.is_set() and len(ticks) >= 5)
    finally:
        release.set()
        timer.stop()
    settled(qtbot)
    assert view.model.total > 200 and view.model.rowCount() == 200
    assert view.count_label.text() == f"{view.model.total} to do"
    assert view.export_button.isEnabled()

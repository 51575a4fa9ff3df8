"""Migration 0016: the import log says when an import was undone, and by whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, inspect, text

from genebank import db


def test_0016_keeps_every_log_entry_and_adds_the_undo_columns(empty_engine: Engine) -> None:
    """An entry written at 0015 is kept, read as not undone; an undone one is stored; back
    at 0015 the columns go and the entries stay."""
    db.upgrade(empty_engine, "0015")
    with empty_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO import_log (kind, file_name, sheet, finished_at, created_count, "
            "updated_count, skipped_count, unchanged_count, details, created_at, created_by, "
            "updated_at, updated_by, version) VALUES ('passport', 'kaz.xlsx', 'Sheet1', :at, "
            "12, 3, 0, 1, 'row 4: ...', :at, 'aigul', :at, 'aigul', 1)"),
            {"at": dt.datetime(2026, 11, 20, 9)})
        before = connection.execute(text(
            "SELECT id, kind, file_name, created_count, details FROM import_log")).all()
    db.upgrade(empty_engine, "0016")
    with empty_engine.begin() as connection:
        assert connection.execute(text(
            "SELECT id, kind, file_name, created_count, details FROM import_log")).all() \
            == before
        assert connection.execute(text(
            "SELECT undone_at, undone_by FROM import_log")).one() == (None, "")
        connection.execute(text("UPDATE import_log SET undone_at = :at, undone_by = 'maria'"),
                           {"at": dt.datetime(2026, 11, 26, 15)})
    db.downgrade(empty_engine, "0015")
    with empty_engine.begin() as connection:
        assert connection.execute(text(
            "SELECT id, kind, file_name, created_count, details FROM import_log")).all() \
            == before
        columns = {c["name"] for c in inspect(connection)
                   .get_columns("import_log")}
        assert "undone_at" not in columns and "undone_by" not in columns

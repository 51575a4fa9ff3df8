"""Cancel pressed once the work can no longer stop (branch review; failed on main): a
backup that was finished and placed is not said to be 'cancelled; nothing was written',
and a write that committed is announced and not said to have changed nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from genebank import backup
from tests.ui.waiting import done, settled
from ui import file_dialogs, operations
from ui.main_window import MainWindow


def test_cancel_during_the_backups_final_check_does_not_deny_the_backup(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancel arrives while the copy is being checked (no cancel point is left): the
    backup is placed whole, and the window says so, not 'nothing was written'."""
    target = tmp_path / "friday.sqlite"
    monkeypatch.setattr(file_dialogs, "get_save_file_name",
                        lambda *_args, **_kwargs: (str(target), ""))
    real_verify = backup.verify_copy

    def cancel_while_checking(path: Path, expected: dict[str, int]) -> None:
        window._backup.cancel()  # type: ignore[union-attr]  # the person presses Cancel now
        real_verify(path, expected)

    monkeypatch.setattr(backup, "verify_copy", cancel_while_checking)
    operation = window.backup_database()
    assert operation is not None
    done(qtbot, operation)
    status = window.statusBar().currentMessage()
    assert target.exists(), "the backup was placed"
    assert "nothing was written" not in status, status
    assert operation.ok and str(target) in status


def test_a_write_that_committed_is_not_said_to_have_changed_nothing(
        qtbot: QtBot, window: MainWindow) -> None:
    """A write whose transaction committed just as Cancel was pressed: its success callback
    runs and the change is announced, as it happened."""
    heard: list[operations.Changed] = []
    operations.on_change(window, lambda changes, _initiator: heard.append(changes))
    failures: list[str] = []
    holder: list[operations.Write[int]] = []

    def work(session: object, _progress: object) -> int:
        session.execute(text("UPDATE accession SET collname = 'checked' "  # type: ignore[attr-defined]
                             "WHERE id = (SELECT min(id) FROM accession)"))
        holder[0].cancel()  # too late: nothing checks for it before the commit
        return 1

    write = operations.Write(window, window.database, work, operation="Mark checked",
                             changes=operations.Changed(accessions=True))
    holder.append(write)
    write.with_progress("Marking…").failure(lambda message, _error: failures.append(message))
    write.run()
    done(qtbot, write)
    with window.database.session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM accession "
                                    "WHERE collname = 'checked'")).scalar() == 1
    assert failures == [] and write.ok
    assert heard and heard[-1].accessions
    settled(qtbot)  # the window rereads what the write changed

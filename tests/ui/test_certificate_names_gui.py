"""A certificate whose number is not a safe file name (a prefix saved by an older version)
is not reprinted anywhere: the trainer is told why, and the window stays usable."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import update

from genebank.models import Programme
from genebank.training import certificates
from tests.ui.test_training_highlight import course_id, training
from ui.views.training_window import TrainingWindow

__all__ = ["training"]  # the fixture used below


def test_reprinting_an_unsafe_number_says_why_and_writes_nothing(
        qtbot: QtBot, training: TrainingWindow, tmp_path: Path,
        message_boxes: list[str]) -> None:
    """Reprint of certificate '../../x-2026-00001' warns, and no PDF appears anywhere."""
    with training.session_factory.begin() as session:
        session.execute(update(Programme).values(certificate_prefix="../../x"))
        certificates.issue_for_course(session, course_id(training, "Field collecting"))
    tab = training.certificates_tab
    training.tabs.setCurrentWidget(tab)
    tab.reload()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    tab.table.selectRow(0)
    chosen = tmp_path / "a" / "b" / "chosen"
    assert tab.reprint(chosen) == []
    assert len(message_boxes) == 1 and "Cannot write a file named '../../x-" in \
        message_boxes[0] and "certificate prefix" in message_boxes[0]
    assert list(tmp_path.rglob("*.pdf")) == []

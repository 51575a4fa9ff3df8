"""On a server, a reason given when a participant's certificate was voided shows in the
trainer's history windows (Recent changes, the participant's History tab), and nowhere in
a viewer's: each connected as their own login role, the server's row-level security
deciding as the core does."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.genebank.test_personal_reasons import (  # noqa: F401 (fixture)
    REASON,
    as_person,
    server,
    voided_certificate,
)
from tests.ui import shots
from tests.ui.test_history_windows import _rows, _shown
from ui.dialogs.recent_changes import RecentChangesWindow
from ui.dialogs.training_dialogs import ParticipantDialog

pytestmark = pytest.mark.postgres


def _recent(qtbot: QtBot, factory: Any) -> RecentChangesWindow:
    window = RecentChangesWindow(factory)
    qtbot.addWidget(window)
    window.show()
    _shown(qtbot, window.view)
    return window


def test_the_trainer_reads_the_reason_the_viewer_does_not(
        qtbot: QtBot, server: dict[str, Any]) -> None:  # noqa: F811
    engines = server["engines"]
    trainer = as_person(engines["tomás"], "tomás")
    with trainer.begin() as session:
        person, _certificate = voided_certificate(session)
    window = _recent(qtbot, trainer)
    rows = _rows(window.view)
    assert REASON in {row["Reason"] for row in rows}, rows
    shots.shot(window, "trainer-recent-changes", under="personal_reasons_gui")
    dialog = ParticipantDialog(trainer, participant_id=person)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_history()
    assert dialog.history is not None
    assert REASON in {row["Reason"] for row in _shown(qtbot, dialog.history)}
    shots.shot(dialog, "trainer-participant-history", under="personal_reasons_gui")

    viewer = _recent(qtbot, as_person(engines["vera"], "vera"))
    shown = _rows(viewer.view)
    assert shown, "the viewer still reads the history's other changes"
    assert REASON not in str(shown) and "Ahmed" not in str(shown)
    shots.shot(viewer, "viewer-recent-changes", under="personal_reasons_gui")

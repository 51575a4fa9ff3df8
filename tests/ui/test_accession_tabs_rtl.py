"""The accession form's tab bar in Arabic, right to left (QA3 finding 14): with a History
tab added and a problem's icon on most tabs, every tab is in sight (its title shortened if
the screen is too narrow, the whole title in its tooltip), never a lone letter beside the
scroll arrows; the form is as wide as its tabs need where the screen allows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.passport import accessions
from tests.conftest import passport_values
from ui.dialogs.accession_editor import AccessionEditor


@pytest.fixture
def arabic_rtl() -> Iterator[None]:
    """As the app sets itself in ar_JO: right to left, Arabic regional formats."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Arabic, QLocale.Country.Jordan))
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    QLocale.setDefault(previous)


def test_every_tab_of_the_accession_form_is_in_sight_in_arabic(
        qtbot: QtBot, tmp_path: Path, arabic_rtl: None) -> None:
    database = db.open_database(db.sqlite_url(tmp_path / "بنك.sqlite"), user="labo")
    try:
        with database.session_factory.begin() as session:
            accession = accessions.create_accession(session, values=passport_values()).id
        editor = AccessionEditor(database.session_factory, accession_id=accession)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        # Problems on most tabs: each shows its icon, widening its tab
        for code, value in (("INSTCODE", ""), ("GENUS", ""), ("ORIGCTY", "ZZZ"),
                            ("SAMPSTAT", "999"), ("MLSSTAT", "7"), ("DONORCODE", "x y")):
            editor.editors[code].set_value(value)
        editor.check()
        bar = editor.tabs.tabBar()
        assert sum(not editor.tabs.tabIcon(i).isNull() for i in range(bar.count())) >= 4
        assert editor.tabs.tabText(bar.count() - 1) == "History"
        QApplication.processEvents()
        screen = editor.screen().availableGeometry().width()
        assert editor.width() <= max(screen, 825)
        for index in range(bar.count()):
            assert bar.rect().contains(bar.tabRect(index)), (index, bar.tabRect(index),
                                                             bar.rect())
            assert bar.tabToolTip(index) == editor.tabs.tabText(index).replace("&", "")
        editor.grab().save("/tmp/qafix-gui-ar-form-tabs.png")
    finally:
        database.close()

"""The README's history screenshots, from a database with a story: the demo collection
loaded before anyone signed in, then amina and bekzat signed in, editing on forms, bekzat
sending seeds out and importing a sheet. Written into docs/screenshots only with
GENEBANK_DOCS_SCREENSHOTS=1; the test checks what they show either way."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from genebank import cli, db
from genebank.conservation import seed_lots
from genebank.demo import demo
from genebank.passport import accessions
from genebank.users import accounts
from genebank.users.actor import Actor, attach, work_as
from genebank.users.roles import Role
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.recent_changes import RecentChangesWindow
from ui.views.history_view import HistoryView

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SHOTS = Path("/tmp/histui")
AMINA = Actor(1, "amina", frozenset({Role.ADMINISTRATOR, Role.CURATOR}))
BEKZAT = Actor(2, "bekzat", frozenset({Role.CURATOR, Role.SEED_LABORATORY}))


def shot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]
    if os.environ.get("GENEBANK_DOCS_SCREENSHOTS") == "1":
        widget.grab().save(str(DOCS / f"{name}.png"))  # type: ignore[attr-defined]


@pytest.fixture
def english() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)


def _edit(database: db.Database, actor: Actor, accenumb: str, **changes: object) -> None:
    with database.session_factory.begin() as session:
        work_as(session, actor)
        accession_id = accessions.find_accession_id(session, instcode="KAZ001",
                                                    accenumb=accenumb)
        assert accession_id is not None
        passport = accessions.get_passport(session, accession_id)
        accessions.update_accession(session, accession_id, expected_version=passport.version,
                                    values={**passport.values, **changes})


@pytest.fixture
def story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[db.Database]:
    database = db.open_database(db.sqlite_url(tmp_path / "story.sqlite"), user="lab-pc")
    with database.session_factory.begin() as session:
        demo.load_demo(session, accessions=60)
    with database.session_factory.begin() as session:
        accounts.create_first_administrator(session, name="amina", password="first pass 1",
                                            roles=AMINA.roles)
    with database.session_factory.begin() as session:
        work_as(session, AMINA)
        accounts.add_user(session, name="bekzat", roles=BEKZAT.roles, password="second 22")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (("INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "CROPNAME", "ORIGCTY",
                 "SAMPSTAT", "ACQDATE", "STORAGE"),
                ("KAZ001", "DEMO-0000001", "Avena", "sativa", "oat", "KAZ", 300, "20120715",
                 "13"),
                ("KAZ001", "DEMO-0000002", None, None, "spring wheat", None, None, None, None),
                ("KAZ001", "KZ-2026-001", "Triticum", "aestivum", "bread wheat", "KAZ", 500,
                 "20261102", "13"),
                ("KAZ001", "KZ-2026-002", "Hordeum", "vulgare", "barley", "KAZ", 500,
                 "20261102", "13")):
        sheet.append(row)
    book.save(tmp_path / "acquisitions-2026.xlsx")
    monkeypatch.setenv("GENEBANK_PASSWORD", "second 22")
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--database", database.url, "--user", "bekzat", "import-mcpd",
                         "--update", str(tmp_path / "acquisitions-2026.xlsx")]) == 0
    _edit(database, AMINA, "DEMO-0000001", ORIGCTY="KAZ",
          COLLSITE="Shortandy, 60 km north of Astana")
    _edit(database, BEKZAT, "DEMO-0000001", ACCENAME="Niamey;Shortandinskaya 2",
          ELEVATION=390)
    with database.session_factory.begin() as session:
        work_as(session, BEKZAT)
        lot = seed_lots.find_lot_id(session, "L00000001")
        assert lot is not None
        seed_lots.withdraw(session, lot, kind="distributed", on=dt.date(2026, 11, 20),
                           seeds=250, reason="Order 2026-041, Kazakh Research Institute "
                                             "of Agriculture")
    yield database
    database.close()


def _wait(qtbot: QtBot, view: HistoryView) -> None:
    qtbot.waitUntil(lambda: view.read is not None and view.read.finished and not view._stale,
                    timeout=10000)
    assert view.read is not None and view.read.ok, view.read.error_text


def test_an_accessions_history_and_the_recent_changes(qtbot: QtBot, story: db.Database,
                                                       english: None) -> None:
    """The accession's story: two people's form edits, an import, the demo before
    sign-in; the recent changes: the withdrawal, the edits, the import."""
    attach(story.session_factory, AMINA)
    with story.session_factory() as session:
        accession = accessions.find_accession_id(session, instcode="KAZ001",
                                                 accenumb="DEMO-0000001")
    editor = AccessionEditor(story.session_factory, accession_id=accession)
    qtbot.addWidget(editor)
    editor.resize(960, 560)
    editor.show()
    editor.show_history()
    assert editor.history is not None
    _wait(qtbot, editor.history)
    operations = [e.operation for e in editor.history.model.entries]
    assert operations[:3] == ["form", "form", "import"] and operations[-1] == "bulk"
    shot(editor, "accession-history")

    window = RecentChangesWindow(story.session_factory)
    qtbot.addWidget(window)
    window.resize(1180, 600)
    window.show()
    window.record_type.setCurrentIndex(window.record_type.findData("accession"))
    window.apply_filters()
    _wait(qtbot, window.view)
    assert [e.user_name for e in window.view.model.entries[:3]] == ["bekzat", "amina",
                                                                     "bekzat"]
    window.record_type.setCurrentIndex(0)
    window.apply_filters()
    _wait(qtbot, window.view)
    shot(window, "recent-changes")

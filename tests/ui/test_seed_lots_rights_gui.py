"""The accession form's Seed lots tab greys what the person's roles do not allow (QA of
issue 15): a curator, a viewer, a trainer or an administrator without the seed laboratory
role sees every lot, test and ledger line, but New lot, the tests, Quantity, More (move,
safety duplicates, 1000-seed weight, regeneration, discard, correct, void) and the lists'
right-click Correct… / Void… are greyed, their tooltip saying why in the core's words, a
line above the lots saying so; a double-click opens no form. For the seed laboratory (alone
or with another role) they are enabled. The real roles' table decides, on a real file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import regenerations, seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.passport import accessions
from genebank.users import accounts
from genebank.users.actor import Actor, attach, detach, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values
from tests.ui import shots
from ui import operations
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.record_dialog import RecordDialog
from ui.views import correction_actions
from ui.views.conservation_tab import ConservationTab

PASSWORD = "Жасыл-бидай 2026"
REASON = "{0} may not change conservation records: that needs the role seed laboratory"
NAMES = {Role.CURATOR: "nurlan", Role.VIEWER: "vera", Role.TRAINER: "عائشة",
         Role.ADMINISTRATOR: "Françoise", Role.SEED_LABORATORY: "moussa"}


@pytest.fixture
def bank(tmp_path: Path) -> Iterator[tuple[db.Database, dict[str, Actor], int]]:
    """An accession with a lot that has everything a button acts on: a germination test
    sown and still to count, a moisture test, a safety duplicate, an open regeneration.
    One person per role, and one both curator and seed laboratory."""
    database = db.open_database(db.sqlite_url(tmp_path / "banque.sqlite"), user="labo")
    people: dict[str, Actor] = {}
    today = dt.date.today()
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        admin = accounts.create_first_administrator(session, name=NAMES[Role.ADMINISTRATOR],
                                                    password=PASSWORD)
        people[admin.name] = Actor(admin.id, admin.name, frozenset(admin.roles))
        work_as(session, people[admin.name])
        for role, name in NAMES.items():
            if role is not Role.ADMINISTRATOR:
                made = accounts.add_user(session, name=name, roles=[role], password=PASSWORD)
                people[name] = Actor(made.id, made.name, frozenset(made.roles))
        both = accounts.add_user(session, name="aigul", roles=[Role.CURATOR,
                                                               Role.SEED_LABORATORY],
                                 password=PASSWORD)
        people["aigul"] = Actor(both.id, both.name, frozenset(both.roles))
        work_as(session, people["moussa"])
        lot = seed_lots.create_lot(session, accession_id=accession, lot_number="KZ-LOT-0007",
                                   storage_type="base", stored_on=today - dt.timedelta(days=400),
                                   seeds=4000)
        seed_tests.record_germination(session, lot, tested_on=today - dt.timedelta(days=390),
                                      replicates=[Replicate(100, 93, 7)] * 4,
                                      method="between paper, 20 °C", tester="Aigul")
        seed_tests.start_germination(session, lot, tested_on=today - dt.timedelta(days=2),
                                     sown=[50, 50])
        seed_tests.record_moisture(session, lot, tested_on=today - dt.timedelta(days=30),
                                   moisture_pct=6.5)
        regenerations.send_safety_duplicate(session, lot_id=lot, institute_code="NOR051",
                                            sent_on=today - dt.timedelta(days=60), seeds=500)
        regenerations.plan_regeneration(session, source_lot_id=lot, site="Field 3",
                                        planned_on=today, seeds=200)
    yield database, people, accession
    detach(database.session_factory)
    database.close()


def _seed_lots(qtbot: QtBot, database: db.Database, actor: Actor,
               accession: int) -> tuple[AccessionEditor, ConservationTab]:
    """The accession form on its Seed lots tab, opened by ``actor``, the lot highlighted."""
    attach(database.session_factory, actor)
    editor = AccessionEditor(database.session_factory, accession_id=accession)
    qtbot.addWidget(editor)
    editor.show_conservation()
    editor.show()
    qtbot.waitExposed(editor)
    tab = editor.conservation
    assert tab is not None and tab.current_lot() is not None
    return editor, tab


def _controls(tab: ConservationTab) -> dict[str, QWidget | QAction]:
    """Every control of the tab that changes a record, by its words."""
    controls: dict[str, QWidget | QAction] = {
        button.text().replace("&", ""): button
        for button in (tab.add_lot_button, tab.germination_button, tab.count_button,
                       tab.moisture_button, tab.quantity_button, tab.more_button)}
    for action in tab.more_button.menu().actions():
        if not action.isSeparator():
            controls[action.text().replace("&", "")] = action
    return controls


def _right_click_menu(tab: ConservationTab, monkeypatch: pytest.MonkeyPatch) -> QMenu:
    """The menu a right-click on the first test row opens."""
    opened: list[QMenu] = []

    class Shown(QMenu):  # records the menu instead of waiting for a click in it
        def exec(self, *_args: object) -> None:  # type: ignore[override]
            opened.append(self)

    monkeypatch.setattr(correction_actions, "QMenu", Shown)
    tab.details.setCurrentWidget(tab.test_table)
    point = tab.test_table.visualItemRect(tab.test_table.item(0, 0)).center()
    tab.test_table.customContextMenuRequested.emit(point)
    assert len(opened) == 1
    return opened[0]


@pytest.mark.parametrize("role", [Role.CURATOR, Role.VIEWER, Role.TRAINER,
                                  Role.ADMINISTRATOR])
def test_the_seed_lots_tab_is_greyed_with_the_reason_for_who_may_not_change_lots(
        qtbot: QtBot, bank: tuple[db.Database, dict[str, Actor], int],
        monkeypatch: pytest.MonkeyPatch, role: Role) -> None:
    database, people, accession = bank
    name = NAMES[role]
    editor, tab = _seed_lots(qtbot, database, people[name], accession)
    reason = REASON.format(name)
    controls = _controls(tab)
    assert len(controls) == 19  # five buttons, More, and its thirteen entries
    for text, control in controls.items():
        assert not control.isEnabled(), text
        assert control.toolTip().startswith(reason), (text, control.toolTip())
    assert tab.rights_label.isVisibleTo(editor)
    assert tab.rights_label.text().startswith(f"Read-only: {reason}")
    menu = _right_click_menu(tab, monkeypatch)
    for action in menu.actions():
        assert not action.isEnabled() and action.toolTip().startswith(reason)
    assert menu.toolTipsVisible()
    tab.lot_table.setFocus()
    qtbot.keyClick(tab.lot_table, Qt.Key.Key_Return)  # Enter (or a double-click) on a lot
    tab.test_table.setFocus()
    qtbot.keyClick(tab.test_table, Qt.Key.Key_Return)
    assert not [d for d in tab.findChildren(RecordDialog) if d.isVisible()]
    # nor does the Enter go on to the accession form's Save
    assert not operations.pending() and editor.operation is None
    assert tab.lot_table.rowCount() == 1
    assert tab.test_table.rowCount() == 3 and tab.ledger_table.rowCount() > 0  # all read


@pytest.mark.parametrize("name", ["moussa", "aigul"])
def test_the_seed_laboratory_has_them_enabled(
        qtbot: QtBot, bank: tuple[db.Database, dict[str, Actor], int],
        monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    database, people, accession = bank
    _editor, tab = _seed_lots(qtbot, database, people[name], accession)
    tab.details.setCurrentWidget(tab.test_table)
    tab.select_test(tab.tests_to_count()[0].test_id or 0)
    for text, control in _controls(tab).items():
        assert control.isEnabled(), text
        assert "may not" not in control.toolTip(), text
    assert tab.count_button.toolTip().startswith("Count the germination test highlighted")
    assert tab.rights_label.isHidden()
    menu = _right_click_menu(tab, monkeypatch)
    assert any(action.isEnabled() for action in menu.actions())
    tab.lot_table.setFocus()
    tab.lot_table.setCurrentCell(0, 0)
    qtbot.keyClick(tab.lot_table, Qt.Key.Key_Return)  # Enter on a lot: a germination test
    opened = [d for d in tab.findChildren(RecordDialog) if d.isVisible()]
    assert len(opened) == 1 and opened[0].read_only_reason is None
    assert not operations.pending()  # the Enter did not go on to press its Save
    opened[0].done(0)


def test_the_lots_own_conditions_still_grey_for_the_seed_laboratory(
        qtbot: QtBot, bank: tuple[db.Database, dict[str, Actor], int]) -> None:
    """The rights add to what a lot allows: a discarded lot takes no test, with the
    button's own tooltip (not a rights reason)."""
    database, people, accession = bank
    with database.session_factory.begin() as session:
        work_as(session, people["moussa"])
        lot_id = seed_lots.find_lot_id(session, "KZ-LOT-0007")
        assert lot_id is not None
        seed_lots.discard(session, lot_id, on=dt.date.today(), reason="mouldy")
    _editor, tab = _seed_lots(qtbot, database, people["moussa"], accession)
    assert not tab.germination_button.isEnabled()
    assert "may not" not in tab.germination_button.toolTip()
    assert tab.add_lot_button.isEnabled()


def test_screenshot_of_the_greyed_tab_with_its_tooltip(
        qtbot: QtBot, bank: tuple[db.Database, dict[str, Actor], int]) -> None:
    """The Seed lots tab as a curator sees it, hovering New lot (screenshot)."""
    database, people, accession = bank
    editor, tab = _seed_lots(qtbot, database, people["nurlan"], accession)
    editor.resize(1100, 700)
    shots.shot(editor, "seed-lots-curator", under="seed_lots_rights")  # the line in full
    button = tab.add_lot_button
    QToolTip.showText(button.mapToGlobal(QPoint(8, button.height())), button.toolTip(), button)
    qtbot.waitUntil(lambda: any(w.inherits("QTipLabel") and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    tip = next(w for w in QApplication.topLevelWidgets()
               if w.inherits("QTipLabel") and w.isVisible())
    assert tip.text().startswith(REASON.format("nurlan"))  # type: ignore[attr-defined]
    picture = editor.grab()
    painter = QPainter(picture)  # the tooltip where it shows, below the button
    painter.drawPixmap(button.mapTo(editor, QPoint(button.width() // 2, 2 * button.height())),
                       tip.grab())
    painter.end()
    path = shots.folder("seed_lots_rights") / "seed-lots-curator-tooltip.png"
    picture.save(str(path))
    QToolTip.hideText()

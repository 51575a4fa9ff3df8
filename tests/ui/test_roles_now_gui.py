"""A long GUI session keeps up with the administrator on another workstation (issue 15):
the window's greying follows the person's roles at the next refresh, a write the person
may no longer make is refused with the core's words, and a person disabled meanwhile is
signed out. The other workstation is the same file opened again, as a second process
would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from genebank import db, transactions
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.users import accounts
from genebank.users.actor import Actor, attach, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values
from tests.ui.waiting import settled
from ui import operations
from ui.main_window import MainWindow
from ui.settings import Settings

PASSWORD = "Жасыл-бидай 2026"


@pytest.fixture
def two_workstations(tmp_path: Path) -> Iterator[tuple[db.Database, db.Database]]:
    """Ольга's workstation (signed in as curator) and Françoise's (administrator)."""
    url = db.sqlite_url(tmp_path / "équipe.sqlite")
    mine = db.open_database(url, user="labo")
    with mine.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
        admin = accounts.create_first_administrator(session, name="Françoise",
                                                    password=PASSWORD)
        work_as(session, Actor(admin.id, admin.name, frozenset(admin.roles)))
        curator = accounts.add_user(session, name="Ольга", roles=[Role.CURATOR],
                                    password=PASSWORD)
    attach(mine.session_factory, Actor(curator.id, curator.name, frozenset(curator.roles)))
    theirs = db.open_database(url, user="admin")
    attach(theirs.session_factory, Actor(admin.id, admin.name, frozenset(admin.roles)))
    yield mine, theirs
    theirs.close()
    mine.close()


def _as_admin(database: db.Database, work: object) -> None:
    transactions.run_write(database, work, operation="test")  # type: ignore[arg-type]


def test_the_greying_follows_roles_changed_elsewhere_at_the_next_refresh(
        qtbot: QtBot, two_workstations: tuple[db.Database, db.Database],
        settings: Settings) -> None:
    mine, theirs = two_workstations
    window = MainWindow(mine, settings)
    qtbot.addWidget(window)
    assert window.new_action.isEnabled()
    _as_admin(theirs, lambda session: accounts.set_roles(session, "Ольга", [Role.VIEWER]))
    assert window.new_action.isEnabled()  # not yet: the window has not looked
    window.refresh()
    assert not window.new_action.isEnabled()
    assert "Ольга may not" in window.new_action.toolTip()
    assert "Curator" in window.new_action.toolTip() or "curator" in window.new_action.toolTip()
    assert "Viewer" in window.user_label.text()
    _as_admin(theirs, lambda session: accounts.set_roles(
        session, "Ольга", [Role.CURATOR, Role.SEED_LABORATORY]))
    window.refresh()
    assert window.new_action.isEnabled() and window.import_tests_action.isEnabled()
    settled(qtbot)  # the refreshes' reads


def test_a_write_started_before_the_change_is_refused_in_the_cores_words(
        qtbot: QtBot, two_workstations: tuple[db.Database, db.Database],
        settings: Settings) -> None:
    """The window still shows the old roles (no refresh): the write itself refuses."""
    mine, theirs = two_workstations
    window = MainWindow(mine, settings)
    qtbot.addWidget(window)
    _as_admin(theirs, lambda session: accounts.set_roles(session, "Ольга", [Role.VIEWER]))
    said: list[str] = []
    write = operations.Write(window, mine, lambda session: accessions.create_accession(
        session, values=passport_values(ACCENUMB="NEW-1")), operation="test",
        changes=operations.Changed(accessions=True))
    write.failure(lambda text, _error: said.append(text))
    with qtbot.waitSignal(write.done, timeout=20000):
        write.run()
    assert len(said) == 1 and "Ольга may not" in said[0], said


def test_a_person_disabled_elsewhere_is_signed_out_at_the_next_refresh(
        qtbot: QtBot, two_workstations: tuple[db.Database, db.Database],
        settings: Settings) -> None:
    mine, theirs = two_workstations
    window = MainWindow(mine, settings)
    qtbot.addWidget(window)
    _as_admin(theirs, lambda session: accounts.disable_user(session, "Ольга"))
    with pytest.raises(Refused) as refused:  # their next write, before any refresh
        transactions.run_write(mine, lambda session: accessions.create_accession(
            session, values=passport_values(ACCENUMB="NEW-1")), operation="test")
    assert refused.value.code == "signed_in_person_disabled"
    window.refresh()
    assert window.signed_in() is None
    assert not window.new_action.isEnabled()
    assert "disabled" in window.statusBar().currentMessage()
    settled(qtbot)  # the refresh's reads

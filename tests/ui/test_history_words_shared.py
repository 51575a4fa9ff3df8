"""The Recent changes window words roles, erased values and whole numbers as the command
line does (QA3 finding 12): one set of decisions, genebank/history/wording.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from genebank import db
from genebank.conservation import seed_lots
from genebank.passport import accessions
from genebank.training import participants
from genebank.users import accounts
from genebank.users.actor import Actor, attach, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values
from ui.dialogs.recent_changes import RecentChangesWindow

AMINA = Actor(1, "amina", frozenset({Role.ADMINISTRATOR, Role.TRAINER, Role.CURATOR}))
SHOTS = Path("/tmp/qafix-cli")


@pytest.fixture
def team(tmp_path: Path) -> Iterator[db.Database]:
    """A lot of 96 g-weighed seeds and an erased participant recorded before sign-in, then
    amina, who gives dana the role distribution officer."""
    database = db.open_database(db.sqlite_url(tmp_path / "team.sqlite"), user="lab-pc")
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values(
            ELEVATION="96")).id
        seed_lots.create_lot(session, accession_id=accession, lot_number="KZ-0001/2020",
                             storage_type="base", stored_on=dt.date(2020, 9, 1), seeds=5000)
        person = participants.save_participant(session, full_name="Dana Serikova",
                                               phone="+7 701 555 0101", country="KAZ")
    with database.session_factory.begin() as session:
        participants.erase(session, person)
    with database.session_factory.begin() as session:
        accounts.create_first_administrator(session, name="amina", password="first pass 1",
                                            roles=AMINA.roles)
    with database.session_factory.begin() as session:
        work_as(session, AMINA)
        accounts.add_user(session, name="dana", roles={Role.DISTRIBUTION_OFFICER},
                          password="officer 22")
    yield database
    database.close()


def test_recent_changes_word_roles_erasures_and_numbers(qtbot: QtBot,
                                                        team: db.Database) -> None:
    attach(team.session_factory, AMINA)
    window = RecentChangesWindow(team.session_factory)
    qtbot.addWidget(window)
    window.resize(1200, 520)
    window.show()
    view = window.view
    qtbot.waitUntil(lambda: view.read is not None and view.read.finished
                    and not view._stale, timeout=10000)
    model = view.model
    titles = [model.headerData(c, Qt.Orientation.Horizontal)
              for c in range(model.columnCount())]
    rows = [{titles[c]: model.index(r, c).data() for c in range(model.columnCount())}
            for r in range(model.rowCount())]
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "recent-changes-words.png"))
    whats = {row["What"] for row in rows}
    assert "Role Distribution officer added" in whats
    assert not any(row["Field"] == "User id" for row in rows)
    phone = [row for row in rows if row["Field"] == "Phone"]
    assert phone and all(row["Old value"] in ("(erased)", "") and row["New value"] == "(erased)"
                         for row in phone)
    elevation = [row for row in rows if (row["Field"] or "").startswith("Elevation")]
    assert elevation and elevation[0]["New value"] == "96"

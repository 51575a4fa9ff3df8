"""The history windows (issue 15): the History tabs of the accession form, the lot panel and
the participant form, and the Recent changes window with its filters, export and rights;
entries and stamps written before people existed say "(before sign-in)"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from genebank import db
from genebank.conservation import seed_lots
from genebank.history import queries
from genebank.io.history_export import HEADINGS, headings
from genebank.models.history import ChangeEntry, ChangeSet
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.training import participants
from genebank.users import accounts
from genebank.users.actor import Actor, attach, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values
from tests.ui.waiting import settled
from ui import history_actions
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.recent_changes import RecentChangesWindow
from ui.dialogs.training_dialogs import ParticipantDialog
from ui.main_window import MainWindow
from ui.models import history_table
from ui.models.history_table import HistoryTableModel
from ui.settings import Settings
from ui.views.conservation_tab import ConservationTab
from ui.views.history_view import HistoryView

AMINA = Actor(1, "amina", frozenset({Role.ADMINISTRATOR, Role.CURATOR}))
BEKZAT = Actor(2, "bekzat", frozenset({Role.CURATOR, Role.SEED_LABORATORY}))
VIOLA = Actor(3, "viola", frozenset({Role.VIEWER}))
TOLKYN = Actor(4, "tolkyn", frozenset({Role.TRAINER}))
SHOTS = Path("/tmp/histui")


@pytest.fixture
def team(tmp_path: Path) -> Iterator[db.Database]:
    """An accession and a lot recorded before sign-in (login "lab-pc"), then three people:
    amina (administrator, curator), bekzat (curator, seed laboratory), viola (viewer),
    tolkyn (trainer)."""
    database = db.open_database(db.sqlite_url(tmp_path / "team.sqlite"), user="lab-pc")
    with database.session_factory.begin() as session:
        accession = accessions.create_accession(session, values=passport_values()).id
        seed_lots.create_lot(session, accession_id=accession, lot_number="KZ-0001/2020",
                             storage_type="base", stored_on=dt.date(2020, 9, 1), seeds=5000)
    with database.session_factory.begin() as session:
        accounts.create_first_administrator(session, name="amina", password="first pass 1",
                                            roles=AMINA.roles)
    with database.session_factory.begin() as session:
        work_as(session, AMINA)
        accounts.add_user(session, name="bekzat", roles=BEKZAT.roles, password="second 22")
        accounts.add_user(session, name="viola", roles=VIOLA.roles, password="third 333")
        accounts.add_user(session, name="tolkyn", roles=TOLKYN.roles, password="fourth 4444")
    yield database
    database.close()


def _edit(database: db.Database, actor: Actor, accession_id: int, **changes: object) -> None:
    with database.session_factory.begin() as session:
        work_as(session, actor)
        passport = accessions.get_passport(session, accession_id)
        accessions.update_accession(session, accession_id, expected_version=passport.version,
                                    values={**passport.values, **changes})


def _rows(view: HistoryView) -> list[dict[str, str]]:
    """What the table shows, by column title."""
    model = view.model
    titles = [model.headerData(c, Qt.Orientation.Horizontal)
              for c in range(model.columnCount())]
    return [{titles[c]: model.index(r, c).data() for c in range(model.columnCount())}
            for r in range(model.rowCount())]


def _shown(qtbot: QtBot, view: HistoryView) -> list[dict[str, str]]:
    qtbot.waitUntil(lambda: view.read is not None and view.read.finished
                    and not view._stale, timeout=10000)
    assert view.read is not None and view.read.ok, view.read.error_text
    return _rows(view)


def test_the_accession_form_shows_what_a_previous_save_changed(
        qtbot: QtBot, team: db.Database) -> None:
    """Open the form, change the country of origin and save as amina; open it again: its
    History tab shows amina's change from KAZ to UZB, newest first, and its creation before
    sign-in under the login it recorded; the stamps say so too."""
    attach(team.session_factory, AMINA)
    editor = AccessionEditor(team.session_factory, accession_id=1)
    qtbot.addWidget(editor)
    editor.show()
    editor.editors["ORIGCTY"].set_value("UZB")
    editor.editors["COLLSITE"].set_value("Tashkent oasis")
    operation = editor.save()
    assert operation is not None
    qtbot.waitUntil(lambda: operation.finished, timeout=10000)
    assert operation.ok, operation.error_text

    again = AccessionEditor(team.session_factory, accession_id=1)
    qtbot.addWidget(again)
    again.resize(1100, 520)
    again.show()
    assert again.history is not None and again.history.read is None  # read when shown
    again.tabs.setCurrentWidget(again.history)
    rows = _shown(qtbot, again.history)
    changed: dict[str, dict[str, str]] = {}
    for row in rows:  # newest first: the save's rows come before the creation's
        changed.setdefault(row["Field"], row)
    assert changed["Country of origin"]["Old value"] == "KAZ"
    assert changed["Country of origin"]["New value"] == "UZB"
    assert changed["Collecting site"]["Old value"] == "(empty)"
    assert changed["Collecting site"]["New value"] == "Tashkent oasis"
    assert rows[0]["Who"] == "amina" and rows[0]["Operation"] == "Form"
    assert rows[0]["What"] == "Accession changed"
    entries = [row for row in rows if row["When"]]  # an entry's first row says who, when
    assert entries[-1]["Who"] == "lab-pc (before sign-in)"
    assert entries[-1]["What"] == "Accession created"
    tip = again.history.model.index(0, history_table.WHO).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "Workstation:" in tip and "Operating-system user:" in tip
    label = again.record_label.text()
    assert label.startswith("Created by lab-pc (before sign-in) on ")
    assert "last changed by amina on " in label and "amina (before" not in label
    SHOTS.mkdir(exist_ok=True)
    again.grab().save(str(SHOTS / "test-accession-history.png"))


def test_the_lot_panel_shows_the_highlighted_lots_story(qtbot: QtBot, team: db.Database) -> None:
    """bekzat's withdrawal of 250 seeds is on the lot's History tab, with its reason."""
    with team.session_factory.begin() as session:
        work_as(session, BEKZAT)
        lot_id = seed_lots.find_lot_id(session, "KZ-0001/2020")
        assert lot_id is not None
        seed_lots.withdraw(session, lot_id, kind="distributed", on=dt.date(2026, 11, 20),
                           seeds=250, reason="Order 2026-041")
    attach(team.session_factory, BEKZAT)
    tab = ConservationTab(team.session_factory, 1)
    qtbot.addWidget(tab)
    tab.show()
    tab.details.setCurrentWidget(tab.lot_history)
    rows = _shown(qtbot, tab.lot_history)
    ledger = [row for row in rows if row["Field"] == "Seeds" and row["New value"] == "-250"]
    assert len(ledger) == 1
    first = rows.index(ledger[0])
    entry = tab.lot_history.model.entry_at(first)
    assert entry is not None and entry.user_name == "bekzat"
    reasons = [row["New value"] for row in rows if row["Field"] == "Reason"]
    assert "Order 2026-041" in reasons
    assert "lot_id" not in {row["Field"] for row in rows}  # the story says which lot
    assert [row for row in rows if row["When"]][-1]["Who"] == "lab-pc (before sign-in)"


def _old_entry(database: db.Database, at: dt.datetime, *, user: str) -> None:
    """An entry as a workstation wrote it long ago (the history only ever grows)."""
    with database.engine.begin() as connection:
        written = connection.execute(insert(ChangeSet.__table__).values(
            at=at, user_id=None, user_name=user, os_user=user, workstation="lab-pc-2",
            operation="form", reference="", reason=""))
        connection.execute(insert(ChangeEntry.__table__).values(
            change_set_id=written.inserted_primary_key[0], subject_type="accession",
            subject_id=1, subject_key="KAZ001:KZ-0001", table_name="accession", row_id="1",
            action="changed", fields='{"CROPNAME": ["wheat", "bread wheat"]}'))


def _recent(qtbot: QtBot, database: db.Database, actor: Actor) -> RecentChangesWindow:
    attach(database.session_factory, actor)
    window = RecentChangesWindow(database.session_factory)
    qtbot.addWidget(window)
    window.show()
    _shown(qtbot, window.view)
    return window


def _refilter(qtbot: QtBot, window: RecentChangesWindow) -> list[dict[str, str]]:
    window.apply_filters()
    return _shown(qtbot, window.view)


def test_the_recent_changes_filters_filter(qtbot: QtBot, team: db.Database) -> None:
    """By person, by record type and by date (since, until), each really narrows."""
    _old_entry(team, dt.datetime(2025, 3, 14, 9, 30), user="lab-pc")
    _edit(team, AMINA, 1, ORIGCTY="UZB")
    _edit(team, BEKZAT, 1, ELEVATION=390)
    with team.session_factory.begin() as session:
        work_as(session, BEKZAT)
        seed_lots.withdraw(session, 1, kind="test", on=dt.date(2026, 11, 20), seeds=100)
    window = _recent(qtbot, team, AMINA)
    everyone = _rows(window.view)
    who = {row["Who"] for row in everyone if row["Who"]}
    assert {"amina", "bekzat", "lab-pc (before sign-in)"} <= who
    assert [window.person.itemText(i) for i in range(window.person.count())] == [
        "Everyone", "amina", "bekzat", "tolkyn", "viola"]

    window.person.setCurrentIndex(window.person.findText("bekzat"))
    rows = _refilter(qtbot, window)
    assert {e.user_name for e in window.view.model.entries} == {"bekzat"}
    assert {"Elevation (m)", "Seeds"} <= {row["Field"] for row in rows}
    window.record_type.setCurrentIndex(window.record_type.findData("seed_lot"))
    rows = _refilter(qtbot, window)
    assert {e.subject_type for e in window.view.model.entries} == {"seed_lot"}
    assert {row["Record"] for row in rows if row["Record"]} == {"Seed lot KZ-0001/2020"}

    window.person.setCurrentIndex(0)
    window.record_type.setCurrentIndex(0)
    window.until_check.setChecked(True)
    window.until.setDate(window.until.date().fromString("2025-12-31", "yyyy-MM-dd"))
    rows = _refilter(qtbot, window)
    assert [e.at for e in window.view.model.entries] == [dt.datetime(2025, 3, 14, 9, 30)]
    assert rows[0]["Who"] == "lab-pc (before sign-in)" and rows[0]["New value"] == "bread wheat"
    window.until_check.setChecked(False)
    window.since_check.setChecked(True)
    window.since.setDate(window.since.date().fromString("2026-01-01", "yyyy-MM-dd"))
    _refilter(qtbot, window)
    entries = window.view.model.entries
    assert entries and all(e.at >= dt.datetime(2025, 12, 31) for e in entries)
    assert len(entries) == len(everyone_entries(team)) - 1


def everyone_entries(database: db.Database) -> list[queries.HistoryEntry]:
    with database.session_factory() as session:
        work_as(session, AMINA)
        return queries.readable_changes(session)


def test_export_writes_the_filtered_changes_to_excel(qtbot: QtBot, team: db.Database,
                                                      tmp_path: Path) -> None:
    """Export to Excel… writes what the filters find, one row per changed field, and
    openpyxl reads them back."""
    _edit(team, AMINA, 1, ORIGCTY="UZB", CROPNAME="spring wheat")
    _edit(team, BEKZAT, 1, ELEVATION=390)
    window = _recent(qtbot, team, AMINA)
    window.person.setCurrentIndex(window.person.findText("amina"))
    _refilter(qtbot, window)
    export = window.export_to_excel(tmp_path / "changes")
    assert export is not None
    qtbot.waitUntil(lambda: export.finished, timeout=10000)
    assert export.ok, export.error_text
    assert "Wrote" in window.view.status.text()
    book = openpyxl.load_workbook(tmp_path / "changes.xlsx", read_only=True)
    rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == headings()
    by = dict(zip(HEADINGS, zip(*rows[1:], strict=True), strict=True))
    assert set(by["User"]) == {"amina"}
    fields = {(row[HEADINGS.index("Field")], row[HEADINGS.index("Old value")],
               row[HEADINGS.index("New value")]) for row in rows[1:]}
    assert ("ORIGCTY", "KAZ", "UZB") in fields
    assert ("CROPNAME", "bread wheat", "spring wheat") in fields
    assert not any(field == "ELEVATION" for field, _old, _new in fields)


def test_a_viewer_sees_no_participant_history(qtbot: QtBot, team: db.Database) -> None:
    """A participant's story is there for the administrator (form and window), and neither
    offered nor read for a viewer: the core refuses it too."""
    with team.session_factory.begin() as session:
        work_as(session, TOLKYN)
        person = participants.save_participant(session, full_name="Aigerim Nurlanovna",
                                               email="aigerim@example.kz", country="KAZ")
    window = _recent(qtbot, team, AMINA)
    assert window.record_type.findData("participant") >= 0
    assert "participant" in {e.subject_type for e in window.view.model.entries}
    dialog = ParticipantDialog(team.session_factory, participant_id=person)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_history()
    assert dialog.history is not None
    rows = _shown(qtbot, dialog.history)
    assert {"Full name (Latin script)": "Aigerim Nurlanovna"}.items() <= {
        row["Field"]: row["New value"] for row in rows if row["Field"]}.items()

    viewer = _recent(qtbot, team, VIOLA)
    assert viewer.record_type.findData("participant") == -1
    shown = viewer.view.model.entries
    assert shown and "participant" not in {e.subject_type for e in shown}
    assert "Aigerim" not in str(_rows(viewer.view))
    with team.session_factory() as session, pytest.raises(Refused) as refused:
        work_as(session, VIOLA)
        queries.readable_participant_history(session, person)
    assert refused.value.code == "not_allowed"
    with team.session_factory() as session:
        work_as(session, VIOLA)
        assert queries.readable_changes(session, subject_type="participant") == []


def test_double_click_opens_the_accession_on_its_history(
        qtbot: QtBot, team: db.Database, settings: Settings) -> None:
    """Tools > Recent changes… is in the main window; a double-click on an accession's
    change opens its form on the History tab, on a lot's change its lots with that lot."""
    _edit(team, AMINA, 1, ORIGCTY="UZB")
    attach(team.session_factory, AMINA)
    main = MainWindow(team, settings)
    qtbot.addWidget(main)
    main.show()
    assert main.recent_changes_action in main.tools_menu.actions()
    main.recent_changes_action.trigger()
    window = main.recent_changes
    _shown(qtbot, window.view)
    row = next(r for r in range(window.view.model.rowCount())
               if window.view.model.entry_at(r).subject_type == "accession")  # type: ignore
    table = window.view.table
    table.scrollTo(window.view.model.index(row, 0))
    where = table.visualRect(window.view.model.index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: window.opened is not None, timeout=5000)
    editor = window.opened
    assert isinstance(editor, AccessionEditor)
    assert editor.tabs.currentWidget() is editor.history
    editor.reject()
    lot_row = next(r for r in range(window.view.model.rowCount())
                   if window.view.model.entry_at(r).subject_type == "seed_lot")  # type: ignore
    window.open_entry(window.view.model.entry_at(lot_row))  # type: ignore[arg-type]
    opened = window.opened
    assert isinstance(opened, AccessionEditor) and opened.conservation is not None
    assert opened.conservation.current_lot_id() == 1
    opened.reject()
    again = history_actions.show_recent_changes(main)
    assert again is not None
    assert _shown(qtbot, again.view)  # its history read, and shown
    settled(qtbot)


def test_show_older_reads_a_page_more(qtbot: QtBot, team: db.Database,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A history longer than a page shows its newest page, and Show older the rest."""
    from ui.views import history_view

    monkeypatch.setattr(history_view, "PAGE", 3)
    for elevation in range(100, 105):
        _edit(team, AMINA, 1, ELEVATION=elevation)
    editor = AccessionEditor(team.session_factory, accession_id=1)
    qtbot.addWidget(editor)
    editor.show()
    editor.show_history()
    assert editor.history is not None
    _shown(qtbot, editor.history)
    assert len(editor.history.model.entries) == 3 and editor.history.older_button.isVisible()
    assert [e.fields[0].new for e in editor.history.model.entries] == [104, 103, 102]
    editor.history.older_button.click()
    _shown(qtbot, editor.history)
    assert len(editor.history.model.entries) == 6  # five changes and the creation
    assert not editor.history.older_button.isVisible()


def test_the_model_keeps_qts_contract(qtmodeltester: ModelTester, team: db.Database) -> None:
    """The history model passes Qt's model tester, empty and with real entries."""
    _edit(team, AMINA, 1, ORIGCTY="UZB", ACCENAME="Kazakhstanskaya 10;Shortandinskaya")
    model = HistoryTableModel()
    qtmodeltester.check(model)
    with team.session_factory() as session:
        model.set_entries(queries.record_history(session, "accession", 1))
    qtmodeltester.check(model)
    assert model.rowCount() >= 3

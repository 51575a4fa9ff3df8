"""The history says which record a change is about, as people know it: which of a lot's
tests was voided (its day and result), the void's time as "When" shows times, the
accession of a new lot by its number (not its id); and Recent changes says who removed a
record that can no longer be opened, and how (QA findings 4 and 22)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank import db
from genebank.conservation import corrections, seed_lots, seed_tests
from genebank.conservation.seed_tests import Replicate
from genebank.models import GerminationTest
from genebank.passport import accessions
from genebank.users.actor import attach, work_as
from tests.conftest import passport_values
from tests.ui import shots
from tests.ui.test_history_windows import AMINA, BEKZAT, _recent, _shown, team
from ui.views import history_words
from ui.views.conservation_tab import ConservationTab

__all__ = ["team"]  # the fixture used below
TODAY = dt.date(2026, 11, 23)


def test_a_lots_history_names_the_test_voided_and_says_when_as_when_does(
        qtbot: QtBot, team: db.Database) -> None:
    """Three tests on a lot, the 2022-03-17 one (73 %) voided: its entry reads "Germination
    test of 2022-03-17 (73%) voided", and Voided at is a local time like When, not a UTC
    stamp with microseconds."""
    with team.session_factory.begin() as session:
        work_as(session, BEKZAT)
        lot_id = seed_lots.find_lot_id(session, "KZ-0001/2020")
        assert lot_id is not None
        tests = {day: seed_tests.record_germination(
            session, lot_id, tested_on=day, replicates=[Replicate(100, normal, 100 - normal)] * 2,
            today=TODAY) for day, normal in ((dt.date(2021, 1, 29), 85),
                                             (dt.date(2022, 3, 17), 73),
                                             (dt.date(2024, 5, 2), 81))}
    with team.session_factory.begin() as session:
        work_as(session, BEKZAT)
        corrections.void_germination_test(session, tests[dt.date(2022, 3, 17)],
                                          reason="typed on the wrong lot")
    with team.session_factory() as session:
        voided_at = session.scalar(select(GerminationTest.voided_at).where(
            GerminationTest.id == tests[dt.date(2022, 3, 17)]))
    assert voided_at is not None
    attach(team.session_factory, BEKZAT)
    tab = ConservationTab(team.session_factory, 1)
    qtbot.addWidget(tab)
    tab.resize(1300, 600)
    tab.show()
    tab.details.setCurrentWidget(tab.lot_history)
    rows = _shown(qtbot, tab.lot_history)
    voids = [row for row in rows if row["What"].endswith("voided")]
    assert sorted(row["What"] for row in voids) == [
        "Germination test of 2022-03-17 (73%) voided", "Ledger line of 2022-03-17 (test) voided"]
    voided = rows[rows.index(next(row for row in voids if row["What"].startswith("Germ"))):]
    field = {row["Field"]: row["New value"] for row in voided[:3]}
    shown_time = history_words.local_time(voided_at)
    assert field["Voided at"] == shown_time == voids[0]["When"]
    assert "T" not in shown_time and "." not in shown_time.split(" ")[-1]
    created = [row["What"] for row in rows if row["What"].startswith("Germination test of")
               and row["What"].endswith("created")]
    assert "Germination test of 2024-05-02 (81%) created" in created
    shots.shot(tab.lot_history, "lot-history-void-named", under="history")


def test_recent_changes_names_a_lots_accession_and_who_removed_a_record(
        qtbot: QtBot, team: db.Database, message_boxes: list[str]) -> None:
    """A new lot's entry names its accession KAZ001:KZ-0001, not its id; double-clicking the
    change of an accession since deleted says who removed it, when and how, not "Accession
    2 no longer exists"."""
    with team.session_factory.begin() as session:
        work_as(session, BEKZAT)
        seed_lots.create_lot(session, accession_id=1, lot_number="KZ-0001/2026",
                             storage_type="base", stored_on=TODAY, seeds=300, today=TODAY)
    with team.session_factory.begin() as session:
        work_as(session, AMINA)
        mistake = accessions.create_accession(
            session, values=passport_values(ACCENUMB="KZ-0002")).id
    with team.session_factory.begin() as session:
        work_as(session, AMINA)
        accessions.delete_accession(session, mistake, expected_version=1)
    window = _recent(qtbot, team, AMINA)
    rows = _shown(qtbot, window.view)
    assert [row["New value"] for row in rows if row["Field"] == "Accession"] == [
        "KAZ001:KZ-0001", "KAZ001:KZ-0001"]  # the new lot's, and the first lot's
    shots.shot(window, "recent-changes-lot-accession", under="history")

    model = window.view.model
    deleted = next(r for r in range(model.rowCount()) if model.entry_at(r).action == "deleted")
    entry = model.entry_at(deleted)
    assert entry is not None and entry.subject_id == mistake
    assert window.open_entry(entry) is None and window.opened is None
    when = history_words.local_time(entry.at)
    assert message_boxes == [
        f"Accession KAZ001:KZ-0002 was removed by amina on {when} (Form); it is no longer in "
        "the database, and its values stay in this list."]


def test_the_recent_changes_export_names_the_lots_accession_as_the_list_does(
        qtbot: QtBot, team: db.Database, tmp_path: Path) -> None:
    """Export to Excel… labels as the list and the command line do (one reading in the
    core): a new lot's accession is KAZ001:KZ-0001 in its New value cell, not the id 1."""
    with team.session_factory.begin() as session:
        work_as(session, BEKZAT)
        seed_lots.create_lot(session, accession_id=1, lot_number="KZ-0001/2026",
                             storage_type="base", stored_on=TODAY, seeds=300, today=TODAY)
    window = _recent(qtbot, team, BEKZAT)
    export = window.export_to_excel(tmp_path / "changes")
    assert export is not None
    qtbot.waitUntil(lambda: export.finished, timeout=10000)
    assert export.ok, export.error_text
    rows = list(openpyxl.load_workbook(tmp_path / "changes.xlsx").active.iter_rows(
        values_only=True))
    column = {heading: index for index, heading in enumerate(rows[0])}
    new = [row[column["New value"]] for row in rows[1:]
           if row[column["Table"]] == "seed_lot" and row[column["Field"]] == "accession_id"]
    assert new == ["KAZ001:KZ-0001"] * 2  # the lot of 2020 and the new one

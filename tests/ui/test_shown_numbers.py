"""Numbers shown to a person follow the operating system's regional format (French, Russian,
Arabic), while what is stored and exported stays canonical: the seed lots tab, a worklist,
the storage locations tree, a course and the training reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank import db
from genebank.conservation import (
    conservation_view,
    seed_lots,
    seed_tests,
    storage_locations,
    worklists,
)
from genebank.conservation.seed_tests import Replicate
from genebank.io.import_preview import FieldChange, PreviewRow
from genebank.models import ImportLog, MoistureTest, SeedLot, StorageLocation
from genebank.passport import accessions, mcpd_export
from genebank.training import courses, enrolments, participants
from tests.conftest import passport_values
from tests.ui.test_number_fields import system_locale
from tests.ui.waiting import settled
from ui.dialogs.germination_dialogs import CountGerminationDialog, GerminationDialog
from ui.dialogs.import_log import ImportLogDialog
from ui.dialogs.import_passport_view import describe_row
from ui.dialogs.lot_dialogs import (
    QuantityDialog,
)
from ui.dialogs.storage_locations import StorageLocationsDialog
from ui.main_window import MainWindow
from ui.views.attention_view import AttentionView
from ui.views.conservation_tab import ConservationTab
from ui.views.shown_numbers import NUMBER_ROLE
from ui.views.shown_values import plain
from ui.views.training_window import TrainingWindow

__all__ = ["system_locale"]  # the fixture, set to the locales below

TODAY = dt.date.today()
LOCALES = ("fr_FR", "ru_RU", "ar_JO")
by_locale = pytest.mark.parametrize("system_locale", LOCALES, indirect=True)

# What a person on each system reads, as Qt's locale data (CLDR) writes it: French groups
# with a narrow no-break space, Russian with a no-break space, Arabic (Jordan) uses
# Arabic-Indic digits, the Arabic decimal separator and its own percent sign.
SHOWN: dict[str, dict[str, str]] = {
    "fr_FR": {"0": "0", "1": "1", "2": "2", "100": "100", "185": "185", "200": "200",
              "1234": "1\u202f234", "1500": "1\u202f500", "6.5": "6,5", "62.5": "62,5",
              "92.5": "92,5", "-18.5": "-18,5", "93/100": "93/100",
              "92.5%": "92,5\u202f%", "6.5%": "6,5\u202f%", "12.5%": "12,5\u202f%",
              "15.5%": "15,5\u202f%", "50%": "50\u202f%"},
    "ru_RU": {"0": "0", "1": "1", "2": "2", "100": "100", "185": "185", "200": "200",
              "1234": "1\u00a0234", "1500": "1\u00a0500", "6.5": "6,5", "62.5": "62,5",
              "92.5": "92,5", "-18.5": "-18,5", "93/100": "93/100",
              "92.5%": "92,5\u00a0%", "6.5%": "6,5\u00a0%", "12.5%": "12,5\u00a0%",
              "15.5%": "15,5\u00a0%", "50%": "50\u00a0%"},
    "ar_JO": {"0": "٠", "1": "١", "2": "٢", "100": "١٠٠", "185": "١٨٥", "200": "٢٠٠",
              "1234": "١٬٢٣٤", "1500": "١٬٥٠٠", "6.5": "٦٫٥", "62.5": "٦٢٫٥",
              "92.5": "٩٢٫٥", "-18.5": "\u061c-١٨٫٥", "93/100": "٩٣/١٠٠",
              "92.5%": "٩٢٫٥٪\u061c", "6.5%": "٦٫٥٪\u061c", "12.5%": "١٢٫٥٪\u061c",
              "15.5%": "١٥٫٥٪\u061c", "50%": "٥٠٪\u061c"},
}


@pytest.fixture
def lot_id(sqlite_database: db.Database) -> int:
    """A lot of 1,234 seeds and 6.5 g, tested: 92.5 % germination (its seeds taken from
    another lot), 6.5 % moisture at 12.5 % ERH."""
    with sqlite_database.session_factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        lot = seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                                   storage_type="base", seeds=1234, grams=6.5,
                                   thousand_seed_weight_g=5.25,
                                   stored_on=TODAY - dt.timedelta(days=60))
        seed_tests.record_germination(session, lot, tested_on=TODAY - dt.timedelta(days=30),
                                      replicates=[Replicate(100, 93, abnormal=7),
                                                  Replicate(100, 92, dead=8)],
                                      seeds_consumed=0)
        seed_tests.record_moisture(session, lot, tested_on=TODAY - dt.timedelta(days=20),
                                   moisture_pct=6.5, erh_pct=12.5)
    return lot


@by_locale
def test_seed_lots_tab_shows_the_locales_numbers_and_keeps_the_stored_ones(
        qtbot: QtBot, sqlite_database: db.Database, lot_id: int, system_locale: str,
        tmp_path: Path) -> None:
    """Seeds, grams, viability, test results and the ledger read as the system writes them."""
    shown = SHOWN[system_locale]
    with sqlite_database.session_factory() as session:
        accession_id = session.get(SeedLot, lot_id).accession_id
    tab = ConservationTab(sqlite_database.session_factory, accession_id)
    qtbot.addWidget(tab)
    tab.resize(1100, 520)
    tab.show()
    lots = tab.lot_table
    assert lots.item(0, 4).text() == shown["1234"]  # seeds on hand
    assert lots.item(0, 5).text() == shown["6.5"]  # grams
    assert lots.item(0, 6).text() == shown["92.5"]  # initial viability %
    assert lots.item(0, 5).data(NUMBER_ROLE) == 6.5  # the number itself, for reading back
    tab.details.setCurrentWidget(tab.test_table)
    tests = {tab.test_table.item(row, 1).text(): row for row in range(2)}
    germination, moisture = tests["germination"], tests["moisture"]
    assert tab.test_table.item(germination, 2).text() == shown["92.5%"]
    assert tab.test_table.item(germination, 4).text().startswith(shown["93/100"] + "; ")
    assert tab.test_table.item(moisture, 2).text() == shown["6.5%"]
    assert tab.test_table.item(moisture, 4).text() == "ERH " + shown["12.5%"]
    ledger = tab.ledger_table
    stored_row = next(row for row in range(ledger.rowCount())
                      if ledger.item(row, 1).text() == "stored")
    assert ledger.item(stored_row, 3).text() == shown["6.5"]
    tab.grab().save(f"/tmp/conservation-{system_locale}.png")
    with sqlite_database.session_factory() as session:  # stored exactly as given
        lot = session.get(SeedLot, lot_id)
        assert (lot.seeds_on_hand, lot.grams_on_hand, lot.initial_viability_pct) == \
            (1234, 6.5, 92.5)
        assert session.scalars(select(MoistureTest.moisture_pct)).one() == 6.5


@by_locale
def test_a_worklist_shows_the_locales_numbers_and_exports_canonical_ones(
        qtbot: QtBot, sqlite_database: db.Database, system_locale: str,
        tmp_path: Path) -> None:
    """A test sown 1,234 days ago reads "1 234 days ago" on screen, "1,234" in the export."""
    shown = SHOWN[system_locale]
    sown_on = TODAY - dt.timedelta(days=1234)
    with sqlite_database.session_factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        lot = seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                                   storage_type="base", seeds=5000,
                                   stored_on=TODAY - dt.timedelta(days=1500))
        seed_tests.start_germination(session, lot, tested_on=sown_on, sown=[50, 50])
    view = AttentionView(sqlite_database.session_factory, str(tmp_path))
    qtbot.addWidget(view)
    view.resize(1000, 420)
    view.show()
    row = next(r for r in range(view.lists.count())
               if view.lists.item(r).data(256) == worklists.TESTS_TO_COUNT)
    view.lists.setCurrentRow(row)
    settled(qtbot)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    reason = view.model.index(0, 5).data()
    assert reason == (f"germination test sown {sown_on:%Y-%m-%d} ({shown['1234']} days ago, "
                      f"{shown['100']} seeds): not yet counted")
    qtbot.waitUntil(lambda: "…" not in view.lists.item(row).text())  # counted meanwhile
    assert view.lists.item(row).text().endswith(f"({shown['1']})")  # the list's count
    view.grab().save(f"/tmp/worklist-{system_locale}.png")
    assert view.export(tmp_path / "to-count.xlsx") is not None
    # its success says so in the count line (the task may end before a signal is awaited)
    qtbot.waitUntil(lambda: "to-count.xlsx" in view.count_label.text(), timeout=20000)
    assert view.count_label.text().startswith("Exported " + shown["1"] + " rows")
    sheet = openpyxl.load_workbook(tmp_path / "to-count.xlsx").active
    header, *rows = sheet.iter_rows(values_only=True)
    reason_column = header.index("Reason")
    assert "(1,234 days ago, 100 seeds)" in rows[0][reason_column]  # as before: canonical


@by_locale
def test_location_tree_shows_temperature_and_humidity_as_the_system_writes_them(
        qtbot: QtBot, sqlite_database: db.Database, system_locale: str) -> None:
    """-18.5 °C and 15.5 % RH read in the locale's digits and decimal mark; stored as given."""
    shown = SHOWN[system_locale]
    with sqlite_database.session_factory.begin() as session:
        site = storage_locations.add_location(session, "Almaty gene bank")
        storage_locations.add_location(session, "Cold room 1", parent_id=site,
                                       storage_type="base", temperature_c=-18.5,
                                       humidity_rh=15.5)
    dialog = StorageLocationsDialog(sqlite_database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    room = dialog.tree.topLevelItem(0).child(0)
    assert room.text(2) == shown["-18.5"] + "\u00a0°C"
    assert room.text(3) == shown["15.5%"]
    assert room.data(2, NUMBER_ROLE) == -18.5
    dialog.grab().save(f"/tmp/locations-{system_locale}.png")
    with sqlite_database.session_factory() as session:
        assert session.execute(select(StorageLocation.temperature_c,
                                      StorageLocation.humidity_rh)
                               .where(StorageLocation.parent_id == site)).one() == (-18.5, 15.5)


@by_locale
def test_course_view_and_reports_show_the_locales_numbers(
        qtbot: QtBot, sqlite_database: db.Database, system_locale: str,
        tmp_path: Path) -> None:
    """A course for 1,500 people, a 62.5 score and a 50 % completion rate, as the system
    writes them; the score is stored as 62.5."""
    shown = SHOWN[system_locale]
    start = TODAY - dt.timedelta(days=30)
    with sqlite_database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="National Gene Banks")
        course = courses.save_course(session, programme_id=programme, title="Seed drying",
                                     start_on=start, end_on=start + dt.timedelta(days=2),
                                     capacity=1500, venue_city="Amman", venue_country="JOR")
        enrolled = []
        for name in ("Aigerim Nurlanova", "Moussa Diallo"):
            person = participants.save_participant(session, full_name=name, country="KAZ",
                                                   gender="female")
            person_id = person if isinstance(person, int) else person.id
            enrolled.append(enrolments.enrol(session, course_id=course,
                                             participant_id=person_id, status="confirmed"))
        for day in range(3):
            enrolments.set_attendance(session, enrolled[0], start + dt.timedelta(days=day),
                                      True)
        enrolments.set_status(session, enrolled[0], "completed")
        enrolments.set_scores(session, enrolled[0], pre_test=62.5)
    window = TrainingWindow(sqlite_database.session_factory, str(tmp_path))
    qtbot.addWidget(window)
    window.resize(1100, 600)
    window.show()
    view = window.courses_tab.course_view
    view.show_course(course)
    assert f"{shown['2']} enrolled of {shown['1500']}" in view.heading.text()
    scores = [view.table.item(row, 4 + 3).text() for row in range(2)]
    assert shown["62.5"] in scores
    window.grab().save(f"/tmp/course-{system_locale}.png")
    window.tabs.setCurrentWidget(window.reports_tab)
    reports = window.reports_tab
    reports.start.setDate(QDate(start.year - 1, 1, 1))
    settled(qtbot)
    reports.end.setDate(QDate(TODAY.year + 1, 12, 31))
    settled(qtbot)
    assert f"({shown['50%']})" in reports.totals.text()
    window.grab().save(f"/tmp/reports-{system_locale}.png")
    with sqlite_database.session_factory() as session:
        assert enrolments.get_enrolment(session, enrolled[0]).pre_test_score == 62.5


@pytest.mark.parametrize("system_locale", ["fr_FR", "ar_JO"], indirect=True)
def test_a_passport_export_under_a_french_or_arabic_system_writes_6_5_as_a_number(
        sqlite_database: db.Database, system_locale: str, tmp_path: Path) -> None:
    """Exports stay canonical whatever the system's format: 6.5 is the number 6.5."""
    with sqlite_database.session_factory.begin() as session:
        accession_id = accessions.create_accession(
            session, values=passport_values(DECLATITUDE="6.5", DECLONGITUDE="-1.25")).id
    with sqlite_database.session_factory() as session:
        mcpd_export.export_passports(session, tmp_path / "out.xlsx", [accession_id])
        mcpd_export.export_passports(session, tmp_path / "out.csv", [accession_id])
    rows = list(openpyxl.load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["DECLATITUDE"] == 6.5 and isinstance(record["DECLATITUDE"], float)
    assert "6.5" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[1]


@by_locale
def test_a_lots_quantity_and_a_test_result_in_the_dialogs_read_in_the_locales_format(
        qtbot: QtBot, sqlite_database: db.Database, lot_id: int, system_locale: str) -> None:
    """The Quantity dialog's "in the lot now" and the germination dialog's running result."""
    shown = SHOWN[system_locale]
    with sqlite_database.session_factory() as session:
        accession_id = session.get(SeedLot, lot_id).accession_id
        lot = conservation_view.accession_lots(session, accession_id, today=TODAY)[0]
    quantity = QuantityDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(quantity)
    assert f"{shown['1234']} seeds ({shown['6.5']}\u00a0g)" in [
        label.text() for label in quantity.findChildren(QLabel)]  # in the lot now
    germination = GerminationDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(germination)
    germination.show()
    germination.replicate_count.setValue(2)
    for cells, (normal, abnormal) in zip(germination.cells, ((93, 7), (92, 8)), strict=False):
        cells[0].setValue(100)
        cells[1].setValue(normal)
        cells[2].setValue(abnormal)
    assert germination.result.text() == (
        f"{shown['92.5%']} ({shown['185']} normal seedlings of {shown['200']} seeds sown)")


@by_locale
def test_the_import_log_counts_read_in_the_locales_format(
        qtbot: QtBot, sqlite_database: db.Database, system_locale: str) -> None:
    """1,234 accessions created in an import read as the system writes 1234."""
    with sqlite_database.session_factory.begin() as session:
        session.add(ImportLog(kind="passport", file_name="passport.xlsx", sheet="MCPD",
                              finished_at=dt.datetime(2026, 11, 2, 9, 30), created_count=1234,
                              updated_count=0, skipped_count=100))
    dialog = ImportLogDialog(sqlite_database.session_factory)
    qtbot.addWidget(dialog)
    assert [dialog.table.item(0, column).text() for column in (4, 5, 6, 7)] == \
        [SHOWN[system_locale]["1234"], SHOWN[system_locale]["0"], SHOWN[system_locale]["0"],
         SHOWN[system_locale]["100"]]


@pytest.mark.parametrize("system_locale", ["fr_FR", "ar_JO"], indirect=True)
def test_the_status_bar_counts_accessions_in_the_locales_digits(
        system_locale: str, window: MainWindow) -> None:
    """The 450 demo accessions are counted as the system writes 450."""
    assert window.count_label.text() == {"fr_FR": "450", "ar_JO": "٤٥٠"}[system_locale] \
        + " accessions"


@by_locale
def test_an_update_preview_shows_measured_numbers_in_the_locales_format_and_codes_as_codes(
        system_locale: str) -> None:
    """Latitude and elevation read as the system writes them; a SAMPSTAT code stays 300."""
    shown = SHOWN[system_locale]
    row = PreviewRow(row=3, values={}, existing_id=1, stored_version=1, changes=(
        FieldChange("DECLATITUDE", 62.5, 6.5), FieldChange("ELEVATION", 1234, 1500),
        FieldChange("SAMPSTAT", 300, 410)))
    assert plain(describe_row(row)).splitlines()[1:] == [
        f"  DECLATITUDE: {shown['62.5']}  →  {shown['6.5']}",
        f"  ELEVATION: {shown['1234']}  →  {shown['1500']}",
        "  SAMPSTAT: 300  →  410"]


@by_locale
def test_a_test_to_count_is_offered_with_its_seeds_sown_in_the_locales_format(
        qtbot: QtBot, sqlite_database: db.Database, lot_id: int, system_locale: str) -> None:
    """A test sown with 1,234 and 100 seeds is offered as "1 234 + 100 seeds" to count."""
    shown = SHOWN[system_locale]
    sown_on = TODAY - dt.timedelta(days=3)
    with sqlite_database.session_factory.begin() as session:
        seed_tests.start_germination(session, lot_id, tested_on=sown_on, sown=[1234, 100],
                                     seeds_consumed=0)
    with sqlite_database.session_factory() as session:
        lot = conservation_view.accession_lots(
            session, session.get(SeedLot, lot_id).accession_id, today=TODAY)[0]
        to_count = [t for t in conservation_view.lot_history(session, lot_id).tests
                    if t.to_count]
    dialog = CountGerminationDialog(sqlite_database.session_factory, lot, to_count[0])
    qtbot.addWidget(dialog)
    assert dialog.test.text() == (f"{sown_on:%Y-%m-%d}: sown, not yet counted "
                                  f"({shown['1234']} + {shown['100']} seeds)")


@pytest.mark.parametrize("system_locale", ["ar_JO"], indirect=True)
def test_a_participant_import_counts_people_in_the_locales_digits(
        qtbot: QtBot, sqlite_database: db.Database, system_locale: str,
        tmp_path: Path) -> None:
    """The preview and the result of an imported list count in Arabic-Indic digits."""
    shown = SHOWN[system_locale]
    book = openpyxl.Workbook()
    for row in (["Surname", "First name", "Sex", "Country", "Organisation", "E-mail"],
                ["Diallo", "Moussa", "M", "Senegal", "ISRA", "moussa@example.org"],
                ["Haddad", "Fatima", "F", "Lebanon", "LARI", "fatima@example.org"]):
        book.active.append(row)
    book.save(tmp_path / "list.xlsx")
    window = TrainingWindow(sqlite_database.session_factory, str(tmp_path))
    qtbot.addWidget(window)
    wizard = window.courses_tab.import_list()
    qtbot.addWidget(wizard)
    wizard.file_page.path_edit.setText(str(tmp_path / "list.xlsx"))
    wizard.file_page.load_sheets()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.mapping_page.isComplete(), timeout=10000)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview is not None, timeout=10000)
    assert wizard.check_page.counts.text() == (
        f"{shown['2']} people: {shown['2']} ready, {shown['0']} with errors, {shown['0']} "
        "likely already recorded")
    wizard.next()  # the choices
    wizard.next()
    qtbot.waitUntil(wizard.run_page.isComplete, timeout=10000)
    assert wizard.run_page.status.text() == f"Done: {shown['2']} participants added."
    assert wizard.outcome is not None and wizard.outcome.created == 2

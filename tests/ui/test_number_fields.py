"""Every numeric field typed into as technicians do, under the six system locales the gene
banks run (en_US, fr_FR, ru_RU, de_DE, ar_JO, ar_MA): what is saved is what was meant, or
the entry is refused by the field and nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from genebank import db, mcpd
from genebank.conservation import conservation_view, crop_rules, regenerations, seed_lots
from genebank.models import MoistureTest, Regeneration, SeedLot, StorageLocation
from genebank.models.training import Course, Enrolment
from genebank.passport import accessions
from genebank.training import courses, enrolments, participants
from tests.conftest import passport_values
from tests.ui.waiting import done, settled
from ui.dialogs.germination_dialogs import GerminationDialog
from ui.dialogs.lot_dialogs import (
    MoistureDialog,
    NewLotDialog,
    QuantityDialog,
    SowingDialog,
)
from ui.dialogs.rules_dialog import RulesDialog
from ui.dialogs.storage_locations import LocationDialog
from ui.dialogs.training_dialogs import CourseDialog
from ui.views import shown_numbers
from ui.views.course_view import CourseView
from ui.views.number_box import NumberBox
from ui.views.passport_fields import LineField

LOCALES = ("en_US", "fr_FR", "ru_RU", "de_DE", "ar_JO", "ar_MA")
TODAY = dt.date.today()


@pytest.fixture(params=LOCALES)
def system_locale(request: pytest.FixtureRequest) -> Iterator[str]:
    """The operating system's locale, as QLocale() reports it; restored afterwards."""
    previous = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield request.param
    QLocale.setDefault(previous)


@pytest.fixture
def lot(sqlite_database: db.Database) -> conservation_view.LotSummary:
    """One accession with one lot of 5,000 seeds."""
    with sqlite_database.session_factory.begin() as session:
        accession_id = accessions.create_accession(session, values=passport_values()).id
        seed_lots.create_lot(session, accession_id=accession_id, lot_number="L-1",
                             storage_type="base", stored_on=TODAY - dt.timedelta(days=60),
                             seeds=5000)
    with sqlite_database.session_factory() as session:
        return conservation_view.accession_lots(session, accession_id, today=TODAY)[0]


def type_keys(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text`` key by key, as an Arabic, French or Russian keyboard sends it (QTest's
    keyClicks takes ASCII only, so other characters go as the key events such keyboards
    send: an unknown key with its text)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char,
                               Qt.KeyboardModifier.NoModifier)


def retype(qtbot: QtBot, box: QLineEdit, text: str) -> None:
    """Select what the field holds and type over it, key by key."""
    box.setFocus()
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Delete)
    type_keys(qtbot, box, text)


def moisture_tests(database: db.Database) -> list[tuple[float | None, float | None]]:
    with database.session_factory() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(MoistureTest.moisture_pct, MoistureTest.erh_pct)).all()]


@pytest.mark.parametrize(("moisture", "erh"), [("6.5", "6,5"), ("6,5", "6.5"), ("٦٫٥", "6٫5")])
def test_moisture_dialog_saves_the_decimal_typed_in_every_locale(
        qtbot: QtBot, system_locale: str, sqlite_database: db.Database,
        lot: conservation_view.LotSummary, moisture: str, erh: str) -> None:
    """'6.5', '6,5' and '٦٫٥' are saved as 6.5 % whatever the system's language."""
    dialog = MoistureDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(dialog)
    dialog.show()
    type_keys(qtbot, dialog.moisture, moisture)
    type_keys(qtbot, dialog.erh, erh)
    qtbot.keyClick(dialog.erh, Qt.Key.Key_Return)  # Enter saves
    settled(qtbot)
    assert dialog.result() == MoistureDialog.DialogCode.Accepted, dialog.error.text()
    assert moisture_tests(sqlite_database) == [(6.5, 6.5)]


def test_moisture_above_100_is_refused_not_rescaled(
        qtbot: QtBot, system_locale: str, sqlite_database: db.Database,
        lot: conservation_view.LotSummary) -> None:
    """'140' moisture is refused by the field, naming 0 to 100, and nothing is saved."""
    dialog = MoistureDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(dialog)
    dialog.show()
    type_keys(qtbot, dialog.moisture, "140")
    assert dialog.error.isVisible()  # shown as it is typed
    assert dialog.moisture.problem() == "140 is outside the allowed range 0 to 100"
    assert not done(qtbot, dialog.save())
    assert dialog.isVisible()
    assert dialog.error.text().startswith("Moisture content (fresh weight): 140 is outside "
                                          "the allowed range 0 to 100")
    assert moisture_tests(sqlite_database) == []
    retype(qtbot, dialog.moisture, "14,0")
    assert not dialog.error.isVisible()  # the refusal goes once the entry reads
    assert done(qtbot, dialog.save())
    assert moisture_tests(sqlite_database) == [(14.0, None)]


SEEDS = {  # what a count of "1 234" / "1.234" / the locale's own form means (None: refused)
    "en_US": {"1 234": None, "1.234": None, "1,234": 1234},
    "fr_FR": {"1 234": 1234, "1.234": None, "1\u202f234": 1234},
    "ru_RU": {"1 234": 1234, "1.234": None, "1\u00a0234": 1234},
    "de_DE": {"1 234": None, "1.234": 1234, "1,234": None},
    "ar_JO": {"1 234": None, "1.234": None, "١٬٢٣٤": 1234},
    "ar_MA": {"1 234": None, "1.234": 1234, "1,234": None},
}


@pytest.mark.parametrize("form", ["1 234", "1.234", "own"])
def test_new_lot_reads_seeds_grams_and_weight_as_meant(
        qtbot: QtBot, system_locale: str, sqlite_database: db.Database,
        lot: conservation_view.LotSummary, form: str) -> None:
    """Seeds group only in the locale's own form; grams and 1000-seed weight take any
    decimal mark and Arabic-Indic digits; a refused count saves nothing."""
    typed = form if form != "own" else list(SEEDS[system_locale])[2]
    meant = SEEDS[system_locale][typed]
    with sqlite_database.session_factory() as session:
        accession_id = session.scalar(select(SeedLot.accession_id))
    dialog = NewLotDialog(sqlite_database.session_factory, accession_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.lot_number, "L-2")
    type_keys(qtbot, dialog.seeds, typed)
    type_keys(qtbot, dialog.grams, "49,5")
    type_keys(qtbot, dialog.weight, "٤٠٫١")
    saved = done(qtbot, dialog.save())
    with sqlite_database.session_factory() as session:
        new = session.scalar(select(SeedLot).where(SeedLot.lot_number == "L-2"))
        if meant is None:
            assert not saved and new is None
            assert dialog.error.text().startswith(f"Seeds: '{typed}'")
        else:
            assert saved, dialog.error.text()
            assert (new.seeds_on_hand, new.grams_on_hand, new.thousand_seed_weight_g) == \
                (meant, 49.5, 40.1)


def test_germination_counts_in_arabic_indic_digits(
        qtbot: QtBot, system_locale: str, sqlite_database: db.Database,
        lot: conservation_view.LotSummary) -> None:
    """Replicate counts typed in Arabic-Indic digits are read; '40.5' seedlings is refused."""
    dialog = GerminationDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.replicate_count.setValue(2)
    for cells, (sown, normal, dead) in zip(dialog.cells, (("٥٠", "٤٥", "٥"),
                                                          ("50", "40.5", "7")), strict=False):
        retype(qtbot, cells[0], sown)
        retype(qtbot, cells[1], normal)
        retype(qtbot, cells[3], dead)
    assert not done(qtbot, dialog.save())
    assert dialog.error.text().startswith("Replicate 2, Normal: '40.5' is not a whole number")
    assert dialog.result.text() == "-"  # no percentage from a count the cell does not show
    retype(qtbot, dialog.cells[1][1], "43")
    assert dialog.result.text().startswith(shown_numbers.percent(88))  # as the system writes
    assert done(qtbot, dialog.save()), dialog.error.text()
    with sqlite_database.session_factory() as session:
        assert session.get(SeedLot, lot.id).seeds_on_hand == 4900


@pytest.mark.parametrize(("temperature", "humidity", "meant"), [
    ("-18,5", "45", (-18.5, 45.0)), ("\u221218.5", "", (-18.5, None)),
    ("", "140", "Set relative humidity: 140 is outside the allowed range 0 to 100"),
    ("-18", "45,5", "Set relative humidity: '45,5' has more decimal places than this field "
                    "keeps (0)"),
])
def test_storage_location_temperature_and_humidity(
        qtbot: QtBot, system_locale: str, sqlite_database: db.Database, temperature: str,
        humidity: str, meant: tuple[float, float | None] | str) -> None:
    """A set temperature takes a minus sign; humidity beyond 100 % or with decimals the field
    does not keep is refused, and the place is not saved."""
    dialog = LocationDialog(sqlite_database.session_factory, None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Cold room 1")
    retype(qtbot, dialog.temperature, temperature)
    retype(qtbot, dialog.humidity, humidity)
    saved = done(qtbot, dialog.save())
    with sqlite_database.session_factory() as session:
        stored = session.execute(select(StorageLocation.temperature_c,
                                        StorageLocation.humidity_rh)).all()
    if isinstance(meant, str):
        assert not saved and stored == []
        assert dialog.error.text().startswith(meant)
    else:
        assert saved, dialog.error.text()
        assert [tuple(row) for row in stored] == [meant]


@pytest.fixture
def programme(sqlite_database: db.Database) -> int:
    with sqlite_database.session_factory.begin() as session:
        return courses.add_programme(session, name="Gene bank management")


def test_course_hours_and_capacity(qtbot: QtBot, system_locale: str,
                                   sqlite_database: db.Database, programme: int) -> None:
    """Course hours '7,5' are 7.5 h and capacity '25' is 25 in every locale."""
    dialog = CourseDialog(sqlite_database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title_edit, "Seed drying")
    type_keys(qtbot, dialog.hours, "7,5")
    type_keys(qtbot, dialog.capacity, "٢٥")
    assert done(qtbot, dialog.save()), dialog.error.text()
    with sqlite_database.session_factory() as session:
        assert session.execute(select(Course.hours, Course.capacity)).one() == (7.5, 25)
    edit = CourseDialog(sqlite_database.session_factory, course_id=dialog.saved_id)
    qtbot.addWidget(edit)
    assert edit.hours.text() == QLocale().toString(7.5, "f", 1)  # shown the system's way
    assert edit.hours.value() == 7.5 and done(qtbot, edit.save())
    with sqlite_database.session_factory() as session:
        assert session.execute(select(Course.hours, Course.capacity)).one() == (7.5, 25)


def type_in_cell(qtbot: QtBot, table: QTableWidget, row: int, column: int, text: str) -> None:
    """Open the cell's editor as a double click does, type over it and press Enter."""
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    editor = table.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_keys(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits in a queued call
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


@pytest.mark.parametrize(("typed", "meant"), [("85,5", 85.5), ("85.5", 85.5), ("٨٥٫٥", 85.5),
                                               ("140", None), ("-5", None)])
def test_course_scores(qtbot: QtBot, system_locale: str, sqlite_database: db.Database,
                       programme: int, message_boxes: list[str], typed: str,
                       meant: float | None) -> None:
    """A post-course score is read as typed in any locale; beyond 100 it is refused."""
    with sqlite_database.session_factory.begin() as session:
        course_id = courses.save_course(session, programme_id=programme, title="Seed drying",
                                        start_on=TODAY - dt.timedelta(days=10),
                                        end_on=TODAY - dt.timedelta(days=8))
        person = participants.save_participant(session, full_name="Moussa Diallo",
                                               country="SEN", gender="unstated")
        enrolments.enrol(session, course_id=course_id, participant_id=person)
    view = CourseView(sqlite_database.session_factory)
    qtbot.addWidget(view)
    view.show()
    view.show_course(course_id)
    column = 4 + len(view.days) + 1  # post-test %
    type_in_cell(qtbot, view.table, 0, column, typed)
    settled(qtbot)  # the scores are saved off the GUI thread
    with sqlite_database.session_factory() as session:
        stored = session.scalar(select(Enrolment.post_test_score))
    assert stored == meant
    if meant is None:
        assert message_boxes and message_boxes[-1].startswith("Post-test %: ")
        assert view.table.item(0, column).text() == ""  # the stored value is shown again
    else:
        assert message_boxes == []
        assert view.table.item(0, column).text() == QLocale().toString(85.5, "f", 1)


@pytest.mark.parametrize(("column", "typed", "meant"), [
    (3, "6,5", 6.5), (3, "6.5", 6.5), (2, "1.000", "locale"), (2, "2000", 2000),
    (4, "140", None),
])
def test_conservation_rules_table(qtbot: QtBot, system_locale: str,
                                  sqlite_database: db.Database, column: int, typed: str,
                                  meant: float | str | None) -> None:
    """Rules cells read moisture limits with any decimal mark and seed counts with the
    locale's group separator only; an unreadable cell names its crop and column."""
    dialog = RulesDialog(sqlite_database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    type_in_cell(qtbot, dialog.table, 0, column, typed)
    if meant == "locale":  # "1.000" seeds: 1000 where '.' groups thousands, else refused
        meant = 1000 if QLocale().groupSeparator() == "." else None
    if meant is None:
        with pytest.raises(ValueError, match="All crops"):
            dialog.changes()
        return
    changes = dialog.changes()[crop_rules.ALL_CROPS]
    assert changes[crop_rules.NUMBERS[column]] == meant


@pytest.mark.parametrize(("code", "typed", "meant"), [
    ("DECLATITUDE", "-44,6975", -44.6975), ("DECLATITUDE", "-44.6975", -44.6975),
    ("DECLATITUDE", "44°41'51\"S", -44.6975), ("DECLONGITUDE", "٧٦٫٩١٢٣", 76.9123),
    ("DECLATITUDE", "94,5", None), ("ELEVATION", "1250,5", 1250.5),
    ("ELEVATION", "1.250,5", None),
    ("ELEVATION", "-28", -28.0), ("COORDUNCERT", "٣٠", 30),
])
def test_passport_coordinates_and_elevation(qtbot: QtBot, system_locale: str, code: str,
                                            typed: str, meant: float | None) -> None:
    """The passport form's numbers read with the same rules; DMS still reads as before."""
    field = LineField(mcpd.BY_CODE[code])
    qtbot.addWidget(field)
    type_keys(qtbot, field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    if meant is None:
        with pytest.raises(mcpd.InvalidValue):
            mcpd.parse_field(code, field.raw_value())
        return
    assert mcpd.parse_field(code, field.raw_value()) == meant
    field.set_value(meant)  # shown the system's way, read back exactly
    assert mcpd.parse_field(code, field.raw_value()) == meant


def test_a_number_box_shows_values_in_the_system_format(qtbot: QtBot,
                                                        system_locale: str) -> None:
    """A value set in code is shown in the locale's format and reads back as itself."""
    box = NumberBox(whole=False, minimum=-200, maximum=60)
    qtbot.addWidget(box)
    for value in (6.5, -18.25, 0.1 + 0.2, 59.0):
        box.setValue(value)
        assert box.value() == value and box.problem() == ""
    box.setValue(-18.25)
    assert box.text() == QLocale().toString(-18.25, "f", 2)
    count = NumberBox(whole=True, minimum=0, maximum=10_000_000)
    qtbot.addWidget(count)
    count.setValue(1234567)
    assert count.text() == QLocale().toString(1234567)
    retype(qtbot, count, count.text())
    assert count.value() == 1234567 and count.problem() == ""
    blank = NumberBox(whole=False, minimum=0, maximum=100, blank="not measured")
    qtbot.addWidget(blank)
    assert blank.text() == "" and blank.placeholderText() == "not measured"
    assert (blank.value(), blank.optional_value(), blank.problem()) == (0.0, None, "")
    type_keys(qtbot, blank, "6,5")
    assert blank.optional_value() == 6.5


def test_up_and_down_step_a_number_within_its_range(qtbot: QtBot, system_locale: str) -> None:
    """Up and Down change a count by one as a spin box did, never past its range."""
    box = NumberBox(whole=True, minimum=0, maximum=10)
    qtbot.addWidget(box)
    type_keys(qtbot, box, "9")
    qtbot.keyClick(box, Qt.Key.Key_Up)
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.value() == 10 and box.text() == QLocale().toString(10)
    for _ in range(12):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.value() == 0 and box.problem() == ""


def test_a_typed_zero_stays_zero_in_a_field_that_may_be_left_blank(
        qtbot: QtBot, system_locale: str) -> None:
    """'0' typed where blank means 'not counted' is the count 0, still shown after Tab."""
    box = NumberBox(whole=True, minimum=0, maximum=10_000_000, blank="not counted")
    qtbot.addWidget(box)
    box.show()
    box.setFocus()
    type_keys(qtbot, box, "0")
    box.editingFinished.emit()  # leaving the field tidies what was typed
    assert (box.text(), box.optional_value(), box.problem()) == (QLocale().toString(0), 0, "")
    retype(qtbot, box, "")
    assert (box.text(), box.optional_value(), box.problem()) == ("", None, "")
    box.setValue(0)
    assert (box.text(), box.optional_value()) == (QLocale().toString(0), 0)
    box.setValue(None)
    assert (box.text(), box.optional_value()) == ("", None)


def test_germination_with_no_seeds_used_from_the_lot_debits_nothing(
        qtbot: QtBot, system_locale: str, sqlite_database: db.Database,
        lot: conservation_view.LotSummary) -> None:
    """Seeds used '0' (seeds from elsewhere) leaves the lot's 5,000 seeds, not 4,950."""
    dialog = GerminationDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.replicate_count.setValue(1)
    retype(qtbot, dialog.cells[0][0], "50")
    retype(qtbot, dialog.cells[0][1], "45")
    retype(qtbot, dialog.cells[0][3], "5")
    retype(qtbot, dialog.consumed, "0")
    assert done(qtbot, dialog.save()), dialog.error.text()
    with sqlite_database.session_factory() as session:
        assert session.get(SeedLot, lot.id).seeds_on_hand == 5000


def test_sowing_with_no_plants_records_zero_plants(
        qtbot: QtBot, sqlite_database: db.Database,
        lot: conservation_view.LotSummary) -> None:
    """Plants '0' (nothing came up) is stored as 0 plants, not as 'not counted'."""
    with sqlite_database.session_factory.begin() as session:
        event_id = regenerations.plan_regeneration(
            session, source_lot_id=lot.id, site="Field 3", planned_on=TODAY, seeds=100)
        accession_id = session.get(SeedLot, lot.id).accession_id
    with sqlite_database.session_factory() as session:
        events = [r for r in conservation_view.regenerations(session, accession_id)
                  if r.is_open]
    dialog = SowingDialog(sqlite_database.session_factory, events)
    qtbot.addWidget(dialog)
    dialog.show()
    retype(qtbot, dialog.plants, "0")
    assert done(qtbot, dialog.save()), dialog.error.text()
    with sqlite_database.session_factory() as session:
        assert session.get(Regeneration, event_id).plants == 0


def test_quantity_and_moisture_pass_a_typed_zero_on(
        qtbot: QtBot, sqlite_database: db.Database,
        lot: conservation_view.LotSummary) -> None:
    """Moisture '0' is 0 % (stored), and a withdrawal of '0' seeds is refused, not blank."""
    moisture = MoistureDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(moisture)
    moisture.show()
    retype(qtbot, moisture.moisture, "0")
    assert done(qtbot, moisture.save()), moisture.error.text()
    assert moisture_tests(sqlite_database) == [(0.0, None)]
    quantity = QuantityDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(quantity)
    quantity.show()
    retype(qtbot, quantity.seeds, "0")
    assert not done(qtbot, quantity.save())
    assert "positive number" in quantity.error.text()


def test_a_new_quantity_starts_with_no_seeds_or_grams_given(
        qtbot: QtBot, sqlite_database: db.Database,
        lot: conservation_view.LotSummary) -> None:
    """The Quantity dialog opens with Seeds and Grams empty, never at the range's minimum."""
    quantity = QuantityDialog(sqlite_database.session_factory, lot)
    qtbot.addWidget(quantity)
    quantity.show()
    assert (quantity.seeds.text(), quantity.grams.text()) == ("", "")
    assert (quantity.seeds.optional_value(), quantity.grams.optional_value()) == (None, None)

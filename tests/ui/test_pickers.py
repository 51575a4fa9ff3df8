"""The country, institute and crop pickers, typed into as a person types, through to the
value the form saves: what is stored is what was highlighted or what the typing means."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from genebank import db
from genebank.models import Institute
from genebank.passport import accessions
from genebank.training import courses, participants
from tests.conftest import passport_values
from tests.ui import shots
from tests.ui.waiting import done, settled
from ui.dialogs.accession_editor import AccessionEditor
from ui.dialogs.training_dialogs import CourseDialog, ParticipantDialog
from ui.views.picker import Picker

SCREENSHOTS = shots.folder("pickers")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[db.Database]:
    database = db.open_database(db.sqlite_url(tmp_path / "pickers.sqlite"), user="trainer")
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="Development of National Gene Banks")
        courses.save_course(session, programme_id=programme, title="Seed drying",
                            host_code="KAZ024", host_name="Kazakh gene bank",
                            start_on=dt.date(2026, 3, 2), end_on=dt.date(2026, 3, 4))
    yield database
    database.close()


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying each character, as a Russian or Arabic keyboard layout sends
    them (QTest's keyClicks takes Latin-1 only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, char))


def new_participant(qtbot: QtBot, database: db.Database) -> ParticipantDialog:
    dialog = ParticipantDialog(database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.edits["full_name"], "Layla Haddad")
    dialog.country.setFocus()
    return dialog


def saved_country(database: db.Database, dialog: ParticipantDialog) -> str | None:
    assert dialog.saved_id is not None, f"not saved: {dialog.error.text()}"
    with database.session_factory() as session:
        return participants.get_participant(session, dialog.saved_id).country


def test_jordan_down_enter_saves_jordan(qtbot: QtBot, database: db.Database) -> None:
    """"Jordan", Down, Enter, Save: the participant's country is JOR (it was AFG)."""
    dialog = new_participant(qtbot, database)
    qtbot.keyClicks(dialog.country, "Jordan")
    qtbot.keyClick(dialog.country, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.country, Qt.Key.Key_Return)
    settled(qtbot)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert saved_country(database, dialog) == "JOR"


def test_the_list_shows_what_enter_will_take(qtbot: QtBot, database: db.Database) -> None:
    """Typing opens the list without choosing; Down highlights; Enter takes the highlighted
    country and closes the list without saving; a second Enter saves."""
    dialog = new_participant(qtbot, database)
    qtbot.keyClicks(dialog.country, "Jordan")
    assert dialog.country.choices_shown() == ["Jordan (JOR)"]
    assert dialog.country.highlighted() == -1
    dialog.grab().save(str(SCREENSHOTS / "picker-participant-jordan.png"))
    qtbot.keyClick(dialog.country, Qt.Key.Key_Down)
    assert dialog.country.highlighted() == 0
    dialog.grab().save(str(SCREENSHOTS / "picker-participant-highlighted.png"))
    qtbot.keyClick(dialog.country, Qt.Key.Key_Return)
    settled(qtbot)
    assert dialog.country.text() == "Jordan (JOR)" and dialog.isVisible()
    assert not dialog.country.popup_visible()
    qtbot.keyClick(dialog.country, Qt.Key.Key_Return)  # the list is closed: Enter saves
    settled(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert saved_country(database, dialog) == "JOR"


@pytest.mark.parametrize(("typed", "code"), [
    ("JOR", "JOR"), ("jordan", "JOR"), ("jo", "JOR"), ("Turkey", "TUR"), ("Türkiye", "TUR"),
    ("turkey", "TUR"), ("Ivory Coast", "CIV"), ("Иордания", "JOR"), ("الأردن", "JOR"),
])
def test_a_typed_code_or_name_saves_its_country(qtbot: QtBot, database: db.Database,
                                                typed: str, code: str) -> None:
    """A code or name typed and left with Tab is stored as that country's code."""
    dialog = new_participant(qtbot, database)
    type_text(dialog.country, typed)
    qtbot.keyClick(dialog.country, Qt.Key.Key_Tab)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert saved_country(database, dialog) == code
    assert dialog.country.text().endswith(f"({code})")  # "JOR" is not left as "JORdan (JOR)"


def test_enter_on_a_typed_code_saves_it(qtbot: QtBot, database: db.Database) -> None:
    """"JOR", Enter takes Jordan (not "JORdan (JOR)" and a refusal); Save saves JOR."""
    dialog = new_participant(qtbot, database)
    qtbot.keyClicks(dialog.country, "JOR")
    qtbot.keyClick(dialog.country, Qt.Key.Key_Return)
    settled(qtbot)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert dialog.error.isHidden(), dialog.error.text()
    assert saved_country(database, dialog) == "JOR"
    assert dialog.country.text() == "Jordan (JOR)"


def test_congo_asks_and_saves_nothing_until_one_is_chosen(qtbot: QtBot,
                                                          database: db.Database) -> None:
    """"Congo" is two countries: Enter shows both and a question; the form refuses to save;
    Down, Down, Enter takes the second one."""
    dialog = new_participant(qtbot, database)
    qtbot.keyClicks(dialog.country, "Congo")
    qtbot.keyClick(dialog.country, Qt.Key.Key_Return)
    settled(qtbot)
    assert dialog.isVisible() and dialog.saved_id is None
    assert dialog.country.value() is None
    shown = dialog.country.choices_shown()
    assert [s[-5:] for s in shown[:2]] == ["(COG)", "(COD)"]
    popup = dialog.country.popup()
    assert popup is not None and "choose one" in popup.header.text()
    dialog.grab().save(str(SCREENSHOTS / "picker-participant-congo.png"))
    assert not done(qtbot, dialog.save())
    assert "could be COG (Congo), COD" in dialog.error.text()
    dialog.country.setFocus()
    qtbot.keyClick(dialog.country, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.country, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.country, Qt.Key.Key_Return)
    settled(qtbot)
    assert dialog.country.value() == "COD"
    assert done(qtbot, dialog.save())
    assert saved_country(database, dialog) == "COD"


def test_a_click_on_a_candidate_chooses_it(qtbot: QtBot, database: db.Database) -> None:
    """"gui" offers Guinea and its namesakes; a click on Guinea-Bissau stores GNB."""
    dialog = new_participant(qtbot, database)
    qtbot.keyClicks(dialog.country, "gui")
    shown = dialog.country.choices_shown()
    row = shown.index("Guinea-Bissau (GNB)")
    popup = dialog.country.popup()
    assert popup is not None
    item = popup.list.item(row)
    qtbot.mouseClick(popup.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=popup.list.visualItemRect(item).center())
    assert dialog.country.value() == "GNB" and not dialog.country.popup_visible()
    assert done(qtbot, dialog.save())
    assert saved_country(database, dialog) == "GNB"


@pytest.mark.parametrize("typed", ["Atlantis", "SUHH", "USSR"])
def test_an_unknown_or_former_country_is_refused_for_a_person(
        qtbot: QtBot, database: db.Database, typed: str) -> None:
    """An entry naming no current country is shown as a problem and never saved."""
    dialog = new_participant(qtbot, database)
    qtbot.keyClicks(dialog.country, typed)
    qtbot.keyClick(dialog.country, Qt.Key.Key_Tab)
    assert dialog.country.value() is None and dialog.country.text() == typed
    assert typed in (dialog.country.problem() or "")
    assert not done(qtbot, dialog.save()) and "is not an ISO 3166" in dialog.error.text()
    with database.session_factory() as session:
        assert participants.count_participants(session) == 0


def test_editing_a_person_keeps_the_stored_country(qtbot: QtBot,
                                                   database: db.Database) -> None:
    """A stored country is shown by name and saved back unchanged."""
    with database.session_factory.begin() as session:
        person = participants.save_participant(session, full_name="Ayşe Yılmaz",
                                               country="TUR", gender="female")
    dialog = ParticipantDialog(database.session_factory, participant_id=person)
    qtbot.addWidget(dialog)
    assert dialog.country.text() == "Türkiye (TUR)"
    assert done(qtbot, dialog.save())
    assert saved_country(database, dialog) == "TUR"


def test_course_venue_and_host_are_picked(qtbot: QtBot, database: db.Database) -> None:
    """A new course: "jordan" Tab is the venue JOR; the host found by name ("kazakh") brings
    its code and name; both are saved."""
    dialog = CourseDialog(database.session_factory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.title_edit, "Germination testing")
    dialog.host_code.setFocus()
    qtbot.keyClicks(dialog.host_code, "kazakh")
    assert dialog.host_code.choices_shown() == ["KAZ024 – Kazakh gene bank"]
    dialog.grab().save(str(SCREENSHOTS / "picker-course-host.png"))
    qtbot.keyClick(dialog.host_code, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.host_code, Qt.Key.Key_Tab)
    assert dialog.host_code.value() == "KAZ024"
    assert dialog.host_name.text() == "Kazakh gene bank"
    dialog.country.setFocus()
    qtbot.keyClicks(dialog.country, "Tur")
    dialog.grab().save(str(SCREENSHOTS / "picker-course-country.png"))
    qtbot.keyClick(dialog.country, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.country, "rkey")
    qtbot.keyClick(dialog.country, Qt.Key.Key_Tab)
    dialog.start_on.setDate(QDate(2026, 6, 1))
    dialog.end_on.setDate(QDate(2026, 6, 3))
    assert done(qtbot, dialog.save()), dialog.error.text()
    with database.session_factory() as session:
        course = courses.get_course(session, dialog.saved_id)
        assert (course.venue_country, course.host_code, course.host_name) == (
            "TUR", "KAZ024", "Kazakh gene bank")


def test_a_new_host_code_may_be_typed(qtbot: QtBot, database: db.Database) -> None:
    """A well-formed WIEWS code not in the local directory is kept, and a name that is
    neither in the directory nor a code is refused."""
    dialog = CourseDialog(database.session_factory)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title_edit, "Regeneration")
    qtbot.keyClicks(dialog.host_code, "jor005")
    assert dialog.host_code.value() == "JOR005"
    dialog.host_code.clear()
    qtbot.keyClicks(dialog.host_code, "National Agricultural Research Center")
    assert not done(qtbot, dialog.save()) and "nor a WIEWS code" in dialog.error.text()


@pytest.fixture
def collection(database: db.Database) -> db.Database:
    """Two accessions: KAZ001 named in the directory, crops "bread wheat" and "barley"."""
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
        accessions.create_accession(session, values=passport_values(
            ACCENUMB="KZ-0002", GENUS="Hordeum", SPECIES="vulgare", CROPNAME="barley"))
        session.execute(update(Institute).where(Institute.code == "KAZ001")
                        .values(name="Kazakh Research Institute of Agriculture"))
    return database


def new_accession(qtbot: QtBot, database: db.Database) -> AccessionEditor:
    editor = AccessionEditor(database.session_factory, initial_values={
        "INSTCODE": "KAZ001", "GENUS": "Triticum", "STORAGE": [13]})
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.keyClicks(editor.editors["ACCENUMB"], "KZ-0100")
    return editor


def open_field(editor: AccessionEditor, code: str) -> Picker:
    field = editor.editors[code]
    assert isinstance(field, Picker)
    editor.focus_field(code)
    return field


def saved_values(database: db.Database, accenumb: str) -> dict[str, object]:
    with database.session_factory() as session:
        found = accessions.find_accession_id(session, instcode="KAZ001", accenumb=accenumb)
        assert found is not None
        return accessions.get_passport(session, found).values


def test_accession_origin_jordan_down_enter_and_a_former_country(
        qtbot: QtBot, collection: db.Database) -> None:
    """ORIGCTY: "Jordan", Down, Enter is JOR; "USSR", Tab is the former country SUN (the
    code ISO withdrew; SUHH in ISO 3166-3), which is saved with its warning."""
    editor = new_accession(qtbot, collection)
    origin = open_field(editor, "ORIGCTY")
    qtbot.keyClicks(origin, "Jordan")
    qtbot.keyClick(origin, Qt.Key.Key_Down)
    qtbot.keyClick(origin, Qt.Key.Key_Return)
    settled(qtbot)
    assert origin.raw_value() == "JOR" and editor.isVisible()
    origin.clear()
    qtbot.keyClicks(origin, "USSR")
    assert origin.choices_shown()[0] == "USSR, Union of Soviet Socialist Republics (SUN) – " \
        "former country"
    editor.grab().save(str(SCREENSHOTS / "picker-accession-origin.png"))
    qtbot.keyClick(origin, Qt.Key.Key_Tab)
    assert origin.raw_value() == "SUN"
    qtbot.waitUntil(lambda: "former state" in editor.messages["ORIGCTY"].text())
    assert done(qtbot, editor.save())
    assert saved_values(collection, "KZ-0100")["ORIGCTY"] == "SUN"


def test_accession_origin_congo_is_an_error_until_chosen(qtbot: QtBot,
                                                         collection: db.Database) -> None:
    """ORIGCTY "Congo" blocks saving with both choices named, and a choice clears it."""
    editor = new_accession(qtbot, collection)
    origin = open_field(editor, "ORIGCTY")
    qtbot.keyClicks(origin, "Congo")
    qtbot.keyClick(origin, Qt.Key.Key_Return)
    settled(qtbot)
    qtbot.waitUntil(lambda: "choose one" in editor.messages["ORIGCTY"].text())
    assert not done(qtbot, editor.save())
    origin.setFocus()
    qtbot.keyClick(origin, Qt.Key.Key_Down)
    qtbot.keyClick(origin, Qt.Key.Key_Return)
    settled(qtbot)
    assert done(qtbot, editor.save())
    assert saved_values(collection, "KZ-0100")["ORIGCTY"] == "COG"


def test_accession_institutes_are_picked_from_the_directory(
        qtbot: QtBot, collection: db.Database) -> None:
    """INSTCODE found by part of its name; DONORCODE a new code typed in lower case."""
    editor = new_accession(qtbot, collection)
    holder = open_field(editor, "INSTCODE")
    holder.clear()
    qtbot.keyClicks(holder, "research inst")
    assert holder.choices_shown() == ["KAZ001 – Kazakh Research Institute of Agriculture"]
    editor.grab().save(str(SCREENSHOTS / "picker-accession-instcode.png"))
    qtbot.keyClick(holder, Qt.Key.Key_Down)
    qtbot.keyClick(holder, Qt.Key.Key_Tab)
    assert holder.text() == "KAZ001"
    donor = open_field(editor, "DONORCODE")
    qtbot.keyClicks(donor, "uzb006")
    assert donor.choices_shown()[0].startswith("UZB006 – a code not in the directory")
    qtbot.keyClick(donor, Qt.Key.Key_Tab)
    assert done(qtbot, editor.save())
    values = saved_values(collection, "KZ-0100")
    assert (values["INSTCODE"], values["DONORCODE"]) == ("KAZ001", "UZB006")


def test_accession_crop_name_offers_known_names_and_keeps_new_text(
        qtbot: QtBot, collection: db.Database) -> None:
    """CROPNAME: "wh", Down, Enter takes "bread wheat"; new text is stored as typed."""
    editor = new_accession(qtbot, collection)
    crop = open_field(editor, "CROPNAME")
    qtbot.keyClicks(crop, "wh")
    assert crop.choices_shown() == ["bread wheat"]
    editor.grab().save(str(SCREENSHOTS / "picker-accession-crop.png"))
    qtbot.keyClick(crop, Qt.Key.Key_Down)
    qtbot.keyClick(crop, Qt.Key.Key_Return)
    settled(qtbot)
    assert crop.text() == "bread wheat"
    crop.clear()
    qtbot.keyClicks(crop, "Bar")
    assert crop.choices_shown() == ["barley"]
    qtbot.keyClicks(crop, "ley, malting")
    qtbot.keyClick(crop, Qt.Key.Key_Tab)
    assert done(qtbot, editor.save())
    assert saved_values(collection, "KZ-0100")["CROPNAME"] == "Barley, malting"


def test_a_cleared_or_retyped_country_is_no_longer_stored(qtbot: QtBot,
                                                          database: db.Database) -> None:
    """After a choice, clearing the field stores nothing, and typing another name stores
    that one: the value always follows the text shown."""
    dialog = new_participant(qtbot, database)
    qtbot.keyClicks(dialog.country, "JOR")
    qtbot.keyClick(dialog.country, Qt.Key.Key_Tab)
    assert dialog.country.value() == "JOR"
    dialog.country.clear()
    assert dialog.country.value() is None and dialog.country.problem() is None
    qtbot.keyClicks(dialog.country, "Senegal")
    assert dialog.country.value() == "SEN"
    assert done(qtbot, dialog.save())
    assert saved_country(database, dialog) == "SEN"


def test_the_list_closes_when_its_tab_is_left(qtbot: QtBot, collection: db.Database) -> None:
    """A list open under ORIGCTY does not stay over the next tab."""
    editor = new_accession(qtbot, collection)
    origin = open_field(editor, "ORIGCTY")
    qtbot.keyClicks(origin, "Gu")
    assert origin.popup_visible()
    editor.tabs.setCurrentIndex(0)
    assert not origin.popup_visible()


def test_several_institute_codes_take_the_highlighted_one_last(
        qtbot: QtBot, collection: db.Database) -> None:
    """DUPLSITE "kaz002;sval", Down, Enter: the list offered Svalbard for the code being
    typed, and both codes are saved."""
    with collection.session_factory.begin() as session:
        accessions.ensure_institute(session, "NOR051")
        session.execute(update(Institute).where(Institute.code == "NOR051")
                        .values(name="Svalbard Global Seed Vault"))
    editor = new_accession(qtbot, collection)
    sites = open_field(editor, "DUPLSITE")
    qtbot.keyClicks(sites, "kaz002;sval")
    assert sites.choices_shown() == ["NOR051 – Svalbard Global Seed Vault"]
    editor.grab().save(str(SCREENSHOTS / "picker-accession-duplsite.png"))
    qtbot.keyClick(sites, Qt.Key.Key_Down)
    qtbot.keyClick(sites, Qt.Key.Key_Return)
    settled(qtbot)
    assert sites.text() == "kaz002;NOR051" and editor.isVisible()
    qtbot.keyClick(sites, Qt.Key.Key_Tab)
    assert sites.text() == "KAZ002;NOR051"
    assert done(qtbot, editor.save())
    assert saved_values(collection, "KZ-0100")["DUPLSITE"] == ["KAZ002", "NOR051"]

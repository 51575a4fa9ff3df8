"""Training data and Excel: participant lists as organisers keep them, the attendance sheet,
lists with and without contact details, the certificate register, and the reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from genebank import db
from genebank.io import headings
from genebank.io.spreadsheet import read_sheet
from genebank.models import Participant
from genebank.services.errors import ServiceError
from genebank.training import (
    certificates,
    enrolments,
    participant_import,
    participants,
    training_reports,
    training_sheets,
)
from genebank.training.training_reports import Period
from tests.genebank.test_training import START, a_course, a_person


def sheet_file(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def preview(database: db.Database, path: Path) -> participant_import.ParticipantPreview:
    sheet = read_sheet(path)
    mapping = headings.suggest_mapping(sheet.rows[0], headings.PARTICIPANTS)
    assert not headings.table(headings.PARTICIPANTS).missing(mapping.values())
    with database.session_factory() as session:
        return participant_import.preview_participants(session, sheet, mapping)


def test_a_participant_list_as_organisers_keep_it(database: db.Database,
                                                  tmp_path: Path) -> None:
    with database.session_factory.begin() as session:
        course = a_course(session)
        known = a_person(session, "Aigerim Nurlanova", email="aigerim@example.org")
    path = sheet_file(tmp_path / "list.xlsx", [
        ["No", "Surname", "First name", "Sex", "Country", "Organisation", "E-mail"],
        [1, "Diallo", "Moussa", "M", "Senegal", "ISRA", "moussa@example.org"],
        [2, "Nurlanova", "Aigerim", "F", "KAZ", "Kazakh gene bank", "AIGERIM@example.org"],
        [3, "Haddad", "Fatima", "female", "Lebanon", "LARI", "fatima@"],
        [4, "", "", "F", "Mali", "IER", ""],
        [5, "Diallo", "Moussa", "M", "SEN", "ISRA", ""],
        [6, "Karimov", "Sardor", "X", "Atlantis", "", ""],
    ])
    checked = preview(database, path)
    assert checked.summary() == "6 people: 3 ready, 3 with errors, 2 likely already recorded"
    rows = {r.row: r for r in checked.rows}
    assert rows[2].values["full_name"] == "Moussa Diallo" and rows[2].values["country"] == "SEN"
    assert (rows[3].duplicate_of, rows[3].duplicate_reason) == (
        known, "same e-mail aigerim@example.org")
    email = rows[4].errors[0]
    assert (email.column, email.field) == ("G", "email")
    assert email.message.startswith("e-mail: 'fatima@' is not a valid")
    assert [(p.column, p.field, p.message) for p in rows[5].errors] == [
        ("B, C", "full_name", "full name: a participant needs a name (in Latin script)")]
    assert rows[6].same_as_row == 2  # the same person twice in the list
    assert {(p.column, p.code, p.message) for p in rows[7].errors} == {
        ("D", "participant_gender_unreadable",
         "'X' is not a gender this list can read (F, M, female, male, other)"),
        ("E", "participant_not_a_country",
         "'Atlantis' is not a country (a name or an ISO code such as KAZ, SEN)")}
    with pytest.raises(ServiceError, match=r"3 rows have errors \(first: row 4"), \
            database.session_factory.begin() as session:
        participant_import.import_participants(session, checked, course_id=course)
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 1
    with database.session_factory.begin() as session:
        result = participant_import.import_participants(session, checked, skip_invalid=True,
                                                        course_id=course)
    assert result.line() == ("1 participant added, 2 already recorded (not added again), "
                             "3 rows with errors skipped; 2 enrolled in the course")
    with database.session_factory() as session:
        roster = enrolments.course_roster(session, course)
        assert sorted(r.full_name for r in roster) == ["Aigerim Nurlanova", "Moussa Diallo"]


def test_a_french_list_with_nom_and_prenom_keeps_both(database: db.Database,
                                                      tmp_path: Path) -> None:
    """QA finding 2: "Nom" was the full name and "Prénom" was then dropped without a word."""
    path = sheet_file(tmp_path / "participants.xlsx", [
        ["Liste des participants — atelier de Dakar, mai 2026"],
        [],
        ["Nom", "Prénom", "Sexe", "Organisation", "Pays", "Courriel"],
        ["Dupont", "Hélène", "F", "INRAE", "France", "helene.dupont@example.org"],
        ["Нурланов", "Айгерим", "Ж", "Генбанк", "Казахстан", ""],
    ])
    sheet = read_sheet(path)
    header = headings.find_header_row(sheet.rows, headings.PARTICIPANTS)
    mapping = headings.suggest_mapping(sheet.rows[header], headings.PARTICIPANTS)
    assert mapping == {0: "last_name", 1: "first_name", 2: "gender", 3: "institution",
                       4: "country", 5: "email"}
    with database.session_factory() as session:
        checked = participant_import.preview_participants(session, sheet, mapping,
                                                          header_index=header)
    assert [(r.row, r.values["full_name"], r.problems) for r in checked.rows] == [
        (4, "Hélène Dupont", []), (5, "Айгерим Нурланов", [])]
    # English and Spanish say it the same way; "Фамилия" + "Имя" were right already.
    for row, parts in ((["Name", "First name"], ("last_name", "first_name")),
                       (["Nombre", "Apellido"], ("first_name", "last_name")),
                       (["Фамилия", "Имя"], ("last_name", "first_name"))):
        assert tuple(headings.suggest_mapping(row, headings.PARTICIPANTS).values()) == parts


def test_gender_words_are_read_in_arabic_french_and_russian(database: db.Database,
                                                           tmp_path: Path) -> None:
    """QA finding 11: 'Ж' was read but Arabic 'أنثى' refused; the words as people type
    them (with or without the hamza, ي for ى, a capital) are read, none guessed."""
    path = sheet_file(tmp_path / "participants.xlsx", [
        ["Nom complet", "Sexe", "Pays"],
        ["Fatima Haddad", "أنثى", "Liban"],
        ["Karim Haddad", "ذكر", "Liban"],
        ["Leila Mansour", "انثي", "Jordanie"],
        ["Hélène Dupont", "Femme", "France"],
        ["Moussa Diallo", "H", "SEN"],
        ["Aigerim Nurlanova", "женский", "KAZ"],
        ["Sardor Karimov", "Х", "UZB"],  # a Cyrillic letter that is no gender
    ])
    checked = preview(database, path)
    genders = {r.row: (r.values.get("gender"), [p.code for p in r.errors])
               for r in checked.rows}
    assert genders == {2: ("female", []), 3: ("male", []), 4: ("female", []),
                       5: ("female", []), 6: ("male", []), 7: ("female", []),
                       8: (genders[8][0], ["participant_gender_unreadable"])}


def test_a_full_name_beside_a_name_part_is_never_dropped(database: db.Database,
                                                         tmp_path: Path) -> None:
    """Both a full name and a first name on a row: used when they agree, else an error."""
    path = sheet_file(tmp_path / "list.xlsx", [
        ["Nom complet", "Prénom", "Sexe"],
        ["Hélène Dupont", "Helene", "F"],
        ["Moussa Diallo", "Fatou", "F"],
    ])
    checked = preview(database, path)
    rows = {r.row: r for r in checked.rows}
    assert (rows[2].values["full_name"], rows[2].problems) == ("Hélène Dupont", [])
    assert [(p.column, p.code, p.message) for p in rows[3].errors] == [
        ("B", "participant_name_disagrees",
         "the full name 'Moussa Diallo' does not hold the first name 'Fatou' of the same "
         "row: which one is right?")]


def test_attendance_sheet_lists_and_register(database: db.Database, tmp_path: Path) -> None:
    with database.session_factory.begin() as session:
        course = a_course(session)
        person = a_person(session, email="aigerim@example.org", phone="+7 701")
        enrolment = enrolments.enrol(session, course_id=course, participant_id=person)
        for day in range(5):
            enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=day),
                                      day != 2)
        enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=2), True)
        enrolments.set_status(session, enrolment, "completed")
        certificates.issue(session, enrolment, on=dt.date(2026, 5, 16))
    with database.session_factory() as session:
        training_sheets.attendance_sheet(session, course, tmp_path / "attendance.xlsx")
        training_sheets.participant_list(session, course, tmp_path / "plain.xlsx")
        training_sheets.participant_list(session, course, tmp_path / "contacts.xlsx",
                                         with_contacts=True)
        training_sheets.certificate_register(session, tmp_path / "register.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "attendance.xlsx").active
    assert [c.value for c in sheet[4]] == ["No.", "Name", "Country", "Institution",
                                           "Mon 11 May", "Tue 12 May", "Wed 13 May",
                                           "Thu 14 May", "Fri 15 May"]
    assert [c.value for c in sheet[5]] == [1, "Aigerim Nurlanova", "Kazakhstan",
                                           "Kazakh gene bank", "✓", "✓", "✓", "✓", "✓"]
    assert sheet.page_setup.orientation == "landscape"
    plain = [c.value for c in openpyxl.load_workbook(tmp_path / "plain.xlsx").active[3]]
    assert "E-mail" not in plain and "Phone" not in plain
    contacts = openpyxl.load_workbook(tmp_path / "contacts.xlsx").active
    assert [c.value for c in contacts[4]][-2:] == ["aigerim@example.org", "+7 701"]
    register = openpyxl.load_workbook(tmp_path / "register.xlsx").active
    assert [c.value for c in register[2]][:3] == ["GB-2026-00001", dt.datetime(2026, 5, 16),
                                                  "Aigerim Nurlanova"]


def test_reports_count_people_trained_by_country_gender_course(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        spring = a_course(session, title="Spring")
        autumn = a_course(session, title="Autumn", start_on=dt.date(2026, 10, 5),
                          end_on=dt.date(2026, 10, 6))
        people = [a_person(session, "A One", institution="Gene bank KZ"),
                  a_person(session, "B Two", gender="male", country="SEN",
                           institution="ISRA"),
                  a_person(session, "C Three", country="SEN", institution="ISRA")]
        for person in people:
            enrolments.enrol(session, course_id=spring, participant_id=person)
        enrolment = enrolments.enrol(session, course_id=autumn, participant_id=people[0])
        for day in (dt.date(2026, 10, 5), dt.date(2026, 10, 6)):
            enrolments.set_attendance(session, enrolment, day, True)
        enrolments.set_status(session, enrolment, "completed")
        withdrawn = enrolments.enrol(session, course_id=autumn, participant_id=people[1])
        enrolments.set_status(session, withdrawn, "withdrawn")
        participants.erase(session, people[2])  # still counted
    with database.session_factory() as session:
        by_country = training_reports.participants_by(session, "country")
        assert [(r.key, r.participants, r.women) for r in by_country] == [
            ("Kazakhstan", 2, 2), ("Senegal", 2, 1)]
        by_course = training_reports.participants_by(session, "course")
        assert [(r.key, r.participants, r.completion_pct) for r in by_course] == [
            ("Spring", 3, 0.0), ("Autumn", 1, 100.0)]
        autumn_only = Period(dt.date(2026, 9, 1), dt.date(2026, 12, 31))
        assert training_reports.totals(session, autumn_only).participants == 1
        assert [(r.key, r.participants) for r in training_reports.participants_by(
            session, "gender")] == [("female", 3), ("male", 1)]
        assert training_reports.institutions_by_country(session) == {
            "Kazakhstan": [("Gene bank KZ", 2)], "Senegal": [("ISRA", 2)]}


def test_a_participant_list_names_countries_as_people_write_them(
        database: db.Database, tmp_path: Path) -> None:
    """"Turkey" and "Côte d'Ivoire" are read; "Congo" is refused with both Congos."""
    path = sheet_file(tmp_path / "list.xlsx", [
        ["Surname", "First name", "Sex", "Country"],
        ["Yılmaz", "Ayşe", "F", "Turkey"],
        ["Koné", "Awa", "F", "Côte d'Ivoire"],
        ["Mabiala", "Jean", "M", "Congo"],
    ])
    rows = {r.row: r for r in preview(database, path).rows}
    assert (rows[2].values["country"], rows[3].values["country"]) == ("TUR", "CIV")
    assert [(p.column, p.code) for p in rows[4].errors] == [("D", "country_ambiguous")]
    assert "'Congo' could be COG (Congo), COD" in rows[4].errors[0].message

"""Every service that writes leaves a history entry for every row it creates, changes or
deletes (derived values excepted), on SQLite and PostgreSQL: the database is compared
before and after each step with the entries the step wrote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy.orm import Session

from genebank import cli, db
from genebank.conservation import crop_rules, regenerations, seed_lots, seed_tests
from genebank.conservation import storage_locations as places
from genebank.conservation.seed_tests import Replicate
from genebank.passport import accessions, own_institutes, withdrawals
from genebank.services import import_mappings
from genebank.training import certificates, courses, enrolments, participants
from tests.conftest import passport_values
from tests.genebank.history_check import entries_after, last_entry, missing_history, snapshot

TODAY = dt.date(2026, 11, 23)
START = dt.date(2026, 5, 11)
Step = Callable[[Session, dict[str, Any]], object]


def _accession_steps() -> list[tuple[str, Step]]:
    def create(session: Session, ids: dict[str, Any]) -> None:
        ids["accession"] = accessions.create_accession(session, values=passport_values(
            ACCENAME="Blé de Champagne;Пшеница", REMARKS="COLLSITE:près du fleuve")).id
        ids["spare"] = accessions.create_accession(session, values=passport_values(
            ACCENUMB="KZ-0002", GENUS="Hordeum", CROPNAME="barley")).id

    def update(session: Session, ids: dict[str, Any]) -> None:
        current = accessions.get_passport(session, ids["accession"])
        accessions.update_accession(session, ids["accession"],
                                    expected_version=current.version,
                                    values=passport_values(ACCENAME="Пшеница", ORIGCTY="FRA",
                                                           SPECIES="durum"))

    def withdraw(session: Session, ids: dict[str, Any]) -> None:
        withdrawals.withdraw_accession(session, ids["accession"], on=TODAY,
                                       reason="duplicate", other=ids["spare"], note="même")

    def reinstate(session: Session, ids: dict[str, Any]) -> None:
        withdrawals.reinstate_accession(session, ids["accession"], reason="erreur")

    def delete(session: Session, ids: dict[str, Any]) -> None:
        version = accessions.get_passport(session, ids["spare"]).version
        accessions.delete_accession(session, ids["spare"], expected_version=version)

    return [("create accessions", create), ("update an accession", update),
            ("withdraw an accession", withdraw), ("reinstate it", reinstate),
            ("delete an accession", delete)]


def _conservation_steps() -> list[tuple[str, Step]]:
    def locations(session: Session, ids: dict[str, Any]) -> None:
        ids["store"] = places.add_location(session, "Chambre froide 1", storage_type="base",
                                           temperature_c=-18)
        ids["shelf"] = places.add_location(session, "Étagère A", parent_id=ids["store"])
        ids["box"] = places.add_location(session, "Box 7")
        places.move_location(session, ids["box"], ids["store"])
        places.edit_location(session, ids["box"], name="Boîte 7", storage_type="base",
                             humidity_rh=15)
        places.remove_location(session, places.add_location(session, "Vide"))

    def lot(session: Session, ids: dict[str, Any]) -> None:
        ids["lot"] = seed_lots.create_lot(session, accession_id=ids["accession"],
                                          lot_number="L-0001", storage_type="base",
                                          stored_on=dt.date(2025, 1, 15), seeds=5000,
                                          location_id=ids["shelf"], today=TODAY)

    def ledger(session: Session, ids: dict[str, Any]) -> None:
        seed_lots.withdraw(session, ids["lot"], kind="distributed", on=TODAY, seeds=250,
                           reason="SMTA 2026-17", today=TODAY)
        seed_lots.correct(session, ids["lot"], on=TODAY, seeds=-3, reason="recount",
                          today=TODAY)
        seed_lots.move(session, ids["lot"], to_location_id=ids["box"], on=TODAY, today=TODAY)
        seed_lots.set_thousand_seed_weight(session, ids["lot"], weight_g=41.5)

    def tests(session: Session, ids: dict[str, Any]) -> None:
        seed_tests.record_germination(session, ids["lot"], tested_on=dt.date(2025, 2, 1),
                                      replicates=[Replicate(100, 95, 3, 2)], today=TODAY)
        ids["test"] = seed_tests.start_germination(session, ids["lot"],
                                                   tested_on=dt.date(2026, 11, 1),
                                                   sown=[50, 50], today=TODAY)
        seed_tests.complete_germination(
            session, ids["test"], replicates=[Replicate(50, 45, 3, 2), Replicate(50, 44, 1, 5)],
            counted_on=dt.date(2026, 11, 10), today=TODAY)
        seed_tests.record_moisture(session, ids["lot"], tested_on=TODAY, moisture_pct=5.5,
                                   today=TODAY)

    def regeneration(session: Session, ids: dict[str, Any]) -> None:
        event = regenerations.plan_regeneration(session, source_lot_id=ids["lot"],
                                                site="Almaty field 3",
                                                planned_on=dt.date(2026, 4, 1), seeds=150,
                                                today=TODAY)
        regenerations.record_sowing(session, event, sown_on=dt.date(2026, 4, 10), plants=60)
        regenerations.record_harvest(session, event, harvested_on=dt.date(2026, 8, 20),
                                     lot_number="L-0002", storage_type="base", seeds=9000,
                                     today=TODAY)
        failed = regenerations.plan_regeneration(session, source_lot_id=ids["lot"],
                                                 site="Site 2", planned_on=TODAY, seeds=10,
                                                 today=TODAY)
        regenerations.record_failure(session, failed, notes="grêle", on=TODAY, today=TODAY)

    def duplicate(session: Session, ids: dict[str, Any]) -> None:
        sent = regenerations.send_safety_duplicate(session, lot_id=ids["lot"],
                                                   institute_code="NOR051", sent_on=TODAY,
                                                   seeds=500, box_reference="B-17",
                                                   today=TODAY)
        regenerations.set_duplicate_status(session, sent, "confirmed", on=TODAY, today=TODAY)

    def rules(session: Session, ids: dict[str, Any]) -> None:
        crop_rules.set_rule(session, "Triticum", base_test_interval_years=7)
        crop_rules.rejudge(session)

    def settings(session: Session, ids: dict[str, Any]) -> None:
        own_institutes.set_own_instcodes(session, ["KAZ001", "kaz002"])
        import_mappings.save_mapping(session, kind="passport", name="Пример",
                                     columns={"Номер": "ACCENUMB"})
        import_mappings.save_mapping(session, kind="passport", name="temporaire",
                                     columns={"Numéro": "ACCENUMB"})
        import_mappings.delete_mapping(session, name="temporaire")

    def discard(session: Session, ids: dict[str, Any]) -> None:
        seed_lots.discard(session, ids["lot"], on=TODAY, reason="moisi", today=TODAY)

    return [("storage locations", locations), ("a lot", lot), ("ledger lines", ledger),
            ("seed tests", tests), ("a regeneration", regeneration),
            ("a safety duplicate", duplicate), ("a crop rule", rules),
            ("settings and mappings", settings), ("a discard", discard)]


def _training_steps() -> list[tuple[str, Step]]:
    def course(session: Session, ids: dict[str, Any]) -> None:
        programme = courses.add_programme(session, name="Banques de gènes",
                                          sponsor="IOFS")
        courses.save_programme(session, programme, name="Banques de gènes nationales",
                               sponsor="IOFS", description="", min_attendance_pct=75,
                               certificate_prefix="GB")
        ids["course"] = courses.save_course(
            session, programme_id=programme, title="Gestion", start_on=START,
            end_on=START + dt.timedelta(days=4), venue_city="Almaty", venue_country="KAZ")
        courses.save_course(session, programme_id=programme, course_id=ids["course"],
                            title="Gestion d'une banque de gènes", hours=30)

    def people(session: Session, ids: dict[str, Any]) -> None:
        ids["amina"] = participants.save_participant(
            session, full_name="Amina Haddad", original_name="أمينة حداد", gender="female",
            country="MAR", email="amina@example.org")
        ids["twin"] = participants.save_participant(
            session, full_name="Amina Hadad", gender="female", country="MAR",
            phone="+212 600 000 000")
        ids["other"] = participants.save_participant(
            session, full_name="Алия Нурланова", gender="female", country="KAZ")
        participants.save_participant(session, participant_id=ids["other"],
                                      full_name="Aliya Nurlanova", original_name="Алия",
                                      gender="female", country="KAZ")

    def enrol(session: Session, ids: dict[str, Any]) -> None:
        for person in ("amina", "twin", "other"):
            ids[f"{person}_enrolment"] = enrolments.enrol(
                session, course_id=ids["course"], participant_id=ids[person])
        for day in range(5):
            on = START + dt.timedelta(days=day)
            enrolments.set_attendance(session, ids["amina_enrolment"], on, True, today=TODAY)
            enrolments.set_attendance(session, ids["twin_enrolment"], on, day < 2,
                                      today=TODAY)
        enrolments.set_attendance(session, ids["twin_enrolment"], START, False, today=TODAY)
        enrolments.set_scores(session, ids["amina_enrolment"], pre_test=40, post_test=85)
        enrolments.set_status(session, ids["amina_enrolment"], "completed")
        enrolments.withdraw_enrolment(session, ids["other_enrolment"])

    def certificate(session: Session, ids: dict[str, Any]) -> None:
        certificates.issue(session, ids["amina_enrolment"], on=TODAY, today=TODAY)

    def merge(session: Session, ids: dict[str, Any]) -> None:
        participants.merge(session, keep_id=ids["amina"], merge_id=ids["twin"])

    def erase(session: Session, ids: dict[str, Any]) -> None:
        participants.erase(session, ids["amina"])

    return [("a course", course), ("participants", people), ("enrolments", enrol),
            ("a certificate", certificate), ("a merge", merge), ("an erasure", erase)]


def _write_sheet(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)  # type: ignore[union-attr]
    book.save(path)
    return path


def test_every_service_leaves_history_for_every_row_it_changes(database: db.Database,
                                                                tmp_path: Path) -> None:
    """Forms, ledger, tests, regenerations, rules, settings, training, merge, erasure."""
    ids: dict[str, Any] = {}
    for name, step in [*_accession_steps(), *_conservation_steps(), *_training_steps()]:
        before, mark = snapshot(database.engine), last_entry(database.engine)
        with database.session_factory.begin() as session:
            step(session, ids)
        after = snapshot(database.engine)
        assert before != after, name
        assert missing_history(before, after, entries_after(database.engine, mark)) == [], name


def test_command_line_imports_leave_history(database: db.Database, tmp_path: Path) -> None:
    """import-mcpd (new and --update), import-tests and import-participants."""
    url = database.url
    sheets = [
        ["import-mcpd", str(_write_sheet(tmp_path / "passport.xlsx", [
            ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACCENAME", "ORIGCTY", "STORAGE"],
            ["KAZ001", "KZ-1", "Triticum", "aestivum", "Пшеница озимая;Ак бидай", "KAZ", 13],
            ["KAZ001", "KZ-2", "Hordeum", "vulgare", "Orge de printemps", "FRA", "12;13"]]))],
        ["import-mcpd", "--update", str(_write_sheet(tmp_path / "update.xlsx", [
            ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY", "ACCENAME"],
            ["KAZ001", "KZ-1", "Triticum", "UZB", "Пшеница"]]))],
    ]
    for argv in sheets:
        before, mark = snapshot(database.engine), last_entry(database.engine)
        assert cli.main(["--database", url, *argv]) == 0
        written = entries_after(database.engine, mark)
        assert missing_history(before, snapshot(database.engine), written) == []
        assert {e["operation"] for e in written} == {"import"}
        assert len({e["import_log_id"] for e in written}) == 1
    with database.session_factory.begin() as session:
        seed_lots.create_lot(session, accession_id=accessions.find_accession_id(
            session, instcode="KAZ001", accenumb="KZ-1") or 0, lot_number="L-7",
            storage_type="base", stored_on=dt.date(2025, 1, 15), seeds=1000, today=TODAY)
    more = [
        ["import-tests", str(_write_sheet(tmp_path / "tests.xlsx", [
            ["Lot", "Tested on", "Sown", "Normal", "Abnormal", "Dead"],
            ["L-7", "2026-10-01", 100, 90, 5, 5]]))],
        ["import-participants", str(_write_sheet(tmp_path / "people.xlsx", [
            ["Full name", "Original name", "Gender", "Country", "E-mail"],
            ["Fatima Haddad", "فاطمة حداد", "female", "MAR", "fatima@example.org"],
            ["Ivan Petrov", "Иван Петров", "male", "RUS", ""]]))],
    ]
    for argv in more:
        before, mark = snapshot(database.engine), last_entry(database.engine)
        status = cli.main(["--database", url, *argv])
        after = snapshot(database.engine)
        assert status == 0, argv
        assert before != after, argv
        assert missing_history(before, after, entries_after(database.engine, mark)) == []



def test_the_demo_collection_added_and_removed_leaves_history(database: db.Database) -> None:
    """Bulk writes: every demo row created, then every one removed, has its entry (named,
    without copies of its values), as operation 'bulk'."""
    from genebank.demo import demo, demo_removal

    for work in (lambda session: demo.load_demo(session, accessions=30, today=TODAY),
                 demo_removal.remove_demo_records):
        before, mark = snapshot(database.engine), last_entry(database.engine)
        with database.session_factory.begin() as session:
            work(session)
        written = entries_after(database.engine, mark)
        after = snapshot(database.engine)
        assert before != after
        assert missing_history(before, after, written) == []
        assert {e["operation"] for e in written} == {"bulk"}

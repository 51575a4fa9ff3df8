"""Files named from data stay in the chosen folder: certificate prefixes are checked at the
service, every generated name is a checked part, and certificate numbering matches its own
prefix only."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import update

from genebank import db, problems
from genebank.io import file_names
from genebank.models import Programme
from genebank.services.refusals import Refused
from genebank.training import certificates, courses, enrolments
from tests.genebank.test_training import START, a_course, a_person

ISSUED_ON = dt.date(2026, 5, 16)


def completed(session, programme: int, name: str = "Aigerim Nurlanova") -> int:  # type: ignore[no-untyped-def]
    """A completed enrolment in a new course of ``programme``; returns the enrolment."""
    course = a_course(session, programme=programme, title=f"Course of {programme} {name}")
    enrolment = enrolments.enrol(session, course_id=course,
                                 participant_id=a_person(session, name))
    for day in range(5):
        enrolments.set_attendance(session, enrolment, START + dt.timedelta(days=day), True)
    enrolments.set_status(session, enrolment, "completed")
    return enrolment


BAD_PREFIXES = ["../../x", "..", "a/b", "a\\b", "C:", "A.B", "A-", "-A", "A--B", "A B", "A_B",
                "A\x00", "A\u202eB", "X" * 21]


def test_a_certificate_prefix_that_could_leave_the_folder_is_refused(
        database: db.Database) -> None:
    """add_programme and save_programme refuse such a prefix with a coded refusal."""
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="Autumn school",
                                          certificate_prefix="KZ-GB")
        for prefix in BAD_PREFIXES:
            with pytest.raises(Refused) as refused:
                courses.add_programme(session, name="Spring school", certificate_prefix=prefix)
            assert refused.value.code == "certificate_prefix_invalid"
            assert refused.value.params == {"prefix": prefix, "limit": 20}
            assert "IOFS" in str(refused.value)
            with pytest.raises(Refused, match="cannot be used"):
                courses.save_programme(session, programme, name="Autumn school", sponsor="",
                                       description="", min_attendance_pct=80,
                                       certificate_prefix=prefix)
        for prefix in ("IOFS", "ИОФС", "A1-2026", " GB "):  # any script, as typed, trimmed
            courses.save_programme(session, programme, name="Autumn school", sponsor="",
                                   description="", min_attendance_pct=80,
                                   certificate_prefix=prefix)
            assert courses.get_programme(session, programme).certificate_prefix == \
                prefix.strip()
    with database.session_factory() as session:
        assert [p.certificate_prefix for p in session.query(Programme)] == ["GB"]


def test_prefix_a_issues_after_prefix_a_2026_has(database: db.Database) -> None:
    """Prefix "A" numbers its own certificates once "A-2026" has issued A-2026-2026-00001."""
    with database.session_factory.begin() as session:
        longer = courses.add_programme(session, name="Longer", certificate_prefix="A-2026")
        short = courses.add_programme(session, name="Short", certificate_prefix="A")
        first = certificates.issue(session, completed(session, longer), on=ISSUED_ON)
        second = certificates.issue(session, completed(session, short, "Moussa Diallo"),
                                    on=ISSUED_ON)
        third = certificates.issue(session, completed(session, short, "Fatima Haddad"),
                                   on=ISSUED_ON)
        fourth = certificates.issue(session, completed(session, longer, "Ali Karimov"),
                                    on=ISSUED_ON)
    with database.session_factory() as session:
        numbers = {row.id: row.number for row in certificates.register(session)}
    assert [numbers[i] for i in (first, second, third, fourth)] == \
        ["A-2026-2026-00001", "A-2026-00001", "A-2026-00002", "A-2026-2026-00002"]


def test_a_stored_prefix_that_leaves_the_folder_writes_nothing(database: db.Database,
                                                                tmp_path: Path) -> None:
    """A prefix saved by an older version ('../../x') makes write_pdfs refuse, with nothing
    written outside (or inside) the chosen folder."""
    with database.session_factory.begin() as session:
        programme = courses.add_programme(session, name="Old school")
        enrolment = completed(session, programme)
        session.execute(update(Programme).values(certificate_prefix="../../x"))
        certificate = certificates.issue(session, enrolment, on=ISSUED_ON)
    chosen = tmp_path / "a" / "b" / "chosen"
    with database.session_factory() as session, \
            pytest.raises(file_names.UnsafeFileName) as refused:
        certificates.write_pdfs(session, [certificate], chosen)
    assert refused.value.code == "unsafe_file_name_separator"
    assert refused.value.params["reason"] == "separator"
    assert list(tmp_path.rglob("*.pdf")) == []


def test_a_link_in_the_folder_does_not_lead_the_pdf_outside(database: db.Database,
                                                            tmp_path: Path) -> None:
    """A symbolic link named like the certificate, pointing elsewhere, is not followed."""
    if not hasattr(os, "symlink"):
        pytest.skip("no symbolic links here")
    with database.session_factory.begin() as session:
        certificate = certificates.issue(
            session, completed(session, courses.add_programme(session, name="School")),
            on=ISSUED_ON)
    chosen, elsewhere = tmp_path / "chosen", tmp_path / "elsewhere"
    chosen.mkdir()
    elsewhere.mkdir()
    (chosen / "GB-2026-00001.pdf").symlink_to(elsewhere / "planted.pdf")
    with database.session_factory() as session, \
            pytest.raises(file_names.UnsafeFileName, match="outside"):
        certificates.write_pdfs(session, [certificate], chosen)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(("part", "reason"), [
    ("", "empty"), ("a/b", "separator"), ("a\\b", "separator"), ("a:b", "separator"),
    ("..", "dots"), ("a..b", "dots"), ("CON", "reserved"), ("con.pdf", "reserved"),
    ("LPT1", "reserved"), ("COM9.xlsx", "reserved"), ("name.", "trailing"),
    ("name ", "trailing"), (" name", "leading"), (".hidden", "leading"),
    ("a\tb", "control"), ("a\u202eb", "control"), ("é" * 101, "too_long")])
def test_unsafe_file_name_parts_are_named_with_their_reason(part: str, reason: str) -> None:
    """Each rule of a safe part refuses with its own reason; nothing is changed silently."""
    assert not file_names.is_safe_part(part)
    with pytest.raises(file_names.UnsafeFileName) as refused:
        file_names.safe_part(part)
    assert refused.value.params["reason"] == reason
    # one code per reason, so the GUI words the whole sentence, not a reason glued in
    assert refused.value.code == f"unsafe_file_name_{reason}"
    assert problems.english(refused.value.code, refused.value.params) == str(refused.value)
    assert str(refused.value).startswith(f"cannot write a file named '{part}': ")


@pytest.mark.parametrize("part", ["GB-2026-00001.pdf", "CONSOLE.pdf", "COM10", "ИОФС-2026",
                                  "گزارش\u200c.xlsx", "é" * 100])
def test_ordinary_file_name_parts_are_kept(part: str) -> None:
    assert file_names.safe_part(part) == part

"""Search terms are literal: '%', '_' and '\\' typed in any search box match only
themselves, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from genebank import db
from genebank.passport import accession_query, accessions, crops, institutes
from genebank.training import courses, participants
from tests.conftest import passport_values
from tests.genebank.test_training import a_course, a_person

# Each name holds one of the characters LIKE treats specially; its decoy matches the term
# only if that character is read as a wildcard (or, for '\', as an escape).
NAMES = {"%": ("Rate 100% Sure", "Rate 1000 Sure"),
         "_": ("Ana_Bel", "Anaxbel"),
         "\\": ("Back\\Slash", "Backslash")}
TERMS = {"%": "rate 100%", "_": "ana_b", "\\": "back\\s"}


@pytest.mark.parametrize("special", list(NAMES))
def test_participant_search_takes_wildcards_literally(database: db.Database,
                                                      special: str) -> None:
    """A participant search for 'ana_b' finds Ana_Bel, not Anaxbel; so for '%' and '\\'."""
    wanted, decoy = NAMES[special]
    with database.session_factory.begin() as session:
        a_person(session, wanted)
        a_person(session, decoy)
    with database.session_factory() as session:
        found = participants.find_participants(session, text=TERMS[special])
        assert [row.full_name for row in found] == [wanted]
        assert participants.count_participants(session, text=TERMS[special]) == 1
        inner = {"%": "100%", "_": "a_b", "\\": "k\\s"}[special]  # not a word's start
        assert [row.full_name for row in participants.find_participants(
            session, text=inner)] == ([wanted] if special == "%" else [])
        if special != "%":
            assert participants.find_participants(session, text="%") == []
        if special != "_":
            assert participants.find_participants(session, text="_") == []


def test_participant_search_by_e_mail_takes_wildcards_literally(database: db.Database) -> None:
    """'p_1' finds the person whose e-mail starts p_1@, not the one with px1@."""
    with database.session_factory.begin() as session:
        a_person(session, "Person One", email="p_1@example.org")
        a_person(session, "Person Two", email="px1@example.org")
    with database.session_factory() as session:
        assert [row.full_name for row in participants.find_participants(
            session, text="p_1")] == ["Person One"]


@pytest.mark.parametrize("special", list(NAMES))
def test_every_other_search_takes_wildcards_literally(database: db.Database,
                                                      special: str) -> None:
    """Courses, institutes, crop names and the accession search match '%', '_', '\\' as
    typed."""
    wanted, decoy = NAMES[special]
    with database.session_factory.begin() as session:
        a_course(session, title=wanted)
        a_course(session, title=decoy)
        for number, (crop, remark) in enumerate(((wanted, wanted), (decoy, decoy)), start=1):
            accessions.create_accession(session, values=passport_values(
                ACCENUMB=f"KZ-{number}", CROPNAME=crop, REMARKS=f"note:{remark}"))
        accessions.ensure_institute(session, "KAZ900")
        accessions.ensure_institute(session, "KAZ901")
    with database.session_factory() as session:
        term = TERMS[special]
        assert [row.title for row in courses.find_courses(session, text=term)] == [wanted]
        assert crops.crop_names(session, text=term) == [wanted]
        ids = accession_query.matching_ids(session, accession_query.AccessionFilter(text=term))
        assert len(ids) == 1
        assert institutes.find_institutes(session, text="KAZ90_").candidates == ()

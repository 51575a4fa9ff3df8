"""The institute directory searched by code or name, and the crop names in use."""

from __future__ import annotations

from sqlalchemy import func, select, update

from genebank import db
from genebank.models import Institute, Taxon
from genebank.passport import accessions, crops, institutes
from tests.conftest import passport_values


def a_collection(database: db.Database) -> None:
    with database.session_factory.begin() as session:
        accessions.create_accession(session, values=passport_values())
        accessions.create_accession(session, values=passport_values(
            ACCENUMB="KZ-0002", INSTCODE="UZB006", GENUS="Hordeum", SPECIES="vulgare",
            CROPNAME="barley"))
        accessions.create_accession(session, values=passport_values(
            ACCENUMB="KZ-0003", GENUS="Hordeum", SPECIES="vulgare", CROPNAME="Malting barley"))
        for code, name in (("KAZ001", "Kazakh Research Institute of Agriculture"),
                           ("UZB006", "Uzbek Research Institute of Plant Industry")):
            session.execute(update(Institute).where(Institute.code == code).values(name=name))


def test_an_institute_is_found_by_code_in_any_case(database: db.Database) -> None:
    """"kaz001" is the directory's KAZ001."""
    a_collection(database)
    with database.session_factory() as session:
        found = institutes.find_institutes(session, text="kaz001")
    assert found.code == "KAZ001" and found.problem is None and found.new_code is None


def test_part_of_a_name_offers_candidates_and_chooses_none(database: db.Database) -> None:
    """"research institute" is in two names: both offered, neither taken."""
    a_collection(database)
    with database.session_factory() as session:
        found = institutes.find_institutes(session, text="research institute")
    assert [row.code for row in found.candidates] == ["KAZ001", "UZB006"]
    assert found.code is None and found.problem is not None


def test_a_whole_name_in_any_case_is_its_institute(database: db.Database) -> None:
    """The exact name, typed in lower case, is that institute."""
    a_collection(database)
    with database.session_factory() as session:
        found = institutes.find_institutes(
            session, text="uzbek research institute of plant industry")
    assert found.code == "UZB006"


def test_a_new_well_formed_code_may_be_typed(database: db.Database) -> None:
    """A WIEWS code that the local directory lacks is accepted as new; other text is not."""
    a_collection(database)
    with database.session_factory() as session:
        new = institutes.find_institutes(session, text="jor 005")
        wrong = institutes.find_institutes(session, text="NARC Amman")
    assert (new.code, new.new_code) == ("JOR005", "JOR005")
    assert wrong.code is None and "nor a WIEWS code" in (wrong.problem or "")


def test_crop_names_in_use_begin_with_the_typed_text_first(database: db.Database) -> None:
    """"bar" offers "barley" before "Malting barley"; empty text offers every name."""
    a_collection(database)
    with database.session_factory() as session:
        assert crops.crop_names(session, text="bar") == ["barley", "Malting barley"]
        assert crops.crop_names(session) == ["barley", "bread wheat", "Malting barley"]


def test_a_corrected_crop_name_is_no_longer_suggested(database: db.Database) -> None:
    """A technician typed "bareley", then corrected it to "barley": only "barley" is offered,
    though the misspelt taxon row is still in the table."""
    with database.session_factory.begin() as session:
        saved = accessions.create_accession(session, values=passport_values(
            GENUS="Hordeum", SPECIES="vulgare", CROPNAME="bareley"))
    with database.session_factory() as session:
        assert crops.crop_names(session, text="bar") == ["bareley"]
    with database.session_factory.begin() as session:
        accessions.update_accession(session, saved.id, expected_version=saved.version,
                                    values=passport_values(GENUS="Hordeum", SPECIES="vulgare",
                                                           CROPNAME="barley"))
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Taxon)) == 2
        assert crops.crop_names(session, text="bar") == ["barley"]
        assert crops.crop_names(session) == ["barley"]

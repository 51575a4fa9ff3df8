"""Creating, reading, changing and deleting accessions through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, Table, event, func, select

from genebank import db
from genebank.models import Accession, AccessionName, Base, Institute, Taxon
from genebank.passport import accessions
from genebank.services.errors import ConcurrentEdit, HasDependents, NotFound, ValidationFailed
from tests.conftest import passport_values


def create(database: db.Database, **overrides: object) -> accessions.SavedAccession:
    with database.session_factory.begin() as session:
        return accessions.create_accession(session, values=passport_values(**overrides))


def test_create_and_read_back_every_descriptor(database: db.Database) -> None:
    """A full passport is stored canonically and read back the same, with audit data."""
    raw = passport_values(
        PUID="10.18730/5N2PQ", COLLNUMB="FM9909", COLLCODE="KAZ001;KAZ002",
        COLLMISSID="CN426", SUBTAXA="subsp. aestivum", SUBTAUTHOR="L.",
        ACCENAME="Bogatyr;Symphony", COLLSITE="7 km south of Almaty",
        DECLATITUDE="43.1833", LATITUDE="431100N", DECLONGITUDE="76.9167",
        LONGITUDE="0765500E", COORDUNCERT="500", COORDDATUM="WGS84", GEOREFMETH="GPS",
        ELEVATION="850", COLLDATE="1975----", BREDNAME="A. Breeder", ANCEST="Hanna/7*Atlas",
        COLLSRC="26", DONORCODE="TUR001", DONORNUMB="TR 123", OTHERNUMB="NLD037:CGN1;:X-9",
        DUPLSITE="NOR051", STORAGE="13;20", REMARKS="COLLSRC:village store")
    saved = create(database, **raw)
    assert saved.version == 1
    with database.session_factory() as session:
        passport = accessions.get_passport(session, saved.id)
    v = passport.values
    assert v["ACCENAME"] == ["Bogatyr", "Symphony"]
    assert v["COLLCODE"] == ["KAZ001", "KAZ002"]
    assert v["STORAGE"] == [13, 20]
    assert v["OTHERNUMB"] == ["NLD037:CGN1", ":X-9"]
    assert v["DUPLSITE"] == ["NOR051"]
    assert v["BREDNAME"] == ["A. Breeder"]
    assert v["LATITUDE"] == "431100N" and v["DECLATITUDE"] == pytest.approx(43.1833)
    assert v["COLLDATE"] == "1975----" and v["ELEVATION"] == 850.0
    assert v["SUBTAXA"] == "subsp. aestivum" and v["CROPNAME"] == "bread wheat"
    assert passport.created_by == "tester" and passport.updated_by == "tester"


def test_accessions_share_taxa_and_institutes(database: db.Database) -> None:
    """Two wheat accessions share one taxon row; a new institute code is added once."""
    create(database, ACCENUMB="A1")
    create(database, ACCENUMB="A2")
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Taxon)) == 1
        assert session.scalar(select(func.count()).where(Institute.code == "KAZ001")) == 1


def test_invalid_input_is_never_saved(database: db.Database) -> None:
    """Errors name the fields; nothing reaches the database."""
    with pytest.raises(ValidationFailed) as failure:
        create(database, GENUS="", ORIGCTY="XYZ", ACQDATE="19751301")
    assert {p.field for p in failure.value.problems} == {"GENUS", "ORIGCTY", "ACQDATE"}
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Accession)) == 0


def test_duplicate_accession_number_is_refused(database: db.Database) -> None:
    """The same INSTCODE + ACCENUMB twice is refused on the ACCENUMB field, any letter case."""
    create(database, ACCENUMB="KZ-7")
    with pytest.raises(ValidationFailed, match="already has an accession") as failure:
        create(database, ACCENUMB="kz-7")
    assert failure.value.problems[0].field == "ACCENUMB"
    create(database, ACCENUMB="KZ-7", INSTCODE="UZB001")  # another institute may use it


def test_update_replaces_the_passport_and_bumps_the_version(database: db.Database) -> None:
    """An update stores the new values, replaces multi-values and increments the version."""
    saved = create(database, ACCENAME="Old;Older", STORAGE="13")
    with database.session_factory.begin() as session:
        updated = accessions.update_accession(
            session, saved.id, expected_version=saved.version,
            values=passport_values(ACCENAME="New", STORAGE="12;13", ORIGCTY="UZB"))
    assert updated.version == saved.version + 1
    with database.session_factory() as session:
        v = accessions.get_passport(session, saved.id).values
        assert v["ACCENAME"] == ["New"] and v["STORAGE"] == [12, 13] and v["ORIGCTY"] == "UZB"
        assert session.scalar(select(func.count()).select_from(AccessionName)) == 1
        assert session.get(Accession, saved.id).first_name == "New"


def test_an_edit_that_lost_a_race_is_refused(database: db.Database) -> None:
    """Saving over a newer version tells who changed it instead of overwriting."""
    saved = create(database)
    with database.session_factory.begin() as session:
        accessions.update_accession(session, saved.id, expected_version=1,
                                    values=passport_values(ACCENAME="First edit"))
    with pytest.raises(ConcurrentEdit, match="changed by tester"), \
            database.session_factory.begin() as session:
        accessions.update_accession(session, saved.id, expected_version=1,
                                    values=passport_values(ACCENAME="Second edit"))
    with database.session_factory() as session:
        assert accessions.get_passport(session, saved.id).values["ACCENAME"] == ["First edit"]


def test_delete_removes_the_accession_and_its_children(database: db.Database) -> None:
    """Deleting removes names, storage and other child rows with it."""
    saved = create(database, ACCENAME="A;B", DUPLSITE="NOR051")
    with database.session_factory.begin() as session:
        accessions.delete_accession(session, saved.id, expected_version=saved.version)
    with database.session_factory() as session:
        assert session.get(Accession, saved.id) is None
        assert session.scalar(select(func.count()).select_from(AccessionName)) == 0
        with pytest.raises(NotFound):
            accessions.get_passport(session, saved.id)


def test_delete_is_refused_while_other_records_depend_on_it(sqlite_database: db.Database) -> None:
    """A table added later that refers to accessions (e.g. seed lots) blocks deletion."""
    lots = Table("seed_lot_example", Base.metadata,
                 Column("id", Integer, primary_key=True),
                 Column("accession_id", ForeignKey("accession.id")))
    try:
        lots.create(sqlite_database.engine)
        saved = create(sqlite_database)
        with sqlite_database.session_factory.begin() as session:
            session.execute(lots.insert().values(accession_id=saved.id))
        with pytest.raises(HasDependents, match=r"depend on it \(seed lot example: 1\)"), \
                sqlite_database.session_factory.begin() as session:
            accessions.delete_accession(session, saved.id, expected_version=saved.version)
    finally:
        Base.metadata.remove(lots)


def test_copy_values_leave_out_the_identity(database: db.Database) -> None:
    """Duplicating an accession copies everything except its number and PUID."""
    saved = create(database, PUID="10.1/x")
    with database.session_factory() as session:
        values = accessions.copy_values(accessions.get_passport(session, saved.id))
    assert "ACCENUMB" not in values and "PUID" not in values
    assert values["GENUS"] == "Triticum"


def test_saving_the_values_stored_changes_nothing(database: db.Database) -> None:
    """The form saved untouched: no new version, no new "last changed"; a real change does."""
    raw = passport_values(
        COLLNUMB="FM9909", COLLCODE="KAZ001;KAZ002", ACCENAME="Bogatyr;Symphony",
        DECLATITUDE="43.1833", LATITUDE="431100N", DECLONGITUDE="76.9167",
        LONGITUDE="0765500E", ELEVATION="850", COLLDATE="1975----", BREDNAME="A. Breeder",
        OTHERNUMB="NLD037:CGN1;:X-9", DUPLSITE="NOR051", STORAGE="13;20",
        REMARKS="COLLSRC:village store", COLLSRC="26")
    saved = create(database, **raw)
    with database.session_factory() as session:
        before = accessions.get_passport(session, saved.id)
    written: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not statement.lstrip().upper().startswith("SELECT"):
            written.append(statement)

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        with database.session_factory.begin() as session:
            again = accessions.update_accession(session, saved.id, expected_version=1,
                                                values=raw)
    finally:
        event.remove(database.engine, "before_cursor_execute", note)
    assert (again.version, again.changed) == (1, False)
    with database.session_factory() as session:
        after = accessions.get_passport(session, saved.id)
    assert (after.version, after.updated_at, after.values) == \
        (before.version, before.updated_at, before.values)
    assert [s for s in written if "accession" in s] == []  # nothing written again
    with database.session_factory.begin() as session:
        changed = accessions.update_accession(session, saved.id, expected_version=1,
                                              values={**raw, "ELEVATION": "851"})
    assert (changed.version, changed.changed) == (2, True)

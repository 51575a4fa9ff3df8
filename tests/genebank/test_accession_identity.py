"""One identity per accession: the key, the form's refusal, and the database's guard."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from genebank import db
from genebank.mcpd.identity import accession_key
from genebank.models import Accession
from genebank.passport import accessions
from genebank.services.errors import ValidationFailed
from tests.conftest import passport_values


def create(database: db.Database, **values: object) -> accessions.SavedAccession:
    with database.session_factory.begin() as session:
        return accessions.create_accession(session, values=passport_values(**values))


@pytest.mark.parametrize(("typed", "stored"), [
    ("kz-0001", "KZ-0001"),
    ("ＫＺ－０００１", "KZ-0001"),  # a full-width keyboard
    ("  KZ-0001\u00a0", "KZ-0001"),  # pasted with a no-break space
    ("KZ  0001", "KZ 0001"),
    ("Straße-1", "STRASSE-1"),  # casefold, not lower()
])
def test_spellings_of_one_number_share_one_key(typed: str, stored: str) -> None:
    """Case, character width, surrounding and repeated spaces do not make another number."""
    assert accession_key("KAZ001", typed) == accession_key("kaz001", stored)


def test_different_numbers_and_institutes_keep_different_keys() -> None:
    """What tells numbers apart stays: punctuation, inner spaces, the institute, and no pair
    of parts spells another pair's key."""
    keys = {accession_key("KAZ001", "KZ-1"), accession_key("KAZ001", "KZ 1"),
            accession_key("KAZ001", "KZ1"), accession_key("UZB001", "KZ-1"),
            accession_key("A B", "C"), accession_key("A", "B C")}
    assert len(keys) == 6


def test_the_form_refuses_another_spelling_naming_the_stored_accession(
        database: db.Database) -> None:
    """Saving ＫＺ－7 (full width) or ' kz-7 ' while KZ-7 exists is refused on ACCENUMB,
    naming the stored number, on SQLite and PostgreSQL alike; nothing is added."""
    create(database, ACCENUMB="KZ-7")
    for typed in ("ＫＺ－7", "kz-7"):
        with pytest.raises(ValidationFailed) as refused:
            create(database, ACCENUMB=typed)
        problem = refused.value.problems[0]
        assert problem.field == "ACCENUMB"
        assert "numbered KZ-7" in problem.message
    with database.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Accession)) == 1
        assert accessions.find_accession_id(session, instcode="kaz001",
                                            accenumb="ｋｚ-7") is not None


def test_renumbering_moves_the_key(database: db.Database) -> None:
    """The model keeps the key with the number: after KZ-7 becomes KZ-8, KZ-7 is free and
    kz-8 is taken."""
    saved = create(database, ACCENUMB="KZ-7")
    with database.session_factory.begin() as session:
        accessions.update_accession(session, saved.id, expected_version=saved.version,
                                    values=passport_values(ACCENUMB="KZ-8"))
    with database.session_factory() as session:
        assert session.scalar(select(Accession.identity_key)) == "kaz001\tkz-8"
    create(database, ACCENUMB="KZ-7")
    with pytest.raises(ValidationFailed, match="numbered KZ-8"):
        create(database, ACCENUMB="kz-8")


def test_the_database_guards_the_key_when_the_check_is_passed(
        database: db.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workstations saving kz-7 and KZ-7 at the same moment both pass the check; the
    unique key refuses the second with a message, not a database error."""
    create(database, ACCENUMB="KZ-7")
    monkeypatch.setattr(accessions, "_refuse_duplicate", lambda *_args, **_kwargs: None)
    with pytest.raises(ValidationFailed, match="saved as a new accession by someone else"):
        create(database, ACCENUMB="kz-7")
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO accession (instcode, accenumb, identity_key, taxon_id, created_at, "
            "created_by, updated_at, updated_by, version) SELECT instcode, 'ＫＺ-7', "
            "identity_key, taxon_id, created_at, '', updated_at, '', 1 FROM accession"))

"""What each person may read of the history (issue 15): a participant's story holds personal
data, so only people who may read personal data read it, in the windows and on the
command line; the others read every other story. On both databases."""

from __future__ import annotations

import contextlib
import datetime as dt
import io

import pytest

from genebank import cli, db
from genebank.history import queries
from genebank.models.base import utcnow
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.training import participants
from genebank.users import accounts
from genebank.users.actor import Actor, work_as
from genebank.users.roles import Role
from tests.conftest import passport_values

pytestmark = pytest.mark.usefixtures("server_accounts")

ADMIN = Actor(1, "amina", frozenset({Role.ADMINISTRATOR, Role.CURATOR}))
VIEWER = Actor(2, "viola", frozenset({Role.VIEWER}))
TRAINER = Actor(3, "tolkyn", frozenset({Role.TRAINER}))
SINCE = [dt.datetime(2000, 1, 1)]  # when the test's own story began


@pytest.fixture
def people(database: db.Database) -> tuple[db.Database, int]:
    """An accession, a participant, and three people; the participant's id. (A server's
    history outlives each test's TRUNCATE: it is append-only; tests read from SINCE on.)"""
    SINCE[0] = utcnow() - dt.timedelta(seconds=1)
    with database.session_factory.begin() as session:
        accounts.create_first_administrator(session, name="amina", password="first pass 1",
                                            roles=ADMIN.roles)
    with database.session_factory.begin() as session:
        work_as(session, ADMIN)
        accounts.add_user(session, name="viola", roles=VIEWER.roles, password="viewer 22")
        accounts.add_user(session, name="tolkyn", roles=TRAINER.roles, password="trainer 3")
    with database.session_factory.begin() as session:
        work_as(session, TRAINER)
        person = participants.save_participant(session, full_name="Aigerim Nurlanovna",
                                               email="aigerim@example.kz", country="KAZ")
    with database.session_factory.begin() as session:
        work_as(session, ADMIN)
        accessions.create_accession(session, values=passport_values())
    return database, person


def test_a_viewer_reads_every_story_but_a_participants(people: tuple[db.Database, int]) -> None:
    """readable_changes leaves the participants' stories out for a viewer only; their
    history is refused to the viewer and read by the trainer and the administrator."""
    database, person = people
    with database.session_factory() as session:
        work_as(session, ADMIN)
        everything = queries.readable_changes(session, since=SINCE[0])
        work_as(session, VIEWER)
        seen = queries.readable_changes(session, since=SINCE[0])
        assert queries.readable_changes(session, subject_type="participant") == []
        assert [e.subject_key for e in queries.readable_changes(
            session, subject_type="accession", since=SINCE[0])] == ["KAZ001:KZ-0001"]
        with pytest.raises(Refused) as refused:
            queries.readable_participant_history(session, person)
        assert refused.value.code == "not_allowed"
        assert refused.value.params["right"] == "read_personal_data"
        for reader in (TRAINER, ADMIN):
            work_as(session, reader)
            story = [e for e in queries.readable_participant_history(session, person)
                     if e.at >= SINCE[0]]
            assert story and story[0].fields[0].new == "Aigerim Nurlanovna"
    assert "participant" in {e.subject_type for e in everything}
    assert [e.id for e in seen] == [e.id for e in everything
                                    if e.subject_type != "participant"]
    assert "Aigerim" not in repr(seen)


def test_history_people_lists_the_names(people: tuple[db.Database, int]) -> None:
    """The person filter's names: every user, for every role."""
    database, _person = people
    with database.session_factory() as session:
        work_as(session, VIEWER)
        assert queries.history_people(session) == ["amina", "tolkyn", "viola"]


def test_the_command_line_keeps_participants_from_a_viewer(
        people: tuple[db.Database, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """`genebank --user viola history` prints no participant's story; the trainer's does."""
    database, _person = people

    def printed(name: str, password: str) -> str:
        monkeypatch.setenv("GENEBANK_PASSWORD", password)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main(["--database", database.url, "--user", name, "history"]) == 0
        return out.getvalue()

    if not database.is_sqlite:
        pytest.skip("on a server the login roles sign in after set-up, and row-level security "
                    "hides the stories: test_server_roles.py checks it there")
    viewer = printed("viola", "viewer 22")
    assert "KAZ001:KZ-0001" in viewer and " participant " not in viewer
    assert "participants' changes are not shown" in viewer
    assert "Aigerim" not in viewer
    assert "Aigerim" in printed("tolkyn", "trainer 3")

"""The server's grants let every writing service do its work (issue 15): on a set-up server
database, each step of ``test_history_complete`` (and the corrections, voids, undo of an
import, demo removal, crop-rule recompute and the command-line imports) runs as the login
role of a person holding exactly one Genebank role: the least-privileged role the app
itself lets do the step. The server must not refuse it (42501): a map entry too tight for
a service would leave a person with a server refusal for work Genebank let them start.

Nothing here names a table: the grants come from ``genebank.users.server_grants`` as the
set-up makes them, and the services write whatever tables they write (a new history table
included), so a table a service writes that its right's map entry does not cover fails
here. What each role's statements wrote is recorded and compared with the map too
(``test_every_write_made_is_one_the_map_grants``).

CI's server trusts local connections: privileges are checked, not passwords.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from genebank import cli, server_roles
from genebank.conservation import corrections, seed_lots
from genebank.models import GerminationTest, ImportLog, LotTransaction, MoistureTest
from genebank.services.refusals import Refused
from genebank.training import certificates
from genebank.users import accounts, server_grants
from genebank.users.actor import Actor, work_as
from genebank.users.roles import RIGHTS, Role
from tests.genebank import test_history_complete as complete
from tests.server_team import set_up_server

pytestmark = pytest.mark.postgres

# One person per role; the least-privileged first, so a step runs as the fewest rights
# that the app lets do it.
PEOPLE = {role: f"pgfix_{role.value}" for role in
          sorted(Role, key=lambda role: (len(RIGHTS[role]), role.value))}
PASSWORD = "pgfix-secret-1"
TODAY = complete.TODAY

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM|COPY)\s+"?(\w+)"?', re.IGNORECASE)
VERB = {"INSERT INTO": "INSERT", "UPDATE": "UPDATE", "DELETE FROM": "DELETE", "COPY": "INSERT"}


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, Any]]:
    """A fresh database set up by the DBA, with one person per Genebank role; dropped with
    its roles after."""
    with set_up_server("gb_pgfix", administrator=(PEOPLE[Role.ADMINISTRATOR], PASSWORD),
                       people={name: (role, PASSWORD) for role, name in PEOPLE.items()
                               if role is not Role.ADMINISTRATOR}) as made:
        url, prefix = made.url, made.prefix
        used: dict[Role, set[tuple[str, str]]] = {role: set() for role in Role}
        logins = {server_roles.login_role(prefix, accounts.name_key(name)): role
                  for role, name in PEOPLE.items()}

        def record(conn: Connection, _cursor: object, statement: str, *_: object) -> None:
            role = logins.get(conn.engine.url.username or "")
            found = WRITE.match(statement)
            if role is not None and found:
                used[role].add((found.group(2).lower(), VERB[found.group(1).upper()]))

        # every engine: the command line's too, which connects as the person by itself
        event.listen(Engine, "before_cursor_execute", record)
        engines = {role: _engine(url, prefix, name) for role, name in PEOPLE.items()}
        try:
            yield {"url": url, "prefix": prefix, "database": made.database, "engines": engines,
                   "used": used}
        finally:
            event.remove(Engine, "before_cursor_execute", record)
            for engine in engines.values():
                engine.dispose()


def _engine(url: str, prefix: str, name: str) -> Engine:
    """The person's login connection (trust: no password)."""
    return create_engine(make_url(server_roles.login_url(url, prefix, name, None))
                         .set(drivername="postgresql+psycopg"))


def _signed_in(server: dict[str, Any], role: Role) -> sessionmaker[Session]:
    """A session factory as the window makes it once this person signed in."""
    factory = sessionmaker(server["engines"][role], info={"user": PEOPLE[role]})
    with factory() as session:
        actor = accounts.sign_in(session, name=PEOPLE[role], password="")
    factory.configure(info={"user": actor.name, "actor": actor})
    return factory


def _run_as_least(server: dict[str, Any], name: str, step: complete.Step,
                  ids: dict[str, Any]) -> Role:
    """Run ``step`` as the first person (fewest rights first) the app lets do it; the
    server must let them too. Returns their role."""
    for role in PEOPLE:
        factory = _signed_in(server, role)
        trial = dict(ids)
        try:
            with factory.begin() as session:
                step(session, trial)
        except Refused as refused:
            if refused.code == "not_allowed":
                continue  # the app refuses this role: try one with more rights
            raise
        except DBAPIError as error:
            state = getattr(error.orig, "sqlstate", None)
            if state == "42501":
                pytest.fail(f"{name!r}: the server refused the {role.value} "
                            f"({PEOPLE[role]}), whom Genebank lets do it: {error.orig}")
            raise
        ids.update(trial)
        return role
    pytest.fail(f"{name!r}: nobody may do it")


def _corrections_steps() -> list[tuple[str, complete.Step]]:
    def conservation(session: Session, ids: dict[str, Any]) -> None:
        withdrawn = session.scalars(select(LotTransaction.id).where(
            LotTransaction.lot_id == ids["lot"], LotTransaction.kind == "distributed")).one()
        corrections.correct_ledger_line(session, withdrawn, reason="wrong count",
                                        seeds=240)
        recount = session.scalars(select(LotTransaction.id).where(
            LotTransaction.lot_id == ids["lot"], LotTransaction.kind == "correction",
            LotTransaction.voided_at.is_(None))).one()
        corrections.void_ledger_line(session, recount, reason="typed twice")
        corrections.void_germination_test(session, ids["test"], reason="wrong lot")
        first = session.scalars(select(GerminationTest.id).where(
            GerminationTest.lot_id == ids["lot"], GerminationTest.id != ids["test"])).first()
        assert first is not None
        corrections.correct_germination_test(
            session, first, tested_on=dt.date(2025, 2, 2),
            replicates=[complete.Replicate(100, 96, 2, 2)], reason="date", today=TODAY)
        moisture = session.scalars(select(MoistureTest.id).where(
            MoistureTest.lot_id == ids["lot"])).one()
        corrections.void_moisture_test(session, moisture, reason="scale off")

    def certificate(session: Session, ids: dict[str, Any]) -> None:
        from genebank.models import Certificate

        issued = session.scalars(select(Certificate.id).where(
            Certificate.enrolment_id == ids["amina_enrolment"])).one()
        ids["certificate"] = certificates.correct_certificate(
            session, issued, reason="name misspelt", on=TODAY, today=TODAY)
        certificates.void_certificate(session, ids["certificate"], reason="issued twice")

    return [("corrections and voids of conservation records", conservation),
            ("a certificate corrected and voided", certificate)]


def _steps() -> list[tuple[str, complete.Step]]:
    """test_history_complete's steps, with the corrections before what they need goes."""
    steps = [*complete._accession_steps(), *complete._conservation_steps(),
             *complete._training_steps()]
    names = [name for name, _ in steps]
    conservation, certificate = _corrections_steps()
    steps.insert(names.index("a discard"), conservation)
    steps.insert(names.index("a merge") + 1, certificate)
    return steps


def test_every_writing_service_is_let_through_by_the_server(server: dict[str, Any]) -> None:
    """Each step as the least-privileged person Genebank lets do it: no 42501."""
    ids: dict[str, Any] = {}
    done = {name: _run_as_least(server, name, step, ids) for name, step in _steps()}
    # the steps ran as the roles they are about, not all as the administrator
    assert done["create accessions"] is Role.CURATOR
    assert done["withdraw an accession"] is Role.CURATOR
    assert done["delete an accession"] is Role.ADMINISTRATOR
    assert done["storage locations"] is Role.SEED_LABORATORY
    assert done["corrections and voids of conservation records"] is Role.SEED_LABORATORY
    assert done["a crop rule"] is Role.ADMINISTRATOR
    assert done["a certificate corrected and voided"] is Role.TRAINER
    assert done["an erasure"] is Role.TRAINER


def _cli(server: dict[str, Any], role: Role, *argv: str) -> int:
    """The command line as this person (--user: their login role)."""
    return cli.main(["--database", server["url"], "--user", PEOPLE[role], *argv])


def test_command_line_imports_and_undo_are_let_through(
        server: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """import-mcpd and undo-import as the curator, import-tests as the seed laboratory,
    import-participants as the trainer: each on its own login connection."""
    monkeypatch.setenv("GENEBANK_PASSWORD", PASSWORD)
    passport = complete._write_sheet(tmp_path / "passport.xlsx", [
        ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "ACCENAME", "ORIGCTY", "STORAGE"],
        ["KAZ009", "KZ-91", "Triticum", "aestivum", "Пшеница озимая", "KAZ", 13],
        ["KAZ009", "KZ-92", "Hordeum", "vulgare", "Orge", "FRA", "12;13"]])
    assert _cli(server, Role.CURATOR, "import-mcpd", str(passport)) == 0, capsys.readouterr()
    update = complete._write_sheet(tmp_path / "update.xlsx", [
        ["INSTCODE", "ACCENUMB", "GENUS", "ORIGCTY"], ["KAZ009", "KZ-91", "Triticum", "UZB"]])
    assert _cli(server, Role.CURATOR, "import-mcpd", "--update", str(update)) == 0, \
        capsys.readouterr()
    factory = _signed_in(server, Role.SEED_LABORATORY)
    with factory.begin() as session:
        from genebank.passport import accessions

        seed_lots.create_lot(session, accession_id=accessions.find_accession_id(
            session, instcode="KAZ009", accenumb="KZ-91") or 0, lot_number="L-91",
            storage_type="base", stored_on=dt.date(2025, 1, 15), seeds=1000, today=TODAY)
    tests = complete._write_sheet(tmp_path / "tests.xlsx", [
        ["Lot", "Tested on", "Sown", "Normal", "Abnormal", "Dead"],
        ["L-91", "2026-10-01", 100, 90, 5, 5]])
    assert _cli(server, Role.SEED_LABORATORY, "import-tests", str(tests)) == 0, \
        capsys.readouterr()
    people = complete._write_sheet(tmp_path / "people.xlsx", [
        ["Full name", "Original name", "Gender", "Country", "E-mail"],
        ["Fatima Haddad", "فاطمة حداد", "female", "MAR", "fatima@example.org"],
        ["Ivan Petrov", "Иван Петров", "male", "RUS", ""]])
    assert _cli(server, Role.TRAINER, "import-participants", str(people)) == 0, \
        capsys.readouterr()
    with server["database"].session_factory() as session:
        imports = session.scalars(select(ImportLog.id).order_by(ImportLog.id)).all()
    capsys.readouterr()
    # the update first, then the import that created the two accessions (one has a lot:
    # the undo keeps it and says so; the other goes)
    for number in (imports[1], imports[0]):
        assert _cli(server, Role.CURATOR, "undo-import", str(number)) == 0, \
            capsys.readouterr()
    out = capsys.readouterr().out
    assert "undone by" in out
    with server["database"].engine.connect() as connection:
        left = connection.execute(text(
            "SELECT accenumb FROM accession WHERE instcode = 'KAZ009' ORDER BY 1")).scalars()
        assert list(left) == ["KZ-91"]


def test_the_demo_removed_by_an_administrator(server: dict[str, Any]) -> None:
    """The demo collection (loaded by the DBA) removed by the administrator's login: every
    table the demo fills is deleted from, history appended."""
    from genebank.demo import demo, demo_removal

    with server["database"].session_factory.begin() as session:
        work_as(session, Actor(None, "dba", frozenset(Role), unrestricted=True))
        demo.load_demo(session, accessions=20, today=TODAY)
    factory = _signed_in(server, Role.ADMINISTRATOR)
    try:
        with factory.begin() as session:
            removed = demo_removal.remove_demo_records(session)
    except DBAPIError as error:
        pytest.fail(f"the server refused the administrator's demo removal: {error.orig}")
    assert removed.accessions == 20
    with factory() as session:
        assert not demo_removal.has_demo_records(session)


def test_every_write_made_is_one_the_map_grants(server: dict[str, Any]) -> None:
    """Run after the tests above (same module): every (table, privilege) a person's
    statements used is in their role's map entry (the history's INSERT for every role
    that writes; every role may add to the history's two tables, a viewer's own password
    change is an entry too), so the map, not some grant made elsewhere, is what let them through;
    and each role that writes did write. What the map grants beyond what these services
    used is in the report (docs: too loose or not)."""
    used = server["used"]
    if not used[Role.CURATOR]:
        pytest.skip("run with the tests above")
    for role in Role:
        granted = {(table, privilege) for table, privileges in
                   server_grants.table_privileges(role).items() for privilege in privileges}
        granted |= {(table, "INSERT") for table in server_grants.HISTORY_TABLES}
        if server_grants.writes_anything(role):
            assert (server_grants.HISTORY_TABLE, "INSERT") in used[role], role
        assert used[role] - granted == set(), role
    assert used[Role.VIEWER] == used[Role.DISTRIBUTION_OFFICER] == set()

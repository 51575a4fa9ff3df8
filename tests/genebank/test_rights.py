"""Rights are enforced in the core services (issue 15): every service of the passport,
conservation, training, settings and accounts areas says what it needs, each refuses every
role lacking it, and the helpers that check nothing are never called from the GUI or the
command line. The list of services is read from the code, so a new service without a mark
fails here."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from genebank import db
from genebank.models import UserAccount
from genebank.models.user_account import ROLES
from genebank.passport import accessions
from genebank.services.refusals import Refused
from genebank.training import participants
from genebank.users import accounts
from genebank.users.actor import INTERNAL, RIGHT_ATTRIBUTE, Actor, work_as
from genebank.users.roles import RIGHTS, Right, Role, roles_holding
from tests.conftest import passport_values

pytestmark = pytest.mark.usefixtures("server_accounts")  # people on both databases (conftest)

ROOT = Path(__file__).resolve().parents[2]
SERVICE_AREAS = ("genebank.passport", "genebank.conservation", "genebank.training",
                 "genebank.reporting", "genebank.services.import_mappings",
                 "genebank.users.accounts")


def _modules() -> Iterator[object]:
    for name in SERVICE_AREAS:
        package = importlib.import_module(name)
        yield package
        for found in pkgutil.iter_modules(getattr(package, "__path__", [])):
            yield importlib.import_module(f"{name}.{found.name}")


def services() -> dict[str, Callable[..., object]]:
    """Every public function of the areas whose first parameter is a session."""
    found = {}
    for module in _modules():
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function) or \
                    function.__module__ != module.__name__:  # type: ignore[attr-defined]
                continue
            parameters = list(inspect.signature(inspect.unwrap(function)).parameters)
            if parameters and parameters[0] == "session":
                found[f"{function.__module__}.{name}"] = function
    return found


SERVICES = services()
CHECKED = {name: getattr(service, RIGHT_ATTRIBUTE) for name, service in SERVICES.items()
           if isinstance(getattr(service, RIGHT_ATTRIBUTE, None), Right)}
REFUSALS = [(name, right, role) for name, right in sorted(CHECKED.items())
            for role in Role if right not in RIGHTS[role]]


def test_every_service_says_what_it_needs() -> None:
    """@requires(right), @everyone or @internal on every service: none is left unsaid."""
    assert len(SERVICES) > 100
    unmarked = sorted(name for name, service in SERVICES.items()
                      if not hasattr(service, RIGHT_ATTRIBUTE))
    assert unmarked == []


def test_the_writes_of_each_area_are_checked() -> None:
    """The writes the issue names carry their area's right (a spot check of the marks)."""
    expected = {
        "genebank.passport.accessions.create_accession": Right.CHANGE_PASSPORT,
        "genebank.passport.accessions.update_accession": Right.CHANGE_PASSPORT,
        "genebank.passport.accessions.delete_accession": Right.DELETE_RECORDS,
        "genebank.passport.passport_import.apply_import": Right.CHANGE_PASSPORT,
        "genebank.passport.own_institutes.set_own_instcodes": Right.MANAGE_SETTINGS,
        "genebank.conservation.seed_lots.create_lot": Right.CHANGE_CONSERVATION,
        "genebank.conservation.seed_tests.record_germination": Right.CHANGE_CONSERVATION,
        "genebank.conservation.regenerations.send_safety_duplicate": Right.CHANGE_CONSERVATION,
        "genebank.conservation.storage_locations.add_location": Right.CHANGE_CONSERVATION,
        "genebank.conservation.test_import.import_tests": Right.CHANGE_CONSERVATION,
        "genebank.conservation.crop_rules.set_rule": Right.MANAGE_SETTINGS,
        "genebank.training.participants.save_participant": Right.CHANGE_TRAINING,
        "genebank.training.participants.find_participants": Right.READ_PERSONAL_DATA,
        "genebank.training.certificates.issue": Right.CHANGE_TRAINING,
        "genebank.users.accounts.add_user": Right.MANAGE_USERS,
    }
    assert {name: CHECKED.get(name) for name in expected} == expected


@pytest.fixture(scope="module")
def one_per_role(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[db.Database, dict[Role, int]]]:
    """A SQLite database with one person per role (the check reads the person's roles
    from the database), and their ids."""
    database = db.open_database(db.sqlite_url(tmp_path_factory.mktemp("rights") / "r.sqlite"),
                                user="tester")
    with database.session_factory.begin() as session:
        first = accounts.create_first_administrator(session, name="admin", password=PASSWORD)
        ids = {Role.ADMINISTRATOR: first.id}
        work_as(session, Actor(first.id, first.name, frozenset({Role.ADMINISTRATOR})))
        for role in Role:
            if role is not Role.ADMINISTRATOR:
                ids[role] = accounts.add_user(session, name=role.value, roles=[role],
                                              password=PASSWORD).id
    yield database, ids
    database.close()


@pytest.mark.parametrize(("name", "right", "role"), REFUSALS,
                         ids=[f"{n.rsplit('.', 1)[1]}-{r.value}" for n, _, r in REFUSALS])
def test_each_service_refuses_each_role_lacking_its_right(
        name: str, right: Right, role: Role,
        one_per_role: tuple[db.Database, dict[Role, int]]) -> None:
    """The check comes first: the service's own arguments are not even looked at."""
    database, ids = one_per_role
    with database.session_factory() as session, pytest.raises(Refused) as refused:
        SERVICES[name](work_as(session, Actor(ids[role], "Ольга", frozenset({role}))))
    assert refused.value.code == "not_allowed"
    assert refused.value.params == {"user": "Ольга", "right": right.value,
                                    "roles": [r.value for r in roles_holding(right)]}


def _internal_names() -> set[str]:
    return {name for name, service in SERVICES.items()
            if getattr(service, RIGHT_ATTRIBUTE, None) == INTERNAL}


def _called_names(path: Path) -> set[str]:
    """``module.function`` for each name a file imports or reaches through a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                used.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id in aliases:
            used.add(f"{aliases[node.value.id]}.{node.attr}")
    return used


def test_no_window_or_command_calls_a_helper_that_checks_nothing() -> None:
    internal = _internal_names()
    assert "genebank.conservation.seed_lots.lock_lot" in internal
    callers = [*sorted((ROOT / "ui").rglob("*.py")), *sorted((ROOT / "genebank").glob(
        "cli*.py"))]
    found = {str(path.relative_to(ROOT)): sorted(_called_names(path) & internal)
             for path in callers}
    assert {path: names for path, names in found.items() if names} == {}


def test_the_schema_knows_the_same_roles() -> None:
    assert tuple(role.value for role in Role) == ROLES


# End to end, on both databases: people signed in, the data they may and may not touch.
PASSWORD = "mot de passe sûr"


@pytest.fixture
def people(database: db.Database) -> dict[Role, Actor]:
    """One person per role, the administrator first."""
    with database.session_factory.begin() as session:
        made = [accounts.create_first_administrator(session, name="Hélène",
                                                    password=PASSWORD)]
        admin = Actor(made[0].id, made[0].name, frozenset({Role.ADMINISTRATOR}))
        work_as(session, admin)
        for role, name in ((Role.CURATOR, "Айгерим"), (Role.SEED_LABORATORY, "Moussa"),
                           (Role.DISTRIBUTION_OFFICER, "Nour"), (Role.TRAINER, "عائشة"),
                           (Role.VIEWER, "Пётр")):
            made.append(accounts.add_user(session, name=name, roles=[role],
                                          password=PASSWORD))
    return {summary.roles[0]: Actor(summary.id, summary.name, frozenset(summary.roles))
            for summary in made}


def test_only_a_curator_writes_passport_data_and_a_refusal_writes_nothing(
        database: db.Database, people: dict[Role, Actor]) -> None:
    for role in (Role.VIEWER, Role.SEED_LABORATORY, Role.TRAINER, Role.ADMINISTRATOR):
        with database.session_factory.begin() as session, pytest.raises(Refused) as refused:
            accessions.create_accession(work_as(session, people[role]),
                                        values=passport_values())
        assert refused.value.code == "not_allowed"
    with database.session_factory.begin() as session:
        made = accessions.create_accession(work_as(session, people[Role.CURATOR]),
                                           values=passport_values())
    with database.session_factory.begin() as session:
        assert accessions.get_passport(work_as(session, people[Role.VIEWER]),
                                       made.id).created_by == "Айгерим"
        with pytest.raises(Refused):
            accessions.delete_accession(work_as(session, people[Role.CURATOR]), made.id,
                                        expected_version=made.version)
    with database.session_factory.begin() as session:
        accessions.delete_accession(work_as(session, people[Role.ADMINISTRATOR]), made.id,
                                    expected_version=made.version)


def test_personal_data_is_read_by_trainers_distribution_officers_and_administrators(
        database: db.Database, people: dict[Role, Actor]) -> None:
    """Others see how many people there are, not who."""
    with database.session_factory.begin() as session:
        participants.save_participant(work_as(session, people[Role.TRAINER]),
                                      full_name="Aïgerim Nurlanova", country="KAZ")
    for role in Role:
        with database.session_factory() as session:
            work_as(session, people[role])
            assert participants.count_participants(session) == 1
            if role in (Role.TRAINER, Role.DISTRIBUTION_OFFICER, Role.ADMINISTRATOR):
                assert [p.full_name for p in participants.find_participants(session)] \
                    == ["Aïgerim Nurlanova"]
            else:
                with pytest.raises(Refused) as refused:
                    participants.find_participants(session)
                assert refused.value.params["right"] == "read_personal_data"
    with database.session_factory() as session:
        assert session.query(UserAccount).count() == 6
